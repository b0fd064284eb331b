"""Web API: conversations.rename/unarchive/kick/mark/setPurpose/close — looking after an existing conversation."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.webapi.access import require_member, visible_channel
from slackctl.emulator.webapi.conversations.channels import _CHANNEL_NAME, channel_view
from slackctl.emulator.webapi.conversations.members import TOPIC, WRITE, _is_dm, set_description
from slackctl.emulator.webapi.registry import ApiError, Call, method

KICK = {"bot": ["channels:manage", "groups:write"], "user": ["channels:write", "groups:write"]}


def _managed(call: Call) -> dict[str, Any]:
    """A channel (not a DM) the caller may change."""
    channel = visible_channel(call)
    if _is_dm(channel):
        raise ApiError("method_not_supported_for_channel_type")
    return channel


def _system_message(call: Call, channel: dict[str, Any], subtype: str, text: str, **extra: Any) -> None:
    message = call.world.post(channel["id"], {"subtype": subtype, "user": call.user_id, "text": text, **extra})
    call.publish("message_posted", channel_id=channel["id"], message=dict(message))


@method("conversations.rename", scopes=KICK)
def conversations_rename(call: Call) -> dict[str, Any]:
    channel = _managed(call)
    if channel["is_archived"]:
        raise ApiError("is_archived")
    require_member(call, channel)
    name = call.arg("name", required=True, error="invalid_name_required") or ""
    if len(name) > 80:
        raise ApiError("invalid_name_maxlength")
    if not _CHANNEL_NAME.match(name):
        raise ApiError("invalid_name_specials")
    if channel.get("is_general") and call.kind == "bot":
        raise ApiError("not_authorized")
    other = call.world.find_channel(name)
    if other is not None and other["id"] != channel["id"]:
        raise ApiError("name_taken")
    old = channel["name"]
    channel["name"] = channel["name_normalized"] = name
    channel["previous_names"] = [old, *channel.get("previous_names", [])]
    _system_message(
        call, channel, "channel_name", f"renamed the channel from “{old}” to “{name}”", old_name=old, name=name
    )
    return {"channel": channel_view(channel, call.user_id)}


@method("conversations.unarchive", scopes=WRITE)
def conversations_unarchive(call: Call) -> dict[str, Any]:
    channel = _managed(call)
    if not channel["is_archived"]:
        raise ApiError("not_archived")
    if call.kind == "bot" and call.user_id not in channel["members"]:
        raise ApiError("not_in_channel")
    channel["is_archived"] = False
    _system_message(call, channel, "channel_unarchive", "un-archived the channel")
    return {}


@method("conversations.kick", scopes=KICK)
def conversations_kick(call: Call) -> dict[str, Any]:
    channel = _managed(call)
    user = call.arg("user", required=True, error="user_not_found") or ""
    if channel.get("is_general"):
        raise ApiError("cant_kick_from_general")
    if user == call.user_id:
        raise ApiError("cant_kick_self")
    if call.world.get_user(user) is None:
        raise ApiError("user_not_found")
    if user not in channel["members"]:
        raise ApiError("not_in_channel")
    require_member(call, channel)
    channel["members"].remove(user)
    call.publish("member_left", channel_id=channel["id"], user=user)
    return {}


@method("conversations.setPurpose", scopes=TOPIC)
def conversations_set_purpose(call: Call) -> dict[str, Any]:
    return set_description(call, "purpose")


@method("conversations.mark", scopes=WRITE)
def conversations_mark(call: Call) -> dict[str, Any]:
    channel = visible_channel(call)
    ts = call.arg("ts", required=True, error="invalid_timestamp") or ""
    if call.world.find_message(channel["id"], ts) is None:
        raise ApiError("invalid_timestamp")
    channel.setdefault("last_read", {})[call.user_id or ""] = ts
    return {}


@method("conversations.close", scopes=WRITE)
def conversations_close(call: Call) -> dict[str, Any]:
    channel = visible_channel(call)
    if not _is_dm(channel):
        raise ApiError("method_not_supported_for_channel_type")
    closed = channel.setdefault("closed_by", [])
    if call.user_id in closed:
        return {"no_op": True, "already_closed": True}
    closed.append(call.user_id)
    return {}
