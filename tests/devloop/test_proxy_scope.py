"""The exec proxy answers only the program slackctl started, and takes over TLS only for Slack's hosts and the
emulator's own ports (issue 24 item 7)."""

from __future__ import annotations

import http.client
import http.server
import json
import ssl
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from slackctl.emulator.exec.intercept import ProxyEvent, SlackProxy


@pytest.fixture
def local_https(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """A real HTTPS server on 127.0.0.1 with its own CA (not the proxy's): (port, its CA file)."""
    from slackctl.emulator.exec.servercerts import ensure_certs, server_context

    ca, cert, key = ensure_certs(tmp_path / "local-https")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = b"the real local service"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = server_context(cert, key).wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1], ca
    finally:
        server.shutdown()
        server.server_close()


def _port(proxy: SlackProxy) -> int:
    return proxy.address[1]


def test_the_proxy_url_carries_a_random_credential(emulator) -> None:
    with SlackProxy(emulator.url) as one, SlackProxy(emulator.url) as two:
        urls = [urllib.parse.urlsplit(p.url) for p in (one, two)]
    assert [u.username for u in urls] == ["slackctl", "slackctl"]
    assert all(u.password and len(u.password) >= 24 for u in urls) and urls[0].password != urls[1].password
    assert [u.hostname for u in urls] == ["127.0.0.1", "127.0.0.1"]


@pytest.mark.parametrize("credential", ["none", "wrong"])
def test_a_request_without_the_credential_gets_407_and_reaches_nothing(emulator, credential) -> None:
    token = emulator.mint_token("bot")["token"]
    headers = {} if credential == "none" else {"Proxy-Authorization": "Basic c2xhY2tjdGw6d3Jvbmc="}
    events: list[ProxyEvent] = []
    with SlackProxy(emulator.url, on_event=events.append) as proxy:
        tunnel = http.client.HTTPSConnection(
            "127.0.0.1", _port(proxy), timeout=10, context=ssl.create_default_context(cafile=str(proxy.bundle))
        )
        tunnel.set_tunnel("slack.com", 443, headers=headers)
        with pytest.raises(OSError, match="407"):
            tunnel.request("POST", "/api/auth.test", headers={"Authorization": f"Bearer {token}"})
        plain = http.client.HTTPConnection("127.0.0.1", _port(proxy), timeout=10)
        plain.request("GET", f"{emulator.url}/api/api.test", headers=headers)
        answer = plain.getresponse()
        assert answer.status == 407
        assert answer.getheader("Proxy-Authenticate", "").startswith("Basic")
        assert "answers only the program slackctl started" in answer.read().decode()
    assert emulator.requests("auth.test") == [] and emulator.requests("api.test") == []
    # what emulator exec and run warn about: who tried
    assert [(e.kind, e.host) for e in events] == [("denied", "127.0.0.1"), ("denied", "127.0.0.1")]


def test_with_the_credential_slack_is_answered_by_the_emulator(emulator) -> None:
    token = emulator.mint_token("bot")["token"]
    with SlackProxy(emulator.url) as proxy:
        conn = http.client.HTTPSConnection(
            "127.0.0.1", _port(proxy), timeout=10, context=ssl.create_default_context(cafile=str(proxy.bundle))
        )
        conn.set_tunnel("slack.com", 443, headers=proxy.auth_headers)
        conn.request("POST", "/api/auth.test", headers={"Authorization": f"Bearer {token}", "Content-Length": "0"})
        assert json.loads(conn.getresponse().read())["ok"] is True


def test_another_loopback_https_service_passes_through_untouched(emulator, local_https) -> None:
    """Its own certificate reaches the client (verified against its own CA only), and so does its answer."""
    port, ca = local_https
    with SlackProxy(emulator.url) as proxy:
        conn = http.client.HTTPSConnection(
            "127.0.0.1", _port(proxy), timeout=10, context=ssl.create_default_context(cafile=str(ca))
        )
        conn.set_tunnel("127.0.0.1", port, headers=proxy.auth_headers)
        conn.request("GET", "/")
        assert conn.getresponse().read() == b"the real local service"


def test_the_emulators_socket_mode_port_is_still_answered_with_tls(emulator) -> None:
    """slack_sdk opens its ws:// Socket Mode URL with CONNECT and TLS behind a proxy: that port is the emulator's,
    so the proxy terminates TLS there (asked of the emulator's control surface)."""
    url = emulator.socket_mode.open_url(emulator.default_app["app_id"])
    ws_port = urllib.parse.urlsplit(url).port
    with SlackProxy(emulator.url) as proxy:
        conn = http.client.HTTPSConnection(
            "127.0.0.1", _port(proxy), timeout=10, context=ssl.create_default_context(cafile=str(proxy.bundle))
        )
        conn.set_tunnel("127.0.0.1", ws_port, headers=proxy.auth_headers)
        conn.request("GET", "/link/?ticket=nope")  # the TLS handshake with the proxy's leaf is what is tested
        assert conn.getresponse().status >= 400  # a plain GET is no WebSocket upgrade: refused by the emulator
