"""`slackctl doctor` and `webhook send` through proxies: a proxy that refuses CONNECT with 403 is a failing slack
line naming the proxy (redacted) and the fix; a working CONNECT proxy is named on the ok line; a webhook posts
through it."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import register_secret
from tests.slack.servers import ConnectProxy


class RefusingProxy:
    """Answers every request, CONNECT included, with 403 Forbidden (a corporate proxy's policy refusal)."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                first = self.rfile.readline(8192).decode("latin-1").strip()
                while self.rfile.readline(8192) not in (b"\r\n", b"\n", b""):
                    pass
                outer.seen.append(first)
                self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> RefusingProxy:
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture(scope="module")
def tls_emu() -> Iterator[Any]:
    from slackctl.emulator import start_emulator

    with start_emulator(tls=True) as emu:
        yield emu


def test_a_proxy_that_refuses_connect_is_a_failing_line_with_the_fix(cli, tls_emu):
    password = "s3cret-proxy-pass"
    register_secret(password)
    with RefusingProxy() as proxy:
        url = proxy.url.replace("http://", f"http://ci:{password}@")
        result = cli(
            "doctor", env={"SLACKCTL_SLACK_URL": tls_emu.url, "SLACKCTL_CA_BUNDLE": tls_emu.ca_file, "HTTPS_PROXY": url}
        )
    assert result.exit_code == 1
    (line,) = [ln for ln in result.stdout.splitlines() if " slack: " in ln]
    assert line.startswith("fail slack: ") and "403" in line
    assert f"via http://***@{proxy.url[7:]} (from HTTPS_PROXY)" in line
    assert "fix: " in line
    assert proxy.seen and proxy.seen[0].startswith("CONNECT ")


def test_the_proxy_in_use_is_named_on_the_ok_line(cli, tls_emu):
    with ConnectProxy() as proxy:
        result = cli(
            "doctor",
            "--json",
            env={"SLACKCTL_SLACK_URL": tls_emu.url, "SLACKCTL_CA_BUNDLE": tls_emu.ca_file, "HTTPS_PROXY": proxy.url},
        )
    import json

    slack = {c["name"]: c for c in json.loads(result.stdout)["checks"]}["slack"]
    assert slack["status"] == "ok", slack
    assert f"via {proxy.url} (from HTTPS_PROXY)" in slack["detail"] and tls_emu.ca_file in slack["detail"]
    assert proxy.tunnels


def test_webhook_send_goes_through_the_proxy(cli, tls_emu):
    tls_emu.reset()
    app = tls_emu.create_app(name="Hooky", bot_scopes=["incoming-webhook"])
    hook = tls_emu.mint_webhook("general", app["app_id"])
    register_secret(hook["url"])
    with ConnectProxy() as proxy:
        result = cli(
            "webhook",
            "send",
            "--text",
            "through the proxy",
            env={"SLACK_WEBHOOK_URL": hook["url"], "SLACKCTL_CA_BUNDLE": tls_emu.ca_file, "HTTPS_PROXY": proxy.url},
        )
    assert result.exit_code == 0, result.stderr
    assert proxy.tunnels and tls_emu.messages("general")[-1]["text"] == "through the proxy"
