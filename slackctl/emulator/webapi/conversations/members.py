"""Web API: conversations.open/replies/members/invite/leave/archive/setTopic."""

from __future__ import annotations

import math
from typing import Any

from slackctl.emulator.webapi.access import require_member, visible_channel
from slackctl.emulator.webapi.conversations.channels import HISTORY, READ, channel_view, shown_messages
from slackctl.emulator.webapi.registry import ApiError, Call, decode_cursor, encode_cursor, method
from slackctl.emulator.world.state import GENERAL_ID

OPEN = {
    "bot": ["channels:manage", "groups:write", "im:write", "mpim:write"],
    "user": ["channels:write", "groups:write", "im:write", "mpim:write"],
}
WRITE = {
    "bot": ["groups:write", "im:write", "mpim:write", "channels:write", "channels:manage"],
    "user": ["groups:write", "im:write", "mpim:write", "channels:write"],
}
INVITE = {
    "bot": [
        "channels:write.invites",
        "groups:write.invites",
        "channels:manage",
        "groups:write",
        "im:write",
        "mpim:write",
    ],
    "user": [
        "channels:write.invites",
        "groups:write.invites",
        "channels:write",
        "groups:write",
        "im:write",
        "mpim:write",
    ],
}
TOPIC = {
    "bot": [
        "channels:write.topic",
        "groups:write.topic",
        "mpim:write.topic",
        "im:write.topic",
        "channels:manage",
        "groups:write",
        "im:write",
        "mpim:write",
    ],
    "user": [
        "channels:write.topic",
        "groups:write.topic",
        "mpim:write.topic",
        "im:write.topic",
        "channels:write",
        "groups:write",
        "im:write",
        "mpim:write",
    ],
}
MAX_MPIM_USERS = 8  # besides the caller
MAX_TOPIC = 250


def _is_dm(channel: dict[str, Any]) -> bool:
    return bool(channel.get("is_im") or channel.get("is_mpim"))


@method("conversations.open", scopes=OPEN)
def conversations_open(call: Call) -> dict[str, Any]:
    full = call.bool_arg("return_im")
    if call.arg("channel"):
        channel = visible_channel(call)
        if not _is_dm(channel):
            raise ApiError("method_not_supported_for_channel_type")
        return {
            "no_op": True,
            "already_open": True,
            "channel": channel_view(channel, call.user_id) if full else {"id": channel["id"]},
        }
    users = call.list_arg("users")
    if not users:
        raise ApiError("users_list_not_supplied")
    if len(users) > MAX_MPIM_USERS:
        raise ApiError("too_many_users")
    for uid in users:
        user = call.world.get_user(uid)
        if user is None:
            raise ApiError("user_not_found")
        if user.get("deleted"):
            raise ApiError("user_disabled")
    me = call.user_id or ""
    others = [u for u in dict.fromkeys(users) if u != me] or [me]
    prevent = call.bool_arg("prevent_creation")
    if len(others) == 1:
        existing = call.world.find_dm(me, others[0])
        opened = existing or (None if prevent else call.world.open_dm(me, others[0]))
    else:
        existing = call.world.find_mpim(me, others)
        opened = existing or (None if prevent else call.world.open_mpim(me, others))
    if opened is None:
        return {"no_op": True, "channel": {}}
    channel = opened
    out: dict[str, Any] = {
        "channel": channel_view(channel, me) if full or channel.get("is_mpim") else {"id": channel["id"]}
    }
    if existing is not None:
        out.update(no_op=True, already_open=True)
    return out


@method("conversations.replies", scopes=HISTORY)
def conversations_replies(call: Call) -> dict[str, Any]:
    channel = visible_channel(call)
    require_member(call, channel)
    ts = call.arg("ts", required=True, error="thread_not_found") or ""
    parent = call.world.find_message(channel["id"], ts)
    if parent is None:
        raise ApiError("thread_not_found")
    root = parent.get("thread_ts") or parent["ts"]
    oldest = call.number_arg("oldest", 0.0, "invalid_ts_oldest")
    latest = call.number_arg("latest", math.inf, "invalid_ts_latest")
    inclusive = call.bool_arg("inclusive", True)
    thread = [m for m in call.world.messages.get(channel["id"], []) if m["ts"] == root or m.get("thread_ts") == root]
    chosen = [
        m for m in thread if (oldest < float(m["ts"]) < latest) or (inclusive and float(m["ts"]) in (oldest, latest))
    ]
    limit = call.int_arg("limit", 1000, 0, 1000) or 1000
    cursor = call.arg("cursor")
    start = decode_cursor(cursor, "reply") if cursor else 0
    page = chosen[start : start + limit]
    more = start + limit < len(chosen)
    return {
        "messages": shown_messages(call, page),
        "has_more": more,
        "response_metadata": {"next_cursor": encode_cursor("reply", start + limit) if more else ""},
    }


