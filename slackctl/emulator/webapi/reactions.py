"""Web API: reactions.add/remove/get."""

from __future__ import annotations

import re
from typing import Any

from slackctl.emulator.webapi.access import visible_message
from slackctl.emulator.webapi.registry import ApiError, Call, method

REACT_WRITE = {"bot": ["reactions:write"], "user": ["reactions:write"]}
REACT_READ = {"bot": ["reactions:read"], "user": ["reactions:read"]}
_EMOJI = re.compile(r"^[a-z0-9_+\-']+(?:::skin-tone-[2-6])?$")


def _name(call: Call) -> str:
    name = (call.arg("name", required=True, error="invalid_name") or "").strip(":")
    if not _EMOJI.match(name):
        raise ApiError("invalid_name")
    return name


@method("reactions.add", scopes=REACT_WRITE)
def reactions_add(call: Call) -> dict[str, Any]:
    channel, message = visible_message(call)
    if channel["is_archived"]:
        raise ApiError("is_archived")
    name = _name(call)
    reactions = message.setdefault("reactions", [])
    entry = next((r for r in reactions if r["name"] == name), None)
    if entry is None:
        entry = {"name": name, "users": [], "count": 0}
        reactions.append(entry)
    if call.user_id in entry["users"]:
        raise ApiError("already_reacted")
    entry["users"].append(call.user_id)
    entry["count"] = len(entry["users"])
    call.publish(
        "reaction_added",
        channel_id=channel["id"],
        ts=message["ts"],
        user=call.user_id,
        reaction=name,
        item_user=message.get("user"),
    )
    return {}


@method("reactions.remove", scopes=REACT_WRITE)
def reactions_remove(call: Call) -> dict[str, Any]:
    channel, message = visible_message(call)
    name = _name(call)
    reactions = message.get("reactions", [])
    entry = next((r for r in reactions if r["name"] == name), None)
    if entry is None or call.user_id not in entry["users"]:
        raise ApiError("no_reaction")
    entry["users"].remove(call.user_id)
    entry["count"] = len(entry["users"])
    if not entry["users"]:
        reactions.remove(entry)
    if not reactions:
        message.pop("reactions", None)
    call.publish(
        "reaction_removed",
        channel_id=channel["id"],
        ts=message["ts"],
        user=call.user_id,
        reaction=name,
        item_user=message.get("user"),
    )
    return {}


@method("reactions.get", scopes=REACT_READ)
def reactions_get(call: Call) -> dict[str, Any]:
    channel, message = visible_message(call)
    return {"type": "message", "channel": channel["id"], "message": dict(message)}
