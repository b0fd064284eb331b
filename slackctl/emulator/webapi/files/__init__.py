"""Web API: the external upload flow (files.getUploadURLExternal, POST bytes to /_upload/ID,
files.completeUploadExternal). Uploaded bytes stream to a temp file; size and sha256 are recorded.
files.info/list/delete and the public URL live in manage.py, files.remote.* in remote.py."""

from __future__ import annotations

import hashlib
import mimetypes
import os
import tempfile
from typing import IO, TYPE_CHECKING, Any

from slackctl.emulator import ids, multipart
from slackctl.emulator.httpd import Request, Response
from slackctl.emulator.multipart import MultipartError
from slackctl.emulator.webapi.access import require_member
from slackctl.emulator.webapi.registry import ApiError, Call, method

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator

FILES_WRITE = {"bot": ["files:write"], "user": ["files:write"]}


@method("files.getUploadURLExternal", scopes=FILES_WRITE)
def files_get_upload_url_external(call: Call) -> dict[str, Any]:
    filename = call.arg("filename", required=True)
    if call.params.get("length") in (None, ""):
        raise ApiError("invalid_arguments", response_metadata={"messages": ["[ERROR] missing required field: length"]})
    length = call.int_arg("length", 0)
    if length < 0:
        raise ApiError("invalid_arguments")
    file_id = ids.slack_id("F")
    call.world.uploads[file_id] = {
        "file_id": file_id,
        "filename": filename,
        "length": length,
        "alt_txt": call.arg("alt_txt"),
        "snippet_type": call.arg("snippet_type"),
        "user_id": call.user_id,
        "uploaded": False,
        "completed": False,
        "size": None,
        "sha256": None,
        "path": None,
    }
    # Under exec Slack's shape, https://files.slack.com/upload/v1/…, which the exec proxy brings back here.
    path = f"/upload/v1/{file_id}" if call.via_slack_host else f"/_upload/{file_id}"
    return {"upload_url": call.files_url() + path, "file_id": file_id}


def handle_upload(emu: Emulator, req: Request, file_id: str) -> Response:
    if req.http_method not in ("POST", "PUT"):
        return Response.text("method not allowed", 405)
    with emu.world.lock:
        rec = emu.world.uploads.get(file_id)
    if rec is None:
        return Response.text("upload not found", 404)
    if req.content_type.lower().startswith("multipart/form-data"):
        try:
            path, size, sha = _receive_multipart(req, emu.upload_dir(), file_id)
        except MultipartError as exc:
            return Response.text(f"malformed multipart/form-data body: {exc}", 400)
    else:
        fd, path = tempfile.mkstemp(prefix=f"{file_id}-", dir=emu.upload_dir())
        digest, size = hashlib.sha256(), 0
        with os.fdopen(fd, "wb") as out:
            for chunk in req.stream():
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
        sha = digest.hexdigest()
    with emu.world.lock:
        old = rec.get("path")
        rec.update(uploaded=True, size=size, sha256=sha, path=path)
    if old and os.path.exists(old):
        os.unlink(old)
    resp = Response.text(f"OK - {size}")
    resp.log_body = {"size": size, "sha256": sha}
    return resp


def _receive_multipart(req: Request, folder: str, file_id: str) -> tuple[str, int, str]:
    """A multipart upload keeps only its file part's bytes (the first part with a filename, else the first part),
    streamed to disk part by part: (path, size, sha256)."""
    opened: list[tuple[IO[bytes], str]] = []

    def sink(name: str | None, filename: str | None, ctype: str) -> IO[bytes]:
        fd, path = tempfile.mkstemp(prefix=f"{file_id}-", dir=folder)
        opened.append((os.fdopen(fd, "wb"), path))
        return opened[-1][0]

    chosen = None
    try:
        parts = multipart.parse(req.stream(), req.content_type, sink)
        chosen = next((p for p in parts if p.filename), parts[0] if parts else None)
    finally:
        for out, path in opened:
            out.close()
            if chosen is None or out is not chosen.out:
                os.unlink(path)
    if chosen is None:
        raise MultipartError("no parts")
    return next(path for out, path in opened if out is chosen.out), chosen.size, chosen.sha256


