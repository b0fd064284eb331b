"""Web API: stars.add/list/remove — a user's saved messages and files (user tokens, as on Slack)."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.webapi.access import visible_message
from slackctl.emulator.webapi.registry import ApiError, Call, method


def _item(call: Call) -> dict[str, Any]:
    """The item named by channel+timestamp (a message) or file."""
    if call.arg("file"):
        file_id = call.arg("file") or ""
        if file_id not in call.world.uploads and file_id not in call.world.canvases:
            raise ApiError("file_not_found")
        return {"type": "file", "file": {"id": file_id}}
    if not call.arg("channel") and not call.arg("timestamp"):
        raise ApiError("no_item_specified")
    channel, message = visible_message(call)
    return {"type": "message", "channel": channel["id"], "message": dict(message)}


def _key(item: dict[str, Any]) -> tuple[str, str]:
    if item["type"] == "file":
        return ("file", item["file"]["id"])
    return (item["channel"], item["message"]["ts"])


@method("stars.add", scopes={"user": ["stars:write"]}, kinds=("user",))
def stars_add(call: Call) -> dict[str, Any]:
    item = _item(call)
    mine = call.world.stars.setdefault(call.user_id or "", [])
    if any(_key(i) == _key(item) for i in mine):
        raise ApiError("already_starred")
    mine.insert(0, {**item, "date_create": int(call.world.now())})
    return {}


@method("stars.list", scopes={"user": ["stars:read"]}, kinds=("user",))
def stars_list(call: Call) -> dict[str, Any]:
    items = call.world.stars.get(call.user_id or "", [])
    page, next_cursor = call.page_of("star", iter(list(items)))
    return {"items": page, "response_metadata": {"next_cursor": next_cursor}}


@method("stars.remove", scopes={"user": ["stars:write"]}, kinds=("user",))
def stars_remove(call: Call) -> dict[str, Any]:
    item = _item(call)
    mine = call.world.stars.get(call.user_id or "", [])
    kept = [i for i in mine if _key(i) != _key(item)]
    if len(kept) == len(mine):
        raise ApiError("not_starred")
    call.world.stars[call.user_id or ""] = kept
    return {}
