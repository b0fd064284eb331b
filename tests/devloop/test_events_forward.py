"""`slackctl events forward`: a Bolt HTTP-mode app (Bolt's own signature check on) behind a Socket Mode relay gets
events and slash commands, and its answers reach the user."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from slackctl.devloop import forward as fw
from tests.conftest import register_secret
from tests.devloop.helpers import read_line, socket_connections, wait_for

MANIFEST: dict[str, Any] = {
    "display_information": {"name": "Forwarded"},
    "features": {
        "bot_user": {"display_name": "forwarded"},
        "slash_commands": [{"command": "/echo", "description": "Echo"}],
    },
    "oauth_config": {"scopes": {"bot": ["chat:write", "channels:history", "commands"]}},
    "settings": {
        "socket_mode_enabled": True,
        "interactivity": {"is_enabled": True},
        "event_subscriptions": {"bot_events": ["message.channels"]},
    },
}

HTTP_APP = """
import os, sys
from slack_bolt import App

app = App(token=os.environ["SLACK_BOT_TOKEN"], signing_secret=os.environ["SLACK_SIGNING_SECRET"])

@app.message("hello")
def hello(message, say):
    say(f"hi <@{message['user']}>")

@app.event("message")
def other_messages():
    pass

@app.command("/echo")
def echo(ack, command):
    ack(f"echo: {command['text']}")

app.start(port=int(sys.argv[1]))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def slack_manifest() -> dict[str, Any]:
    return MANIFEST


@pytest.fixture
def http_app(slack: Any, slack_app: dict[str, Any], tmp_path: Path) -> Iterator[int]:
    """The Bolt HTTP app, run under emulator exec so its Web API calls (Slack's default URL) reach the emulator."""
    register_secret(slack_app["bot_token"], slack_app["app_token"], slack_app["signing_secret"])
    script = tmp_path / "http_app.py"
    script.write_text(textwrap.dedent(HTTP_APP))
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "slackctl",
            "emulator",
            "exec",
            "--app",
            slack_app["app_id"],
            "--",
            sys.executable,
            str(script),
            str(port),
        ],
        env=dict(os.environ, SLACKCTL_SLACK_URL=slack.url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: _listening(port) or proc.poll() is not None, what="the Bolt app to listen")
        assert proc.poll() is None
        yield port
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=15)


def _forward(slack: Any, slack_app: dict[str, Any], port: int, secret: str | None = None) -> subprocess.Popen[str]:
    env = dict(
        os.environ,
        SLACKCTL_SLACK_URL=slack.url,
        SLACK_APP_TOKEN=slack_app["app_token"],
        SLACK_SIGNING_SECRET=secret or slack_app["signing_secret"],
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "slackctl",
            "events",
            "forward",
            "--to",
            f"http://127.0.0.1:{port}/slack/events",
            "--json",
        ],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    wait_for(lambda: socket_connections(slack.url) == 1 or proc.poll() is not None, what="forward to connect")
    assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
    return proc


def _stop(proc: subprocess.Popen[str]) -> str:
    proc.send_signal(signal.SIGINT)
    try:
        assert proc.wait(timeout=15) == 130
    finally:
        if proc.poll() is None:
            proc.kill()
    return proc.stderr.read() if proc.stderr else ""


def test_events_and_a_slash_command_arrive_signed_and_are_answered(slack, slack_app, http_app) -> None:
    proc = _forward(slack, slack_app, http_app)
    try:
        slack.user("ada").post("#general", "hello app")
        slack.wait_for_message("#general", lambda m: m.get("text") == "hi <@U0EMU00001>")
        line = json.loads(read_line(proc))
        assert line["kind"] == "events_api" and line["type"] == "message"
        assert line["status"] == 200 and line["acked"] is True and line["latency_ms"] >= 0

        result = slack.user("ada").command("/echo", "ping", channel="#random")
        assert result["response"] == {"text": "echo: ping"}  # Bolt's HTTP answer became the ack payload
        shown = slack.wait_for_message("#random", lambda m: m.get("text") == "echo: ping")
        assert shown["ephemeral"] is True
        lines = [json.loads(read_line(proc)) for _ in range(2)]  # the bot's own reply event, then the command
        command = next(x for x in lines if x["kind"] == "slash_commands")
        assert command["type"] == "/echo" and command["status"] == 200
    finally:
        stderr = _stop(proc)
    assert "connected to Socket Mode" in stderr and "interrupted: stopped forwarding" in stderr


