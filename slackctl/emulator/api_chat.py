"""Web API: chat.*, conversations.* and users.* over the emulated workspace."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from slackctl.emulator import richtext
from slackctl.emulator.registry import ApiError, Call, decode_cursor, encode_cursor, method
from slackctl.emulator.userpages import hide_email, members_json

if TYPE_CHECKING:
    from slackctl.emulator.state import World

READ = {"bot": ["channels:read", "groups:read", "im:read", "mpim:read"],
        "user": ["channels:read", "groups:read", "im:read", "mpim:read"]}
HISTORY = {"bot": ["channels:history", "groups:history", "im:history", "mpim:history"],
           "user": ["channels:history", "groups:history", "im:history", "mpim:history"]}
CHAT_WRITE = {"bot": ["chat:write"], "user": ["chat:write"]}
USERS_READ = {"bot": ["users:read"], "user": ["users:read"]}
_CHANNEL_NAME = re.compile(r"^[a-z0-9_\-]+$")
MAX_TEXT = 40000


def conversation_type(channel: dict[str, Any]) -> str:
    """conversations.list's `types` name for a conversation."""
    if channel.get("is_im"):
        return "im"
    if channel.get("is_mpim"):
        return "mpim"
    return "private_channel" if channel["is_private"] else "public_channel"


def visible_channel(call: Call, required: bool = True, name: str = "channel") -> dict[str, Any]:
    ref = call.arg(name, required=required, error="channel_not_found")
    channel = call.world.find_channel(ref or "")
    if channel is None or (channel["is_private"] and call.user_id not in channel["members"]):
        raise ApiError("channel_not_found")
    return channel


def channel_view(channel: dict[str, Any], viewer: str | None) -> dict[str, Any]:
    out = dict(channel)  # a C-level copy: ~3x faster than a filtering comprehension, per channel of a page
    del out["members"]
    if channel.get("is_im"):  # Slack's im object: the other party as `user`, no name or membership counts
        others = [m for m in channel["members"] if m != viewer] or channel["members"]
        out["user"] = others[0]
        del out["name"]
        return out
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


def message_fields(call: Call) -> dict[str, Any]:
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
    elif fields.get("text") and not attachments:
        fields["blocks"] = [richtext.block_of(fields["text"])]  # as Slack stores a text-only message
    if attachments:
        fields["attachments"] = attachments
    metadata = call.json_arg("metadata")
    if isinstance(metadata, dict) and metadata.get("event_type"):
        fields["metadata"] = metadata  # Bolt keeps an assistant thread's context here
    return fields


def bot_profile(call: Call, bot_id: str) -> dict[str, Any] | None:
    """What Slack attaches to a bot's messages (Bolt's and clients' way to tell who posted)."""
    for app in call.world.apps.values():
        if app["bot_id"] == bot_id:
            return {"id": bot_id, "deleted": False, "name": app["name"], "updated": 1700000000,
                    "app_id": app["app_id"], "team_id": call.world.team["id"],
                    "icons": {k: f"https://a.slack-edge.com/emulator_{k[6:]}.png"
                              for k in ("image_36", "image_48", "image_72")}}
    return None


def author(call: Call) -> dict[str, Any]:
    """The posting fields of the caller: user, and for a bot token bot_id, app_id and bot_profile."""
    tok = call.token or {}
    out: dict[str, Any] = {"user": tok.get("user_id")}
    if tok.get("kind") == "bot":
        out["bot_id"] = tok["bot_id"]
        out["app_id"] = tok["app_id"]
        profile = bot_profile(call, tok["bot_id"])
        if profile is not None:
            out["bot_profile"] = profile
    return out


def target_channel(call: Call) -> dict[str, Any]:
    """`channel` for posting: a channel (id or name), or a user id, meaning the caller's DM with that user."""
    ref = call.arg("channel") or ""
    if ref[:1] in ("U", "W") and call.world.get_user(ref) is not None and call.user_id:
        return call.world.open_dm(call.user_id, ref)
    return visible_channel(call)


def add_reply(world: World, channel: dict[str, Any], thread_ts: str, reply: dict[str, Any]) -> None:
    """Thread bookkeeping Slack keeps on the parent: reply_count, reply_users (latest_reply once posted)."""
    parent = world.find_message(channel["id"], thread_ts)
    if parent is None or parent.get("thread_ts") not in (None, parent["ts"]):
        raise ApiError("thread_not_found")
    reply["thread_ts"] = thread_ts
    reply["parent_user_id"] = parent.get("user")
    parent["thread_ts"] = thread_ts
    parent["reply_count"] = parent.get("reply_count", 0) + 1
    users = parent.setdefault("reply_users", [])
    if reply.get("user") and reply["user"] not in users:
        users.append(reply["user"])
    parent["reply_users_count"] = len(users)
    parent.setdefault("is_locked", False)
    parent.setdefault("subscribed", False)


