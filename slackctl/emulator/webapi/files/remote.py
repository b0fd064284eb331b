"""Web API: files.remote.add/info/list/update/remove/share — files that live in an app's own service, added to
Slack as a title, a link and an optional preview, and shared into conversations like uploads."""

from __future__ import annotations

from typing import Any

from slackctl.emulator import ids
from slackctl.emulator.webapi.access import require_member
from slackctl.emulator.webapi.registry import ApiError, Call, method

READ = {"bot": ["remote_files:read"], "user": ["remote_files:read"]}
WRITE = {"bot": ["remote_files:write"]}
SHARE = {"bot": ["remote_files:share"], "user": ["remote_files:share"]}


def _remote(call: Call) -> dict[str, Any]:
    """The remote file named by `file` or `external_id` (of the calling app)."""
    file_id, external = call.arg("file"), call.arg("external_id")
    if not file_id and not external:
        raise ApiError("invalid_args")
    app_id = (call.token or {}).get("app_id")
    for remote in call.world.remote_files.values():
        if (file_id and remote["id"] == file_id) or (
            external and remote["external_id"] == external and remote["app_id"] == app_id
        ):
            return remote
    raise ApiError("file_not_found")


def _view(remote: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in remote.items() if k != "indexable_file_contents"}


@method("files.remote.add", scopes=WRITE, kinds=("bot",))
def files_remote_add(call: Call) -> dict[str, Any]:
    external = call.arg("external_id", required=True, error="invalid_external_id") or ""
    url = call.arg("external_url", required=True) or ""
    title = call.arg("title", required=True, error="bad_title") or ""
    app_id = call.auth.get("app_id")
    if any(r["external_id"] == external and r["app_id"] == app_id for r in call.world.remote_files.values()):
        raise ApiError("invalid_external_id")
    now = int(call.world.now())
    remote: dict[str, Any] = {
        "id": ids.slack_id("F"),
        "created": now,
        "timestamp": now,
        "name": title,
        "title": title,
        "mimetype": "application/vnd.slack-remote",
        "filetype": call.arg("filetype") or "remote",
        "pretty_type": "Remote",
        "user": call.user_id,
        "editable": False,
        "size": 0,
        "mode": "external",
        "is_external": True,
        "external_type": "app",
        "external_id": external,
        "external_url": url,
        "url_private": url,
        "is_public": False,
        "public_url_shared": False,
        "channels": [],
        "groups": [],
        "ims": [],
        "app_id": app_id,
        "has_rich_preview": bool(call.params.get("preview_image")),
        "indexable_file_contents": call.arg("indexable_file_contents") or "",
    }
    call.world.remote_files[remote["id"]] = remote
    return {"file": _view(remote)}


@method("files.remote.info", scopes=READ)
def files_remote_info(call: Call) -> dict[str, Any]:
    return {"file": _view(_remote(call))}


@method("files.remote.list", scopes=READ)
def files_remote_list(call: Call) -> dict[str, Any]:
    channel = call.arg("channel")
    ts_from, ts_to = call.number_arg("ts_from", 0.0), call.number_arg("ts_to", float("inf"))
    chosen = (
        r
        for r in call.world.remote_files.values()
        if (not channel or channel in r["channels"]) and ts_from <= r["created"] <= ts_to
    )
    page, next_cursor = call.page_of("remote", chosen)
    return {"files": [_view(r) for r in page], "response_metadata": {"next_cursor": next_cursor}}


@method("files.remote.update", scopes=WRITE, kinds=("bot",))
def files_remote_update(call: Call) -> dict[str, Any]:
    remote = _remote(call)
    title = call.arg("title")
    if title is not None:
        if not title:
            raise ApiError("invalid_title")
        remote["title"] = remote["name"] = title
    url = call.arg("external_url")
    if url is not None:
        if not url.startswith(("http://", "https://")):
            raise ApiError("invalid_url")
        remote["external_url"] = remote["url_private"] = url
    for name in ("filetype", "indexable_file_contents"):
        if call.arg(name) is not None:
            remote[name] = call.arg(name)
    return {"file": _view(remote)}


@method("files.remote.remove", scopes=WRITE, kinds=("bot",))
def files_remote_remove(call: Call) -> dict[str, Any]:
    remote = _remote(call)
    del call.world.remote_files[remote["id"]]
    return {}


@method("files.remote.share", scopes=SHARE)
def files_remote_share(call: Call) -> dict[str, Any]:
    remote = _remote(call)
    channels = []
    for ref in call.list_arg("channels"):
        channel = call.world.find_channel(ref)
        if channel is None or (channel["is_private"] and call.user_id not in channel["members"]):
            raise ApiError("channel_not_found")
        require_member(call, channel)
        channels.append(channel)
    if not channels:
        raise ApiError("channel_not_found")
    for channel in channels:
        if channel["id"] not in remote["channels"]:
            remote["channels"].append(channel["id"])
        message: dict[str, Any] = {
            "user": call.user_id,
            "text": "",
            "files": [_view(remote)],
            "upload": False,
            "subtype": "file_share",
        }
        if call.kind == "bot":
            message.update(bot_id=call.auth["bot_id"], app_id=call.auth["app_id"])
        stored = call.world.post(channel["id"], message)
        call.publish("message_posted", channel_id=channel["id"], message=dict(stored))
    return {"file": _view(remote)}
