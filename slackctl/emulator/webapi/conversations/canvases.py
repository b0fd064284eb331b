"""Web API: conversations.canvases.create — the one canvas a channel has (its tab), made from markdown."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.webapi.access import visible_channel
from slackctl.emulator.webapi.canvases import WRITE, new_canvas
from slackctl.emulator.webapi.registry import ApiError, Call, method


@method("conversations.canvases.create", scopes=WRITE)
def conversations_canvases_create(call: Call) -> dict[str, Any]:
    channel = visible_channel(call, name="channel_id")
    properties = channel.setdefault("properties", {})
    if "canvas" in properties:
        raise ApiError("channel_canvas_already_exists")
    canvas = new_canvas(
        call,
        call.arg("title") or channel.get("name") or "Canvas",
        call.json_arg("document_content"),
        channel_id=channel["id"],
    )
    properties["canvas"] = {
        "file_id": canvas["id"],
        "is_empty": not canvas["sections"],
        "quip_thread_id": ids_for(canvas["id"]),
    }
    return {"canvas_id": canvas["id"]}


def ids_for(canvas_id: str) -> str:
    """The quip thread id Slack shows beside a channel canvas (derived: one canvas, one thread)."""
    return f"{canvas_id[1:]}Q"
