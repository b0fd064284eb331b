"""Web API: pins.add/remove/list."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.webapi.access import require_member, visible_channel, visible_message
from slackctl.emulator.webapi.registry import ApiError, Call, method

PINS_WRITE = {"bot": ["pins:write"], "user": ["pins:write"]}


PINS_READ = {"bot": ["pins:read"], "user": ["pins:read"]}


MAX_PINS = 100


@method("pins.add", scopes=PINS_WRITE)
def pins_add(call: Call) -> dict[str, Any]:
    channel, message = visible_message(call)
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
    channel, message = visible_message(call)
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
            items.append(
                {
                    "type": "message",
                    "created": pin["created"],
                    "created_by": pin["created_by"],
                    "channel": channel["id"],
                    "message": dict(message),
                }
            )
    return {"items": items}
