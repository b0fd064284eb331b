"""Web API: chat.*, conversations.* and users.* over the emulated workspace."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from slackctl.emulator.registry import ApiError, Call, decode_cursor, encode_cursor, method
from slackctl.emulator.userpages import hide_email, members_json

READ = {"bot": ["channels:read", "groups:read", "im:read", "mpim:read"],
        "user": ["channels:read", "groups:read", "im:read", "mpim:read"]}
HISTORY = {"bot": ["channels:history", "groups:history", "im:history", "mpim:history"],
           "user": ["channels:history", "groups:history", "im:history", "mpim:history"]}
CHAT_WRITE = {"bot": ["chat:write"], "user": ["chat:write"]}
USERS_READ = {"bot": ["users:read"], "user": ["users:read"]}
_CHANNEL_NAME = re.compile(r"^[a-z0-9_\-]+$")
MAX_TEXT = 40000


def visible_channel(call: Call, required: bool = True, name: str = "channel") -> dict[str, Any]:
    ref = call.arg(name, required=required, error="channel_not_found")
    channel = call.world.find_channel(ref or "")
    if channel is None or (channel["is_private"] and call.user_id not in channel["members"]):
        raise ApiError("channel_not_found")
    return channel


def channel_view(channel: dict[str, Any], viewer: str | None) -> dict[str, Any]:
    out = dict(channel)  # a C-level copy: ~3x faster than a filtering comprehension, per channel of a page
    del out["members"]
    out["is_member"] = viewer in channel["members"]
    out["num_members"] = len(channel["members"])
    return out


def require_member(call: Call, channel: dict[str, Any], public_scope: str | None = None) -> None:
    """Bots must be members (unless they hold e.g. chat:write.public for a public channel)."""
    if call.user_id in channel["members"]:
        return
    if call.kind == "user" and not channel["is_private"]:
        return
    if public_scope and not channel["is_private"] and call.has_scope(public_scope):
        return
    raise ApiError("not_in_channel")


def _message_fields(call: Call) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    text = call.params.get("text")
    blocks = call.json_arg("blocks")
    attachments = call.json_arg("attachments")
    if blocks is not None and not isinstance(blocks, list):
        raise ApiError("invalid_blocks")
    if attachments is not None and not isinstance(attachments, list):
        raise ApiError("invalid_attachments")
    if text not in (None, ""):
        fields["text"] = str(text)
        if len(fields["text"]) > MAX_TEXT:
            raise ApiError("msg_too_long")
    if blocks:
        fields["blocks"] = blocks
    if attachments:
        fields["attachments"] = attachments
    return fields


def _author(call: Call) -> dict[str, Any]:
    tok = call.token or {}
    out: dict[str, Any] = {"user": tok.get("user_id")}
    if tok.get("kind") == "bot":
        out["bot_id"] = tok["bot_id"]
        out["app_id"] = tok["app_id"]
    return out


@method("chat.postMessage", scopes=CHAT_WRITE)
def chat_post_message(call: Call) -> dict[str, Any]:
    channel = visible_channel(call)
    if channel["is_archived"]:
        raise ApiError("is_archived")
    require_member(call, channel, "chat:write.public")
    fields = _message_fields(call)
    if not fields:
        raise ApiError("no_text")
    fields.setdefault("text", "")
    thread_ts = call.arg("thread_ts")
    if thread_ts:
        parent = call.world.find_message(channel["id"], thread_ts)
        if parent is None:
            raise ApiError("thread_not_found")
        fields["thread_ts"] = thread_ts
        parent["thread_ts"] = thread_ts
        parent["reply_count"] = parent.get("reply_count", 0) + 1
    message = call.world.post(channel["id"], {**_author(call), **fields})
    return {"channel": channel["id"], "ts": message["ts"], "message": dict(message)}


def _own_message(call: Call, channel: dict[str, Any], deny: str) -> dict[str, Any]:
    ts = call.arg("ts", required=True, error="message_not_found")
    message = call.world.find_message(channel["id"], ts or "")
    if message is None:
        raise ApiError("message_not_found")
    if message.get("user") != call.user_id:
        raise ApiError(deny)
    return message


@method("chat.update", scopes=CHAT_WRITE)
def chat_update(call: Call) -> dict[str, Any]:
    channel = visible_channel(call)
    message = _own_message(call, channel, "cant_update_message")
    fields = _message_fields(call)
    if not fields:
        raise ApiError("no_text")
    message.update(fields)
    message["edited"] = {"user": call.user_id, "ts": call.world.next_ts()}
    return {"channel": channel["id"], "ts": message["ts"], "text": message.get("text", ""),
            "message": dict(message)}


@method("chat.delete", scopes=CHAT_WRITE)
def chat_delete(call: Call) -> dict[str, Any]:
    channel = visible_channel(call)
    message = _own_message(call, channel, "cant_delete_message")
    call.world.messages[channel["id"]].remove(message)
    return {"channel": channel["id"], "ts": message["ts"]}


@method("conversations.list", scopes=READ)
def conversations_list(call: Call) -> dict[str, Any]:
    types = set(call.list_arg("types") or ["public_channel"])
    unknown = types - {"public_channel", "private_channel", "im", "mpim"}
    if unknown:
        raise ApiError("invalid_types")
    exclude_archived = call.bool_arg("exclude_archived")
    private = "private_channel" in types
    public = "public_channel" in types
    viewer = call.user_id

    def chosen() -> Iterator[dict[str, Any]]:
        for cid in call.world.channel_order:
            ch = call.world.channels[cid]
            if exclude_archived and ch["is_archived"]:
                continue
            if public if not ch["is_private"] else (private and viewer in ch["members"]):
                yield ch

    page, next_cursor = call.page_of("channel", chosen())
    return {"channels": [channel_view(ch, viewer) for ch in page], "response_metadata": {"next_cursor": next_cursor}}


@method("conversations.info", scopes=READ)
def conversations_info(call: Call) -> dict[str, Any]:
    channel = visible_channel(call)
    return {"channel": channel_view(channel, call.user_id)}


@method("conversations.history", scopes=HISTORY)
def conversations_history(call: Call) -> dict[str, Any]:
    channel = visible_channel(call)
    require_member(call, channel)
    limit = call.int_arg("limit", 100, 0, 999) or 100
    oldest = float(call.arg("oldest") or 0)
    latest = float(call.arg("latest") or "inf")
    inclusive = call.bool_arg("inclusive")
    cursor = call.arg("cursor")
    if cursor:
        latest = decode_cursor(cursor, "next_ts") / 1e6
        inclusive = True
    msgs = []
    for m in reversed(call.world.messages.get(channel["id"], [])):
        ts = float(m["ts"])
        if m.get("thread_ts") not in (None, m["ts"]):
            continue  # replies live in conversations.replies
        if ts > latest or (ts == latest and not inclusive):
            continue
        if ts < oldest or (ts == oldest and not inclusive):
            break
        msgs.append(m)
        if len(msgs) > limit:
            break
    has_more = len(msgs) > limit
    next_cursor = encode_cursor("next_ts", round(float(msgs[limit]["ts"]) * 1e6)) if has_more else ""
    return {"messages": [dict(m) for m in msgs[:limit]], "has_more": has_more, "pin_count": 0,
            "channel_actions_ts": None, "channel_actions_count": 0,
            "response_metadata": {"next_cursor": next_cursor}}


@method("conversations.create", scopes={"bot": ["channels:manage", "groups:write"],
                                        "user": ["channels:write", "groups:write"]})
def conversations_create(call: Call) -> dict[str, Any]:
    name = call.arg("name", required=True, error="invalid_name_required") or ""
    if len(name) > 80:
        raise ApiError("invalid_name_maxlength")
    if not _CHANNEL_NAME.match(name):
        raise ApiError("invalid_name_specials")
    if call.world.find_channel(name) is not None:
        raise ApiError("name_taken")
    from slackctl.emulator import ids
    from slackctl.emulator.state import make_channel

    channel = make_channel(ids.slack_id("C"), name, creator=call.user_id or "", is_private=call.bool_arg(
        "is_private"), members=[call.user_id or ""], created=int(call.world.now()))
    call.world.add_channel(channel)
    return {"channel": channel_view(channel, call.user_id)}


@method("conversations.join", scopes={"bot": ["channels:join"], "user": ["channels:write"]})
def conversations_join(call: Call) -> dict[str, Any]:
    channel = visible_channel(call)
    if channel["is_private"]:
        raise ApiError("method_not_supported_for_channel_type")
    if channel["is_archived"]:
        raise ApiError("is_archived")
    out: dict[str, Any] = {}
    if call.user_id in channel["members"]:
        out["warning"] = "already_in_channel"
        out["response_metadata"] = {"warnings": ["already_in_channel"]}
    else:
        channel["members"].append(call.user_id)
    return {"channel": channel_view(channel, call.user_id), **out}


def user_view(call: Call, user: dict[str, Any]) -> dict[str, Any]:
    return user if call.has_scope("users:read.email") else hide_email(user)


@method("users.list", scopes=USERS_READ)
def users_list(call: Call) -> dict[str, Any]:
    world = call.world
    start, end, next_cursor = call.page("user", world.user_count())
    # Already-encoded JSON: encoding 200 user dicts per page was most of a page's server time.
    members = members_json(world, start, end, call.has_scope("users:read.email"))
    return {"members": members, "cache_ts": int(world.now()), "response_metadata": {"next_cursor": next_cursor}}


@method("users.info", scopes=USERS_READ)
def users_info(call: Call) -> dict[str, Any]:
    uid = call.arg("user", required=True, error="user_not_found") or ""
    user = call.world.get_user(uid)
    if user is None:
        raise ApiError("user_not_found")
    return {"user": user_view(call, user)}