def test_a_wrong_signing_secret_is_refused_by_bolt_and_left_unacknowledged(slack, slack_app, http_app) -> None:
    from slackctl.emulator.driver.user import DriveError

    proc = _forward(slack, slack_app, http_app, secret="0" * 32)
    try:
        with pytest.raises(DriveError, match="did not acknowledge the message event: no ack within 3 s"):
            slack.user("ada").post("#general", "hello app", expect_ack=True)
        line = json.loads(read_line(proc))
        assert line["status"] == 401 and line["acked"] is False  # Bolt's signature check said no
        assert not [m for m in slack.messages("#general") if m.get("text") == "hi <@U0EMU00001>"]
    finally:
        _stop(proc)


def test_forward_without_an_app_token_says_how_to_store_one(run_slackctl) -> None:
    result = run_slackctl(
        "events",
        "forward",
        "--to",
        "http://127.0.0.1:9/x",
        env={"SLACK_SIGNING_SECRET": "x" * 32, "SLACK_APP_TOKEN": ""},
    )
    assert result.exit_code == 4 and "--kind app" in result.stderr


def test_forward_refuses_a_target_that_is_not_http(run_slackctl) -> None:
    result = run_slackctl("events", "forward", "--to", "ftp://example.com/x", env={"SLACK_APP_TOKEN": "xapp-1"})
    assert result.exit_code == 2 and "not an http(s) URL" in result.stderr


def test_requests_are_built_as_slack_sends_them() -> None:
    import urllib.parse

    event = {
        "type": "events_api",
        "envelope_id": "e1",
        "payload": {"type": "event_callback", "event": {"type": "app_mention"}},
        "accepts_response_payload": False,
    }
    body, ctype = fw.request_for(event)
    assert ctype == "application/json" and json.loads(body)["event"]["type"] == "app_mention"
    command = {
        "type": "slash_commands",
        "envelope_id": "e2",
        "payload": {"command": "/echo", "text": "a b"},
        "accepts_response_payload": True,
    }
    body, ctype = fw.request_for(command)
    assert ctype == "application/x-www-form-urlencoded"
    assert urllib.parse.parse_qs(body.decode()) == {"command": ["/echo"], "text": ["a b"]}
    action = {
        "type": "interactive",
        "envelope_id": "e3",
        "payload": {"type": "block_actions"},
        "accepts_response_payload": False,
    }
    body, _ = fw.request_for(action)
    assert json.loads(urllib.parse.parse_qs(body.decode())["payload"][0]) == {"type": "block_actions"}
    assert fw.ack_payload(command, "text/plain", b"pong") == {"text": "pong"}
    assert fw.ack_payload(command, "application/json", b'{"response_type":"in_channel"}') == {
        "response_type": "in_channel"
    }
    assert fw.ack_payload(event, "application/json", b'{"x":1}') is None  # events take no payload
    assert fw.ack_payload(command, "text/plain", b"") is None


def test_a_retry_carries_slacks_retry_headers() -> None:
    import http.server
    import threading

    seen: dict[str, str] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            seen.update({k: v for k, v in self.headers.items() if k.lower().startswith("x-slack")})
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        envelope = {
            "type": "events_api",
            "envelope_id": "e9",
            "retry_attempt": 2,
            "retry_reason": "timeout",
            "payload": {"type": "event_callback", "event": {"type": "message"}},
        }
        delivery, ack = fw.relay(envelope, f"http://127.0.0.1:{server.server_address[1]}/", "s" * 32)
    finally:
        server.shutdown()
        server.server_close()
    assert ack == {"envelope_id": "e9"} and delivery.acked and delivery.retry_attempt == 2
    assert seen["X-Slack-Retry-Num"] == "2" and seen["X-Slack-Retry-Reason"] == "timeout"
    assert seen["X-Slack-Signature"].startswith("v0=") and seen["X-Slack-Request-Timestamp"].isdigit()
