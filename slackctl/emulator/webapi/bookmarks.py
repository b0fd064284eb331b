"""Web API: bookmarks.add/edit/list/remove — the links pinned to the top of a conversation."""

from __future__ import annotations

from typing import Any

from slackctl.emulator import ids
from slackctl.emulator.webapi.access import visible_channel
from slackctl.emulator.webapi.registry import ApiError, Call, method

READ = {"bot": ["bookmarks:read"], "user": ["bookmarks:read"]}
WRITE = {"bot": ["bookmarks:write"], "user": ["bookmarks:write"]}
MAX_BOOKMARKS = 100  # Slack answers too_many_bookmarks past its limit per conversation


def _channel_bookmarks(call: Call) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    channel = visible_channel(call, name="channel_id")
    return channel, call.world.bookmarks.setdefault(channel["id"], [])


def _find(call: Call, bookmarks: list[dict[str, Any]]) -> dict[str, Any]:
    ref = call.arg("bookmark_id", required=True, error="not_found")
    for bookmark in bookmarks:
        if bookmark["id"] == ref:
            return bookmark
    raise ApiError("not_found")


@method("bookmarks.add", scopes=WRITE)
def bookmarks_add(call: Call) -> dict[str, Any]:
    channel, bookmarks = _channel_bookmarks(call)
    title = call.arg("title", required=True) or ""
    kind = call.arg("type", required=True) or ""
    if kind != "link":
        raise ApiError("invalid_bookmark_type")
    link = call.arg("link")
    if not link or not link.startswith(("http://", "https://")):
        raise ApiError("invalid_link")
    if len(bookmarks) >= MAX_BOOKMARKS:
        raise ApiError("too_many_bookmarks")
    now = int(call.world.now())
    bookmark = {
        "id": ids.slack_id("Bk"),
        "channel_id": channel["id"],
        "title": title,
        "link": link,
        "emoji": call.arg("emoji") or "",
        "icon_url": "",
        "type": "link",
        "entity_id": "",
        "date_created": now,
        "date_updated": 0,
        "rank": f"{len(bookmarks):04d}",
        "last_updated_by_user_id": call.user_id,
        "last_updated_by_team_id": call.world.team["id"],
        "shortcut_id": "",
        "app_id": (call.token or {}).get("app_id") or "",
    }
    bookmarks.append(bookmark)
    call.publish("bookmark_changed", channel_id=channel["id"], bookmark=dict(bookmark))
    return {"bookmark": dict(bookmark)}


@method("bookmarks.edit", scopes=WRITE)
def bookmarks_edit(call: Call) -> dict[str, Any]:
    channel, bookmarks = _channel_bookmarks(call)
    bookmark = _find(call, bookmarks)
    for name in ("title", "emoji"):
        value = call.arg(name)
        if value is not None:
            bookmark[name] = value
    link = call.arg("link")
    if link is not None:
        if not link.startswith(("http://", "https://")):
            raise ApiError("invalid_link")
        bookmark["link"] = link
    bookmark["date_updated"] = int(call.world.now())
    bookmark["last_updated_by_user_id"] = call.user_id
    call.publish("bookmark_changed", channel_id=channel["id"], bookmark=dict(bookmark))
    return {"bookmark": dict(bookmark)}


@method("bookmarks.list", scopes=READ)
def bookmarks_list(call: Call) -> dict[str, Any]:
    _, bookmarks = _channel_bookmarks(call)
    return {"bookmarks": [dict(b) for b in bookmarks]}


@method("bookmarks.remove", scopes=WRITE)
def bookmarks_remove(call: Call) -> dict[str, Any]:
    channel, bookmarks = _channel_bookmarks(call)
    bookmark = _find(call, bookmarks)
    bookmarks.remove(bookmark)
    call.publish("bookmark_changed", channel_id=channel["id"], bookmark=None)
    return {}
