"""Web API: files.info, files.list, files.delete, files.sharedPublicURL and files.revokePublicURL over the files
uploaded to the emulator (webapi/files/__init__.py) and the remote files apps add (remote.py)."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.webapi.files import FILES_WRITE, file_object
from slackctl.emulator.webapi.registry import ApiError, Call, method

FILES_READ = {"bot": ["files:read"], "user": ["files:read"]}


def uploaded(call: Call, file_id: str | None = None) -> dict[str, Any]:
    """A completed upload the caller may see (its owner, or a member of a conversation it was shared in)."""
    rec = call.world.uploads.get(file_id or call.arg("file", required=True, error="file_not_found") or "")
    if rec is None or not rec.get("completed"):
        raise ApiError("file_not_found")
    if rec["user_id"] != call.user_id and not any(
        call.user_id in (call.world.channels.get(c) or {}).get("members", []) for c in rec.get("channels", [])
    ):
        raise ApiError("file_not_found")
    return rec


def shown(call: Call, rec: dict[str, Any]) -> dict[str, Any]:
    obj = file_object(call, rec, rec.get("title"), list(rec.get("channels", [])))
    if rec.get("public_url_shared"):
        obj["permalink_public"] = f"https://slack-files.com/{call.world.team['id']}-{rec['file_id']}-{rec['secret']}"
    return obj


@method("files.info", scopes=FILES_READ)
def files_info(call: Call) -> dict[str, Any]:
    return {"file": shown(call, uploaded(call)), "comments": [], "response_metadata": {"next_cursor": ""}}


@method("files.list", scopes=FILES_READ)
def files_list(call: Call) -> dict[str, Any]:
    user, channel = call.arg("user"), call.arg("channel")
    ts_from = call.number_arg("ts_from", 0.0)
    ts_to = call.number_arg("ts_to", float("inf"))
    recs = []
    for rec in call.world.uploads.values():
        try:
            uploaded(call, rec["file_id"])
        except ApiError:
            continue
        if (user and rec["user_id"] != user) or (channel and channel not in rec.get("channels", [])):
            continue
        if ts_from <= rec.get("created", 0) <= ts_to:
            recs.append(rec)
    recs.sort(key=lambda r: r.get("created", 0), reverse=True)
    count = call.int_arg("count", 100, 1, 1000)
    page = call.int_arg("page", 1, 1)
    chosen = recs[(page - 1) * count : page * count]
    pages = max(1, -(-len(recs) // count))
    return {
        "files": [shown(call, r) for r in chosen],
        "paging": {"count": count, "total": len(recs), "page": page, "pages": pages},
    }


@method("files.delete", scopes=FILES_WRITE)
def files_delete(call: Call) -> dict[str, Any]:
    rec = uploaded(call)
    if rec["user_id"] != call.user_id:
        raise ApiError("cant_delete_file")
    del call.world.uploads[rec["file_id"]]
    for messages in call.world.messages.values():  # its shares show a tombstone, as Slack's do
        for message in messages:
            for f in message.get("files") or []:
                if f.get("id") == rec["file_id"]:
                    f.clear()
                    f.update(id=rec["file_id"], mode="tombstone")
    call.publish("file_deleted", file_id=rec["file_id"])
    return {}


@method("files.sharedPublicURL", scopes={"user": ["files:write"]}, kinds=("user",))
def files_shared_public_url(call: Call) -> dict[str, Any]:
    rec = uploaded(call)
    if rec["user_id"] != call.user_id:
        raise ApiError("not_allowed")
    from slackctl.emulator import ids

    rec.setdefault("secret", ids.alnum(10).lower())
    rec["public_url_shared"] = True
    return {"file": shown(call, rec)}


@method("files.revokePublicURL", scopes={"user": ["files:write"]}, kinds=("user",))
def files_revoke_public_url(call: Call) -> dict[str, Any]:
    rec = uploaded(call)
    if rec["user_id"] != call.user_id:
        raise ApiError("not_allowed")
    rec["public_url_shared"] = False
    return {"file": shown(call, rec)}
