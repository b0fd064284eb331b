"""Socket Mode as the emulator serves it: single-use URLs, hello, envelopes to one connection, acks with payloads,
retries of unacked envelopes, the disconnect schedule, the 10-connection limit, wss with --tls, and both of
slack_sdk's clients (built-in and websocket-client)."""

from __future__ import annotations

import contextlib
import json
import queue
import ssl
import threading
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.socket_mode.response import SocketModeResponse
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from slackctl.emulator import start_emulator
from slackctl.emulator.delivery.deliverer import deliver, deliver_async

MANIFEST = {
    "display_information": {"name": "Sock"},
    "features": {"slash_commands": [{"command": "/sock", "description": "x"}]},
    "oauth_config": {"scopes": {"bot": ["channels:history", "commands"]}},
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


def test_hello_names_the_app_and_counts_connections(emu: Any) -> None:
    app = sock_app(emu)
    url = open_url(emu, app)
    assert url.startswith("ws://127.0.0.1:") and "/link/?ticket=" in url
    with connect(open_url(emu, app)) as first, connect(url) as second:
        hello1, hello2 = json.loads(first.recv(timeout=5)), json.loads(second.recv(timeout=5))
    assert hello1["type"] == "hello" and hello1["connection_info"] == {"app_id": app["app_id"]}
    assert set(hello1["debug_info"]) >= {"host", "build_number", "approximate_connection_time"}
    assert (hello1["num_connections"], hello2["num_connections"]) == (1, 2)


def test_a_url_works_once(emu: Any) -> None:
    url = open_url(emu, sock_app(emu))
    with connect(url) as ws:
        ws.recv(timeout=5)
    with pytest.raises(InvalidStatus) as err:
        connect(url)
    assert err.value.response.status_code == 401


def test_at_most_ten_connections_per_app(emu: Any) -> None:
    app = sock_app(emu)
    with contextlib.ExitStack() as stack:
        for _ in range(10):
            stack.enter_context(connect(open_url(emu, app)))
        with pytest.raises(InvalidStatus) as err:
            connect(open_url(emu, app))
        assert err.value.response.status_code == 429


def _acking(ws: Any, seen: queue.Queue, payload: Any = None, skip_first: bool = False) -> None:
    skipped = not skip_first
    try:
        for raw in ws:
            msg = json.loads(raw)
            if msg.get("type") == "hello":
                continue
            seen.put(msg)
            if not skipped:
                skipped = True
                continue
            ack = {"envelope_id": msg["envelope_id"]}
            if payload is not None:
                ack["payload"] = payload
            ws.send(json.dumps(ack))
    except Exception:
        pass


def test_each_envelope_goes_to_exactly_one_connection(emu: Any) -> None:
    app = sock_app(emu)
    seen: queue.Queue = queue.Queue()
    with contextlib.ExitStack() as stack:
        for _ in range(3):
            ws = stack.enter_context(connect(open_url(emu, app)))
            threading.Thread(target=_acking, args=(ws, seen), daemon=True).start()
        for i in range(9):
            emu.user("ada").post("#general", f"m{i}")
        got = [seen.get(timeout=5) for _ in range(9)]
        assert seen.empty()
        assert sorted(m["payload"]["event"]["text"] for m in got) == [f"m{i}" for i in range(9)]
        assert {m["type"] for m in got} == {"events_api"} and all(m["retry_attempt"] == 0 for m in got)
        assert all(m["accepts_response_payload"] is False for m in got)


def test_an_ack_payload_is_the_commands_answer(emu: Any) -> None:
    app = sock_app(emu)
    seen: queue.Queue = queue.Queue()
    with connect(open_url(emu, app)) as ws:
        threading.Thread(target=_acking, args=(ws, seen, {"text": "pong"}), daemon=True).start()
        result = emu.user("ada").command("/sock", "ping")
        envelope = seen.get(timeout=5)
        assert envelope["type"] == "slash_commands" and envelope["accepts_response_payload"] is True
        assert envelope["payload"]["command"] == "/sock" and envelope["payload"]["text"] == "ping"
        assert result["response"] == {"text": "pong"}
        (shown,) = [m for m in emu.user("ada").messages("#general") if m.get("text") == "pong"]
        assert shown["ephemeral"] is True


def test_an_unacked_envelope_is_sent_again_with_retry_attempt(emu: Any) -> None:
    app = sock_app(emu)
    emu.deliveries.ack_timeout = 0.3
    seen: queue.Queue = queue.Queue()
    with connect(open_url(emu, app)) as ws:
        threading.Thread(target=_acking, args=(ws, seen, None, True), daemon=True).start()
        assert emu.socket_mode.wait_connected(app["app_id"], timeout=5)  # else both quick attempts find none
        emu.user("ada").post("#general", "second time lucky")
        first, second = seen.get(timeout=5), seen.get(timeout=5)
        assert first["payload"]["event_id"] == second["payload"]["event_id"]
        assert (first["retry_attempt"], second["retry_attempt"]) == (0, 1)
        assert second["retry_reason"] == "timeout" and first["envelope_id"] != second["envelope_id"]


def test_connections_get_disconnect_refresh_requested_on_the_schedule(emu: Any) -> None:
    emu.socket_mode.refresh_interval = 0.2
    with connect(open_url(emu, sock_app(emu))) as ws:
        assert json.loads(ws.recv(timeout=5))["type"] == "hello"
        bye = json.loads(ws.recv(timeout=5))
    assert bye["type"] == "disconnect" and bye["reason"] == "refresh_requested"


def _run_client(client: Any, emu: Any, app: dict[str, Any]) -> None:
    got: queue.Queue = queue.Queue()

    def listener(c: Any, req: Any) -> None:
        c.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
        got.put(req)

    client.socket_mode_request_listeners.append(listener)
    client.connect()
    try:
        assert emu.socket_mode.wait_connected(app["app_id"], timeout=10)
        emu.user("ada").post("#general", "to the sdk")
        req = got.get(timeout=5)
        assert req.type == "events_api" and req.payload["event"]["text"] == "to the sdk"
        (delivery,) = [d for d in emu.deliveries_log(app["app_id"]) if d["payload"]["event"]["text"] == "to the sdk"]
        assert delivery["status"] == "acked"
    finally:
        client.auto_reconnect_enabled = False
        emu.socket_mode.disconnect(None, reason=None)
        client.close()


def test_slack_sdk_builtin_client_works(emu: Any) -> None:
    from slack_sdk.socket_mode.builtin import SocketModeClient

    app = sock_app(emu)
    _run_client(
        SocketModeClient(app_token=app["app_token"], web_client=WebClient(base_url=emu.url + "/api/")), emu, app
    )


def test_slack_sdk_websocket_client_client_works(emu: Any) -> None:
    from slack_sdk.socket_mode.websocket_client import SocketModeClient

    app = sock_app(emu)
    _run_client(
        SocketModeClient(app_token=app["app_token"], web_client=WebClient(base_url=emu.url + "/api/")), emu, app
    )


def test_wss_with_tls(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # slack_sdk's built-in client speaks TLS only to port 443; its websocket-client one works on any port.
    from slack_sdk.socket_mode.websocket_client import SocketModeClient

    with start_emulator(tls=True, cert_dir=tmp_path, manifests=[MANIFEST]) as emu:
        monkeypatch.setenv("WEBSOCKET_CLIENT_CA_BUNDLE", emu.ca_file)
        app = sock_app(emu)
        ctx = ssl.create_default_context(cafile=emu.ca_file)
        url = WebClient(base_url=emu.url + "/api/", ssl=ctx).apps_connections_open(app_token=app["app_token"])["url"]
        assert url.startswith("wss://")
        _run_client(
            SocketModeClient(app_token=app["app_token"], web_client=WebClient(base_url=emu.url + "/api/", ssl=ctx)),
            emu,
            app,
        )


def test_a_disconnect_fault_cuts_the_connection_and_the_event_is_retried(emu: Any) -> None:
    from websockets.exceptions import ConnectionClosed

    from slackctl.emulator.driver.waiting import wait_for

    app = sock_app(emu)
    emu.inject_delivery_fault("disconnect", app_id=app["app_id"])
    with connect(open_url(emu, app)) as ws:
        ws.recv(timeout=5)
        deliver_async(emu, app["app_id"], "events_api", {"type": "event_callback", "event": {}})
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=5)
    entry = wait_for(emu, lambda: next((e for e in emu.deliveries_log(app["app_id"]) if len(e["attempts"]) >= 2), None))
    assert [a["reason"] for a in entry["attempts"]] == ["connection_failed", "connection_failed"]
    assert entry["status"] == "retrying"  # the later retries wait a minute and five (scaled by --time-scale)


def test_deliver_reports_no_connection(emu: Any) -> None:
    ack = deliver(emu, sock_app(emu)["app_id"], "slash_commands", {"command": "/sock"})
    assert not ack.ok and ack.error == "connection_failed" and ack.attempts == 1


def test_after_refresh_requested_the_sdk_client_reconnects_and_keeps_receiving(emu: Any) -> None:
    from slack_sdk.socket_mode.builtin import SocketModeClient

    from slackctl.emulator.driver.waiting import wait_for

    app = sock_app(emu)
    emu.socket_mode.refresh_interval = 0.3
    client = SocketModeClient(app_token=app["app_token"], web_client=WebClient(base_url=emu.url + "/api/"))
    got: queue.Queue = queue.Queue()

    def listener(c: Any, req: Any) -> None:
        c.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
        got.put(req)

    client.socket_mode_request_listeners.append(listener)
    client.connect()
    try:
        wait_for(emu, lambda: len(emu.requests("apps.connections.open")) >= 2, timeout=10, what="a reconnection")
        emu.socket_mode.refresh_interval = None
        assert emu.socket_mode.wait_connected(app["app_id"], timeout=10)
        emu.user("ada").post("#general", "after the refresh")
        assert got.get(timeout=5).payload["event"]["text"] == "after the refresh"
    finally:
        client.auto_reconnect_enabled = False
        emu.socket_mode.disconnect(None, reason=None)
        client.close()
