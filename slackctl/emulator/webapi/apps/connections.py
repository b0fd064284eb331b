"""Web API: apps.connections.open (a Socket Mode URL for an app-level token)."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.webapi.registry import Call, method


@method("apps.connections.open", kinds=("app",), scopes={"app": ["connections:write"]}, body_token=False)
def apps_connections_open(call: Call) -> dict[str, Any]:
    # A single-use URL served by the emulator's Socket Mode endpoint (slackctl/emulator/delivery/socketmode.py).
    return {"url": call.emu.socket_mode.open_url(call.auth["app_id"])}