def post_message(call: Call, channel: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """Store a message from the caller (threads and broadcasts included) and announce it on the bus."""
    stored = post_in(call.world, channel, {**author(call), **fields}, call.arg("thread_ts"),
                     call.bool_arg("reply_broadcast"))
    call.publish("message_posted", channel_id=channel["id"], message=dict(stored))
    return stored


def post_in(world: World, channel: dict[str, Any], message: dict[str, Any], thread_ts: str | None = None,
            broadcast: bool = False) -> dict[str, Any]:
    """Store MESSAGE in CHANNEL, as a reply in THREAD_TS when given (thread_not_found if it is no thread root)."""
    if thread_ts:
        add_reply(world, channel, thread_ts, message)
        if broadcast:
            message["subtype"] = "thread_broadcast"
    stored = world.post(channel["id"], message)
    if thread_ts:
        parent = world.find_message(channel["id"], thread_ts)
        if parent is not None:
            parent["latest_reply"] = stored["ts"]
        assistant = world.assistant_threads.get(f"{channel['id']}|{thread_ts}")
        if assistant is not None and stored.get("bot_id"):
            assistant["status"] = ""  # Slack clears "is thinking…" once the app replies in the thread
    return stored


@method("chat.postMessage", scopes=CHAT_WRITE)
def chat_post_message(call: Call) -> dict[str, Any]:
    channel = target_channel(call)
    if channel["is_archived"]:
        raise ApiError("is_archived")
    require_member(call, channel, "chat:write.public")
    fields = message_fields(call)
    if not fields:
        raise ApiError("no_text")
    fields.setdefault("text", "")
    message = post_message(call, channel, fields)
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
    fields = message_fields(call)
    if not fields:
        raise ApiError("no_text")
    previous = dict(message)
    message.update(fields)
    message["edited"] = {"user": call.user_id, "ts": call.world.next_ts()}
    call.publish("message_changed", channel_id=channel["id"], message=dict(message), previous=previous)
    return {"channel": channel["id"], "ts": message["ts"], "text": message.get("text", ""),
            "message": dict(message)}


@method("chat.delete", scopes=CHAT_WRITE)
def chat_delete(call: Call) -> dict[str, Any]:
    channel = visible_channel(call)
    message = _own_message(call, channel, "cant_delete_message")
    call.world.messages[channel["id"]].remove(message)
    call.publish("message_deleted", channel_id=channel["id"], ts=message["ts"], previous=dict(message))
    return {"channel": channel["id"], "ts": message["ts"]}


@method("conversations.list", scopes=READ)
def conversations_list(call: Call) -> dict[str, Any]:
    types = set(call.list_arg("types") or ["public_channel"])
    unknown = types - {"public_channel", "private_channel", "im", "mpim"}
    if unknown:
        raise ApiError("invalid_types")
    exclude_archived = call.bool_arg("exclude_archived")
    viewer = call.user_id

    def chosen() -> Iterator[dict[str, Any]]:
        for cid in call.world.channel_order:
            ch = call.world.channels[cid]
            if exclude_archived and ch["is_archived"]:
                continue
            if conversation_type(ch) in types and (not ch["is_private"] or viewer in ch["members"]):
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
    oldest = call.number_arg("oldest", 0.0, "invalid_ts_oldest")
    latest = call.number_arg("latest", math.inf, "invalid_ts_latest")
    inclusive = call.bool_arg("inclusive")
    cursor = call.arg("cursor")
    if cursor:
        latest = decode_cursor(cursor, "next_ts") / 1e6
        inclusive = True
    msgs = []
    for m in reversed(call.world.messages.get(channel["id"], [])):
        ts = float(m["ts"])
        if m.get("thread_ts") not in (None, m["ts"]) and m.get("subtype") != "thread_broadcast":
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
    return {"messages": [dict(m) for m in msgs[:limit]], "has_more": has_more,
            "pin_count": len(call.world.pins.get(channel["id"], [])),
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
    call.publish("channel_created", channel=channel_view(channel, call.user_id))
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
        call.publish("member_joined", channel_id=channel["id"], user=call.user_id, inviter=None)
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
