"""Web API: chat.postMessage, chat.update and chat.delete, and the message fields and authorship they share with
the rest of chat.*."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.webapi.access import require_member, target_channel, visible_channel
from slackctl.emulator.webapi.chat import richtext
from slackctl.emulator.webapi.registry import ApiError, Call, method
from slackctl.emulator.world.messages import bot_profile, post_in

CHAT_WRITE = {"bot": ["chat:write"], "user": ["chat:write"]}
MAX_TEXT = 40000
MAX_METADATA = 8000  # characters; Slack refuses larger metadata with metadata_too_large


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
    if metadata is not None:
        fields["metadata"] = message_metadata(metadata)
    return fields


def message_metadata(metadata: Any) -> dict[str, Any]:
    """Slack's message metadata: an event_type (a name) and an event_payload (an object), kept with the message,
    returned by conversations.history/replies with include_all_metadata and carried by its message events."""
    if (
        not isinstance(metadata, dict)
        or not isinstance(metadata.get("event_type"), str)
        or not metadata["event_type"]
        or not isinstance(metadata.get("event_payload", {}), dict)
    ):
        raise ApiError("invalid_metadata_format")
    if len(str(metadata)) > MAX_METADATA:
        raise ApiError("metadata_too_large")
    return {"event_type": metadata["event_type"], "event_payload": metadata.get("event_payload", {})}


def author(call: Call) -> dict[str, Any]:
    """The posting fields of the caller: user, and for a bot token bot_id, app_id and bot_profile."""
    tok = call.token or {}
    out: dict[str, Any] = {"user": tok.get("user_id")}
    if tok.get("team_id"):  # the poster's workspace (under Grid, a shared channel holds posts of both)
        out["team"] = tok["team_id"]
    if tok.get("kind") == "bot":
        out["bot_id"] = tok["bot_id"]
        out["app_id"] = tok["app_id"]
        profile = bot_profile(call.world, tok["bot_id"])
        if profile is not None:
            out["bot_profile"] = profile
    return out


def post_message(call: Call, channel: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """Store a message from the caller (threads and broadcasts included) and announce it on the bus."""
    stored = post_in(
        call.world, channel, {**author(call), **fields}, call.arg("thread_ts"), call.bool_arg("reply_broadcast")
    )
    execution_id = (call.token or {}).get("function_execution_id")
    if execution_id:  # posted with a function's token: its buttons carry function_data (driver/user.py click)
        call.world.function_messages[f"{channel['id']}|{stored['ts']}"] = execution_id
    call.publish("message_posted", channel_id=channel["id"], message=dict(stored))
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
    return {"channel": channel["id"], "ts": message["ts"], "text": message.get("text", ""), "message": dict(message)}


@method("chat.delete", scopes=CHAT_WRITE)
def chat_delete(call: Call) -> dict[str, Any]:
    channel = visible_channel(call)
    message = _own_message(call, channel, "cant_delete_message")
    call.world.messages[channel["id"]].remove(message)
    call.publish("message_deleted", channel_id=channel["id"], ts=message["ts"], previous=dict(message))
    return {"channel": channel["id"], "ts": message["ts"]}
