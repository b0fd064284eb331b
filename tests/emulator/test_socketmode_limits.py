"""Socket Mode under a client that misbehaves: an oversized frame is refused with 1009 (issue 24 item 5)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from slack_sdk import WebClient
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from slackctl.emulator import start_emulator

MAX_FRAME = 1024 * 1024  # the limit the emulator documents (docs/reliability.md)
MANIFEST = {
    "display_information": {"name": "Sock"},
    "oauth_config": {"scopes": {"bot": ["channels:history"]}},
    "settings": {"socket_mode_enabled": True, "event_subscriptions": {"bot_events": ["message.channels"]}},
}


@pytest.fixture
def emu() -> Any:
    with start_emulator(manifests=[MANIFEST]) as emulator:
        yield emulator


def sock_app(emu: Any) -> dict[str, Any]:
    return next(a for a in emu.apps() if a["name"] == "Sock")


def open_url(emu: Any, app: dict[str, Any]) -> str:
    return WebClient(base_url=emu.url + "/api/").apps_connections_open(app_token=app["app_token"])["url"]


def test_a_frame_over_the_limit_closes_the_connection_with_1009(emu: Any) -> None:
    app = sock_app(emu)
    with connect(open_url(emu, app), max_size=None, close_timeout=2) as ws:
        assert json.loads(ws.recv(timeout=5))["type"] == "hello"
        ws.send(json.dumps({"envelope_id": "x", "payload": "a" * (MAX_FRAME + 1)}))
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=5)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
    deadline = time.monotonic() + 5
    while emu.socket_mode.connections(app["app_id"]) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert emu.socket_mode.connections(app["app_id"]) == 0


def test_a_frame_under_the_limit_is_read(emu: Any) -> None:
    app = sock_app(emu)
    with connect(open_url(emu, app)) as ws:
        assert json.loads(ws.recv(timeout=5))["type"] == "hello"
        ws.send(json.dumps({"envelope_id": "x", "payload": "a" * (MAX_FRAME - 1000)}))
        assert ws.ping().wait(5)  # answered after the frame before it was read: the connection is still open