@method("conversations.members", scopes=READ)
def conversations_members(call: Call) -> dict[str, Any]:
    channel = visible_channel(call)
    page, next_cursor = call.page_of("member", iter(list(channel["members"])))
    return {"members": page, "response_metadata": {"next_cursor": next_cursor}}


@method("conversations.invite", scopes=INVITE)
def conversations_invite(call: Call) -> dict[str, Any]:
    channel = visible_channel(call)
    if _is_dm(channel):
        raise ApiError("method_not_supported_for_channel_type")
    if channel["is_archived"]:
        raise ApiError("is_archived")
    if call.user_id not in channel["members"]:
        raise ApiError("not_in_channel")
    users = call.list_arg("users")
    if not users:
        raise ApiError("no_user")
    errors: list[dict[str, Any]] = []
    added: list[str] = []
    for uid in dict.fromkeys(users):
        user = call.world.get_user(uid)
        if uid == call.user_id:
            errors.append({"user": uid, "ok": False, "error": "cant_invite_self"})
        elif user is None:
            errors.append({"user": uid, "ok": False, "error": "user_not_found"})
        elif uid in channel["members"]:
            errors.append({"user": uid, "ok": False, "error": "already_in_channel"})
        else:
            added.append(uid)
    if errors and not (call.bool_arg("force") and added):
        raise ApiError(errors[0]["error"], errors=errors)
    for uid in added:
        channel["members"].append(uid)
        call.publish("member_joined", channel_id=channel["id"], user=uid, inviter=call.user_id)
    out: dict[str, Any] = {"channel": channel_view(channel, call.user_id)}
    if errors:
        out["errors"] = errors
    return out


@method("conversations.leave", scopes=WRITE)
def conversations_leave(call: Call) -> dict[str, Any]:
    channel = visible_channel(call)
    if channel.get("is_im"):
        raise ApiError("method_not_supported_for_channel_type")
    if channel["id"] == GENERAL_ID or channel.get("is_general"):
        raise ApiError("cant_leave_general")
    if channel["is_archived"]:
        raise ApiError("is_archived")
    if call.user_id not in channel["members"]:
        return {"not_in_channel": True}
    channel["members"].remove(call.user_id)
    call.publish("member_left", channel_id=channel["id"], user=call.user_id)
    return {}


@method("conversations.archive", scopes=WRITE)
def conversations_archive(call: Call) -> dict[str, Any]:
    channel = visible_channel(call)
    if _is_dm(channel):
        raise ApiError("method_not_supported_for_channel_type")
    if channel.get("is_general"):
        raise ApiError("cant_archive_general")
    if channel["is_archived"]:
        raise ApiError("already_archived")
    if call.kind == "bot" and call.user_id not in channel["members"]:
        raise ApiError("not_in_channel")
    channel["is_archived"] = True
    call.publish("channel_archived", channel_id=channel["id"], user=call.user_id)
    return {}


@method("conversations.setTopic", scopes=TOPIC)
def conversations_set_topic(call: Call) -> dict[str, Any]:
    return set_description(call, "topic")


def set_description(call: Call, field: str) -> dict[str, Any]:
    """conversations.setTopic / setPurpose: the channel's `field` ({value, creator, last_set}) and the system
    message (subtype channel_topic / channel_purpose) Slack posts about the change."""
    channel = visible_channel(call)
    if channel.get("is_im"):
        raise ApiError("method_not_supported_for_channel_type")
    if channel["is_archived"]:
        raise ApiError("is_archived")
    require_member(call, channel)
    value = call.params.get(field)
    if value is None:
        raise ApiError(
            "invalid_arguments", response_metadata={"messages": [f"[ERROR] missing required field: {field}"]}
        )
    value = str(value)
    if len(value) > MAX_TOPIC:
        raise ApiError("too_long")
    now = int(call.world.now())
    channel[field] = {"value": value, "creator": call.user_id, "last_set": now}
    message = call.world.post(
        channel["id"],
        {
            "subtype": f"channel_{field}",
            "user": call.user_id,
            "text": f"set the channel {field}: {value}",
            field: value,
        },
    )
    call.publish("message_posted", channel_id=channel["id"], message=dict(message))
    return {"channel": channel_view(channel, call.user_id)}
