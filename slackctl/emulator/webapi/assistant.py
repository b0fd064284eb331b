"""Web API: assistant.threads.setStatus/setTitle/setSuggestedPrompts."""

from __future__ import annotations

import re
from typing import Any

from slackctl.emulator.webapi.access import visible_channel
from slackctl.emulator.webapi.registry import ApiError, Call, method

ASSISTANT_STATUS = {"bot": ["chat:write"]}


ASSISTANT_WRITE = {"bot": ["assistant:write"]}


_TS = re.compile(r"^\d{1,12}\.\d{1,6}$")


MAX_PROMPTS = 4


# ---- assistant threads ----------------------------------------------------------------------------------
def _thread(call: Call, required: bool = True) -> dict[str, Any]:
    channel = visible_channel(call, name="channel_id")
    ts = call.arg("thread_ts")
    if ts is None and not required:
        return call.world.assistant_threads.setdefault(channel["id"], {"channel_id": channel["id"]})
    if not ts or not _TS.match(ts):
        raise ApiError("invalid_thread_ts")
    key = f"{channel['id']}|{ts}"
    return call.world.assistant_threads.setdefault(key, {"channel_id": channel["id"], "thread_ts": ts})


@method("assistant.threads.setStatus", kinds=("bot",), scopes=ASSISTANT_STATUS)
def assistant_set_status(call: Call) -> dict[str, Any]:
    status = call.params.get("status")
    if status is None:
        raise ApiError("invalid_arguments", response_metadata={"messages": ["[ERROR] missing required field: status"]})
    thread = _thread(call)
    thread["status"] = str(status)  # "" clears it, as on Slack
    loading = call.json_arg("loading_messages")
    if loading is not None:
        thread["loading_messages"] = loading
    call.publish(
        "assistant_status_set",
        channel_id=thread["channel_id"],
        thread_ts=thread["thread_ts"],
        status=thread["status"],
        app_id=call.auth.get("app_id"),
    )
    return {}


@method("assistant.threads.setTitle", kinds=("bot",), scopes=ASSISTANT_WRITE)
def assistant_set_title(call: Call) -> dict[str, Any]:
    title = call.arg("title", required=True) or ""
    thread = _thread(call)
    thread["title"] = title
    root = call.world.find_message(thread["channel_id"], thread["thread_ts"])
    if root is not None and isinstance(root.get("assistant_app_thread"), dict):
        root["assistant_app_thread"]["title"] = title  # what Slack's container lists the thread as
    call.publish(
        "assistant_thread_changed",
        channel_id=thread["channel_id"],
        thread_ts=thread["thread_ts"],
        app_id=call.auth.get("app_id"),
    )
    return {}


@method("assistant.threads.setSuggestedPrompts", kinds=("bot",), scopes=ASSISTANT_WRITE)
def assistant_set_suggested_prompts(call: Call) -> dict[str, Any]:
    prompts = call.json_arg("prompts", required=True)
    if (
        not isinstance(prompts, list)
        or not 1 <= len(prompts) <= MAX_PROMPTS
        or not all(
            isinstance(p, dict) and isinstance(p.get("title"), str) and isinstance(p.get("message"), str)
            for p in prompts
        )
    ):
        raise ApiError(
            "invalid_arguments",
            response_metadata={
                "messages": [
                    f"[ERROR] prompts must be 1-{MAX_PROMPTS} objects with title and message [json-pointer:/prompts]"
                ]
            },
        )
    thread = _thread(call, required=False)
    thread["prompts"] = prompts
    if call.arg("title"):
        thread["prompts_title"] = call.arg("title")
    call.publish(
        "assistant_thread_changed",
        channel_id=thread["channel_id"],
        thread_ts=thread.get("thread_ts"),
        app_id=call.auth.get("app_id"),
    )
    return {}