def file_object(call: Call, rec: dict[str, Any], title: str | None, channels: list[str]) -> dict[str, Any]:
    name = rec["filename"]
    mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    filetype = os.path.splitext(name)[1].lstrip(".").lower() or "binary"
    base = f"{call.files_url()}/files-pri/{call.world.team['id']}-{rec['file_id']}/{name}"
    now = rec.get("created") or int(call.world.now())
    return {
        "id": rec["file_id"],
        "created": now,
        "timestamp": now,
        "name": name,
        "title": title or name,
        "mimetype": mimetype,
        "filetype": filetype,
        "pretty_type": filetype.upper(),
        "user": rec["user_id"],
        "user_team": call.world.team["id"],
        "editable": False,
        "size": rec["size"],
        "mode": "hosted",
        "is_external": False,
        "external_type": "",
        "is_public": bool(channels),
        "public_url_shared": bool(rec.get("public_url_shared")),
        "url_private": base,
        "url_private_download": base.replace("/files-pri/", "/files-pri-download/"),
        "permalink": f"{call.workspace_url()}files/{rec['user_id']}/{rec['file_id']}/{name}",
        "channels": channels,
        "groups": [],
        "ims": [],
        "alt_txt": rec.get("alt_txt"),
        # The rest of Slack's documented file object (tests/data/slack-object-examples/).
        "display_as_bot": False,
        "username": "",
        "comments_count": 0,
        "is_starred": False,
        "has_rich_preview": False,
        "file_access": "visible",
        "permalink_public": f"https://slack-files.com/{call.world.team['id']}-{rec['file_id']}-{rec['file_id'][1:]}",
        "shares": _shares(call, rec),
    }


def _shares(call: Call, rec: dict[str, Any]) -> dict[str, Any]:
    """Where the file was shared, as Slack's `shares`: public/private -> channel id -> the share messages."""
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for cid, ts in (rec.get("share_ts") or {}).items():
        channel = call.world.channels.get(cid)
        if channel is None:
            continue
        kind = "private" if channel["is_private"] else "public"
        out.setdefault(kind, {})[cid] = [
            {
                "ts": ts,
                "channel_name": channel.get("name", ""),
                "team_id": call.world.team["id"],
                "share_user_id": rec["user_id"],
                "reply_users": [],
                "reply_users_count": 0,
                "reply_count": 0,
            }
        ]
    return out


@method("files.completeUploadExternal", scopes=FILES_WRITE)
def files_complete_upload_external(call: Call) -> dict[str, Any]:
    files = call.json_arg("files", required=True)
    if not isinstance(files, list) or not files or not all(isinstance(f, dict) and f.get("id") for f in files):
        raise ApiError(
            "invalid_arguments", response_metadata={"messages": ["[ERROR] files must be a list of {id, title}"]}
        )
    records = []
    for f in files:
        rec = call.world.uploads.get(str(f["id"]))
        if rec is None or not rec["uploaded"] or rec["completed"] or rec["user_id"] != call.user_id:
            raise ApiError("file_not_found")
        records.append((rec, f.get("title")))
    channel_refs = [call.arg("channel_id")] if call.arg("channel_id") else call.list_arg("channels")
    channels = []
    for ref in channel_refs:
        channel = call.world.find_channel(ref or "")
        if channel is None or (channel["is_private"] and call.user_id not in channel["members"]):
            raise ApiError("channel_not_found")
        require_member(call, channel)
        channels.append(channel)
    thread_ts = call.arg("thread_ts")
    objects = []
    for rec, title in records:
        # What files.info and files.list show later: the title, where it was shared, and when.
        rec.update(completed=True, title=title, channels=[c["id"] for c in channels], created=int(call.world.now()))
        objects.append(file_object(call, rec, title, rec["channels"]))
    for channel in channels:
        message: dict[str, Any] = {
            "user": call.user_id,
            "text": call.arg("initial_comment") or "",
            "files": objects,
            "upload": True,
        }
        if thread_ts:
            message["thread_ts"] = thread_ts
        if call.kind == "bot":
            message.update(bot_id=call.auth["bot_id"], app_id=call.auth["app_id"])
        stored = call.world.post(channel["id"], {**message, "subtype": "file_share"})
        for rec, _ in records:
            rec.setdefault("share_ts", {})[channel["id"]] = stored["ts"]
        call.publish("message_posted", channel_id=channel["id"], message=dict(stored))
    return {"files": [{"id": o["id"], "title": o["title"]} for o in objects]}
