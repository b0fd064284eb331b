"""Web API: the rest of chat.* apps use — ephemeral, scheduled and /me messages, permalinks, streamed replies."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from slackctl.emulator import ids
from slackctl.emulator.webapi.access import require_member, target_channel, visible_channel
from slackctl.emulator.webapi.chat.messages import (
    CHAT_WRITE,
    MAX_TEXT,
    author,
    message_fields,
    post_message,
)
from slackctl.emulator.webapi.registry import ApiError, Call, method
from slackctl.emulator.world import ephemeral

if TYPE_CHECKING:
    pass

BOT_WRITE = {"bot": ["chat:write"]}
MAX_SCHEDULE_AHEAD = 120 * 86400  # Slack accepts post_at up to 120 days ahead


def _open_channel(call: Call) -> dict[str, Any]:
    channel = target_channel(call)
    if channel["is_archived"]:
        raise ApiError("is_archived")
    require_member(call, channel, "chat:write.public")
    return channel


@method("chat.postEphemeral", scopes=CHAT_WRITE)
def chat_post_ephemeral(call: Call) -> dict[str, Any]:
    channel = _open_channel(call)
    uid = call.arg("user", required=True, error="user_not_in_channel") or ""
    if uid not in channel["members"]:
        raise ApiError("user_not_in_channel")
    fields = message_fields(call)
    if not fields:
        raise ApiError("no_text")
    thread_ts = call.arg("thread_ts")
    if thread_ts:
        fields["thread_ts"] = thread_ts
    shown = ephemeral.add(call.emu, channel["id"], uid, {**author(call), **fields})
    return {"message_ts": shown["ts"]}


@method("chat.meMessage", scopes=CHAT_WRITE)
def chat_me_message(call: Call) -> dict[str, Any]:
    channel = _open_channel(call)
    text = call.arg("text", required=True, error="no_text") or ""
    if len(text) > MAX_TEXT:
        raise ApiError("msg_too_long")
    message = call.world.post(channel["id"], {**author(call), "subtype": "me_message", "text": text})
    call.publish("message_posted", channel_id=channel["id"], message=dict(message))
    return {"channel": channel["id"], "ts": message["ts"]}


@method("chat.getPermalink")
def chat_get_permalink(call: Call) -> dict[str, Any]:
    channel = visible_channel(call)
    ts = call.arg("message_ts", required=True, error="message_not_found") or ""
    message = call.world.find_message(channel["id"], ts)
    if message is None:
        raise ApiError("message_not_found")
    link = f"{call.workspace_url()}archives/{channel['id']}/p{ts.replace('.', '')}"
    if message.get("thread_ts") not in (None, ts):
        link += f"?thread_ts={message['thread_ts']}&cid={channel['id']}"
    return {"channel": channel["id"], "permalink": link}


# ---- scheduled messages ---------------------------------------------------------------------------------
@method("chat.scheduleMessage", scopes=CHAT_WRITE)
def chat_schedule_message(call: Call) -> dict[str, Any]:
    channel = _open_channel(call)
    call.arg("post_at", required=True, error="invalid_time")
    post_at = int(call.number_arg("post_at", 0.0, "invalid_time"))
    now = call.world.now()
    if post_at <= now:
        raise ApiError("time_in_past")
    if post_at > now + MAX_SCHEDULE_AHEAD:
        raise ApiError("time_too_far")
    fields = message_fields(call)
    if not fields:
        raise ApiError("no_text")
    fields.setdefault("text", "")
    thread_ts = call.arg("thread_ts")  # the thread is looked up when the message is posted, as on Slack
    sid = ids.slack_id("Q")
    call.world.scheduled[sid] = {
        "id": sid,
        "channel_id": channel["id"],
        "post_at": post_at,
        "date_created": int(now),
        "text": fields["text"],
        "fields": fields,
        "author": author(call),
        "thread_ts": thread_ts,
        "reply_broadcast": call.bool_arg("reply_broadcast"),
        "app_id": call.auth.get("app_id"),
    }
    call.emu.scheduler.arm(post_at - now)
    message = {k: v for k, v in author(call).items() if k != "user"}
    message.update(fields, type="delayed_message", subtype="bot_message" if call.kind == "bot" else None)
    message = {k: v for k, v in message.items() if v is not None}
    return {"channel": channel["id"], "scheduled_message_id": sid, "post_at": post_at, "message": message}


@method("chat.scheduledMessages.list")
def chat_scheduled_messages_list(call: Call) -> dict[str, Any]:
    channel_ref = call.arg("channel")
    if channel_ref and call.world.find_channel(channel_ref) is None:
        raise ApiError("invalid_channel")
    app_id = call.auth.get("app_id")
    latest = call.number_arg("latest", math.inf)
    oldest = call.number_arg("oldest", 0.0)
    items = sorted(
        (
            rec
            for rec in call.world.scheduled.values()
            if rec["app_id"] == app_id
            and (not channel_ref or rec["channel_id"] == channel_ref)
            and oldest <= rec["post_at"] <= latest
        ),
        key=lambda rec: rec["post_at"],
    )
    page, next_cursor = call.page_of("sched", iter(items))
    return {
        "scheduled_messages": [
            {k: rec[k] for k in ("id", "channel_id", "post_at", "date_created", "text")} for rec in page
        ],
        "response_metadata": {"next_cursor": next_cursor},
    }


@method("chat.deleteScheduledMessage", scopes=CHAT_WRITE)
def chat_delete_scheduled_message(call: Call) -> dict[str, Any]:
    channel = visible_channel(call)
    sid = call.arg("scheduled_message_id", required=True, error="invalid_scheduled_message_id") or ""
    rec = call.world.scheduled.get(sid)
    if rec is None or rec["channel_id"] != channel["id"] or rec["app_id"] != call.auth.get("app_id"):
        raise ApiError("invalid_scheduled_message_id")
    del call.world.scheduled[sid]
    return {}


# ---- streamed replies (chat.startStream / appendStream / stopStream) ---------------------------------------
def _stream_text(call: Call, required: bool) -> str:
    """The text a stream call adds: markdown_text, or the markdown_text chunks of `chunks` (other chunk types,
    plan and task updates, are kept on the message as they come)."""
    text = call.params.get("markdown_text")
    chunks = call.json_arg("chunks")
    if chunks is not None:
        if text not in (None, ""):
            raise ApiError("markdown_text_conflict")
        if not isinstance(chunks, list) or not all(isinstance(c, dict) and c.get("type") for c in chunks):
            raise ApiError("invalid_chunks")
        text = "".join(str(c.get("text", "")) for c in chunks if c["type"] == "markdown_text")
    if text in (None, ""):
        if required:
            raise ApiError("no_text")
        return ""
    if len(str(text)) > MAX_TEXT:
        raise ApiError("msg_too_long")
    return str(text)


def _other_chunks(call: Call, message: dict[str, Any]) -> None:
    chunks = call.json_arg("chunks")
    if isinstance(chunks, list):
        extra = [c for c in chunks if isinstance(c, dict) and c.get("type") != "markdown_text"]
        if extra:
            message.setdefault("chunks", []).extend(extra)


@method("chat.startStream", kinds=("bot",), scopes=BOT_WRITE)
def chat_start_stream(call: Call) -> dict[str, Any]:
    channel = _open_channel(call)
    fields: dict[str, Any] = {"text": _stream_text(call, False)}
    for name in ("recipient_user_id", "recipient_team_id"):
        if call.arg(name):
            fields[name] = call.arg(name)
        elif not channel.get("is_im"):  # in a channel Slack must know whom the stream answers
            raise ApiError(f"missing_{name}")
    if fields.get("recipient_user_id") and call.world.get_user(fields["recipient_user_id"]) is None:
        raise ApiError("user_not_found")
    if fields.get("recipient_team_id") and fields["recipient_team_id"] != call.world.team["id"]:
        raise ApiError("team_not_found")
    _other_chunks(call, fields)
    message = post_message(call, channel, fields)
    call.world.streams[f"{channel['id']}|{message['ts']}"] = call.auth.get("bot_id") or ""
    return {"channel": channel["id"], "ts": message["ts"]}


def _streaming(call: Call) -> tuple[dict[str, Any], dict[str, Any]]:
    channel = visible_channel(call)
    ts = call.arg("ts", required=True, error="message_not_found") or ""
    message = call.world.find_message(channel["id"], ts)
    if message is None:
        raise ApiError("message_not_found")
    if message.get("bot_id") != call.auth.get("bot_id"):
        raise ApiError("message_not_owned_by_app")
    if f"{channel['id']}|{ts}" not in call.world.streams:
        raise ApiError("message_not_in_streaming_state")
    return channel, message


@method("chat.appendStream", kinds=("bot",), scopes=BOT_WRITE)
def chat_append_stream(call: Call) -> dict[str, Any]:
    channel, message = _streaming(call)
    previous = dict(message)
    added = _stream_text(call, call.json_arg("chunks") is None)
    if len(message.get("text", "") + added) > MAX_TEXT:
        raise ApiError("msg_too_long")
    message["text"] = message.get("text", "") + added
    _other_chunks(call, message)
    call.publish("message_changed", channel_id=channel["id"], message=dict(message), previous=previous)
    return {"channel": channel["id"], "ts": message["ts"]}


@method("chat.stopStream", kinds=("bot",), scopes=BOT_WRITE)
def chat_stop_stream(call: Call) -> dict[str, Any]:
    channel, message = _streaming(call)
    previous = dict(message)
    message["text"] = message.get("text", "") + _stream_text(call, False)
    _other_chunks(call, message)
    blocks = call.json_arg("blocks")
    if blocks is not None:
        if not isinstance(blocks, list):
            raise ApiError("invalid_blocks")
        message["blocks"] = blocks
    metadata = call.json_arg("metadata")
    if metadata is not None:
        message["metadata"] = metadata
    del call.world.streams[f"{channel['id']}|{message['ts']}"]
    call.publish("message_changed", channel_id=channel["id"], message=dict(message), previous=previous)
    return {"channel": channel["id"], "ts": message["ts"], "message": dict(message)}
