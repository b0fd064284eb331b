"""Web API: reactions.add/remove/get and pins.add/remove/list on messages."""

from __future__ import annotations

import re
from typing import Any

from slackctl.emulator.webapi.chat.messages import require_member, visible_channel
from slackctl.emulator.webapi.registry import ApiError, Call, method

REACT_WRITE = {"bot": ["reactions:write"], "user": ["reactions:write"]}
REACT_READ = {"bot": ["reactions:read"], "user": ["reactions:read"]}
PINS_WRITE = {"bot": ["pins:write"], "user": ["pins:write"]}
PINS_READ = {"bot": ["pins:read"], "user": ["pins:read"]}
_EMOJI = re.compile(r"^[a-z0-9_+\-']+(?:::skin-tone-[2-6])?$")
MAX_PINS = 100


def _message(call: Call, *, ts_name: str = "timestamp") -> tuple[dict[str, Any], dict[str, Any]]:
    if not call.arg("channel") and not call.arg(ts_name):
        raise ApiError("no_item_specified")
    channel = visible_channel(call)
    ts = call.arg(ts_name)
    if not ts:
        raise ApiError("no_item_specified")
    try:
        float(ts)
    except ValueError:
        raise ApiError("bad_timestamp") from None
    message = call.world.find_message(channel["id"], ts)
    if message is None:
        raise ApiError("message_not_found")
    return channel, message


def _name(call: Call) -> str:
    name = (call.arg("name", required=True, error="invalid_name") or "").strip(":")
    if not _EMOJI.match(name):
        raise ApiError("invalid_name")
    return name


@method("reactions.add", scopes=REACT_WRITE)
def reactions_add(call: Call) -> dict[str, Any]:
    channel, message = _message(call)
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
    call.publish("reaction_added", channel_id=channel["id"], ts=message["ts"], user=call.user_id, reaction=name,
                 item_user=message.get("user"))
    return {}


@method("reactions.remove", scopes=REACT_WRITE)
def reactions_remove(call: Call) -> dict[str, Any]:
    channel, message = _message(call)
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
    call.publish("reaction_removed", channel_id=channel["id"], ts=message["ts"], user=call.user_id,
                 reaction=name, item_user=message.get("user"))
    return {}


@method("reactions.get", scopes=REACT_READ)
def reactions_get(call: Call) -> dict[str, Any]:
    channel, message = _message(call)
    return {"type": "message", "channel": channel["id"], "message": dict(message)}


@method("pins.add", scopes=PINS_WRITE)
def pins_add(call: Call) -> dict[str, Any]:
    channel, message = _message(call)
    require_member(call, channel)
    pins = call.world.pins.setdefault(channel["id"], [])
    if any(p["ts"] == message["ts"] for p in pins):
        raise ApiError("already_pinned")
    if len(pins) >= MAX_PINS:
        raise ApiError("too_many_pins")
    pins.append({"ts": message["ts"], "created": int(call.world.now()), "created_by": call.user_id})
    message.setdefault("pinned_to", []).append(channel["id"])
    call.publish("pin_added", channel_id=channel["id"], ts=message["ts"], user=call.user_id)
    return {}


@method("pins.remove", scopes=PINS_WRITE)
def pins_remove(call: Call) -> dict[str, Any]:
    channel, message = _message(call)
    pins = call.world.pins.get(channel["id"], [])
    pin = next((p for p in pins if p["ts"] == message["ts"]), None)
    if pin is None:
        raise ApiError("no_pin")
    pins.remove(pin)
    pinned_to = message.get("pinned_to", [])
    if channel["id"] in pinned_to:
        pinned_to.remove(channel["id"])
    if not pinned_to:
        message.pop("pinned_to", None)
    call.publish("pin_removed", channel_id=channel["id"], ts=message["ts"], user=call.user_id)
    return {}


@method("pins.list", scopes=PINS_READ)
def pins_list(call: Call) -> dict[str, Any]:
    channel = visible_channel(call)
    items = []
    for pin in reversed(call.world.pins.get(channel["id"], [])):
        message = call.world.find_message(channel["id"], pin["ts"])
        if message is not None:
            items.append({"type": "message", "created": pin["created"], "created_by": pin["created_by"],
                          "channel": channel["id"], "message": dict(message)})
    return {"items": items}
