"""Web API: chat.unfurl — an app's previews of the links in a message, shown under it as attachments."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.webapi.registry import ApiError, Call, method

UNFURL = {"bot": ["links:write"], "user": ["links:write"]}


@method("chat.unfurl", scopes=UNFURL)
def chat_unfurl(call: Call) -> dict[str, Any]:
    ref = call.arg("channel")
    if not ref:
        raise ApiError("missing_channel")
    channel = call.world.find_channel(ref)
    if channel is None:
        raise ApiError("cannot_find_channel")
    ts = call.arg("ts")
    if not ts:
        raise ApiError("missing_ts")
    message = call.world.find_message(channel["id"], ts)
    if message is None:
        raise ApiError("cannot_find_message")
    unfurls = call.json_arg("unfurls")
    if unfurls is None:
        raise ApiError("missing_unfurls")
    if not isinstance(unfurls, dict) or not all(isinstance(v, dict) for v in unfurls.values()):
        raise ApiError("invalid_unfurls_format")
    text = str(message.get("text") or "")
    previous = dict(message)
    kept = [a for a in message.get("attachments") or [] if a.get("app_unfurl_url") not in unfurls]
    for url, preview in unfurls.items():
        if url not in text:
            raise ApiError("cannot_unfurl_url")
        kept.append({**preview, "app_unfurl_url": url, "is_app_unfurl": True, "app_id": call.auth.get("app_id")})
    message["attachments"] = kept
    call.publish("message_changed", channel_id=channel["id"], message=dict(message), previous=previous)
    return {}
