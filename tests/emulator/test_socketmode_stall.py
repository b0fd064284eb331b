"""A Socket Mode client that stops reading (issue 24 item 3): a real slack_sdk client paused with SIGSTOP holds up
neither another app's deliveries nor the emulator's shutdown; a raw client that never reads is dropped and its
envelopes go to the app's other connection.

The emulator runs as `slackctl emulator start` in its own process (so SIGTERM and its peak memory are real); the
other app is a small real HTTP server on loopback."""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from slack_sdk import WebClient
from websockets.sync.client import connect

from slackctl.emulator import start_emulator
from slackctl.emulator.delivery.deliverer import deliver_async

SOCKET_APP = {
    "display_information": {"name": "Paused"},
    "features": {"bot_user": {"display_name": "paused"}},
    "oauth_config": {"scopes": {"bot": ["channels:history"]}},
    "settings": {"socket_mode_enabled": True, "event_subscriptions": {"bot_events": ["message.channels"]}},
}
EVENTS = 100

CLIENT = r"""
import os, sys, threading
from slack_sdk import WebClient
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.response import SocketModeResponse

client = SocketModeClient(app_token=os.environ["SLACK_APP_TOKEN"], web_client=WebClient(base_url=sys.argv[1]))
client.socket_mode_request_listeners.append(
    lambda c, req: c.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id)))
client.connect()
print("connected", flush=True)
threading.Event().wait()
"""


class _DeepBacklogServer(ThreadingHTTPServer):
    request_queue_size = 128


class Receiver:
    """An HTTP app: answers url_verification, records when each event's text arrived."""

    def __init__(self) -> None:
        self.arrived: queue.Queue[tuple[str, float]] = queue.Queue()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                answer = b""
                if body.get("type") == "url_verification":
                    answer = json.dumps({"challenge": body["challenge"]}).encode()
                else:
                    outer.arrived.put((body["event"].get("text", ""), time.monotonic()))
                self.send_response(200)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        # A listen backlog as deep as the emulator's workers: with socketserver's 5, a burst of new connections
        # loses SYNs and the kernel resends them a second later, which is the receiver's delay, not the emulator's.
        self.server = _DeepBacklogServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/slack/events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def emulator_process(tmp_path: Path, receiver: Receiver) -> Iterator[tuple[subprocess.Popen[str], str]]:
    http_app = {
        "display_information": {"name": "Listening"},
        "features": {"bot_user": {"display_name": "l"}},
        "oauth_config": {"scopes": {"bot": ["channels:history"]}},
        "settings": {"event_subscriptions": {"request_url": receiver.url, "bot_events": ["message.channels"]}},
    }
    files = []
    for name, manifest in (("socket", SOCKET_APP), ("http", http_app)):
        files += ["--manifest", str(tmp_path / f"{name}.json")]
        (tmp_path / f"{name}.json").write_text(json.dumps(manifest))
    env = {**os.environ, "SLACKCTL_CONFIG_DIR": str(tmp_path / "config"), "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "slackctl", "emulator", "start", "--port", "0", "--no-rate-limits", *files],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        yield proc, url
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)


def test_a_paused_socket_mode_client_holds_up_neither_other_apps_nor_sigterm(
    emulator_process: tuple[subprocess.Popen[str], str], receiver: Receiver
) -> None:
    proc, url = emulator_process
    apps = httpx.get(f"{url}/_emulator/apps").json()["apps"]
    paused = next(a for a in apps if a["name"] == "Paused")
    client = subprocess.Popen(
        [sys.executable, "-c", CLIENT, f"{url}/api/"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "SLACK_APP_TOKEN": paused["app_token"]},
    )
    try:
        assert client.stdout is not None and client.stdout.readline().strip() == "connected"
        with httpx.Client(base_url=url, timeout=10) as http:
            deadline = time.monotonic() + 10
            while http.post("/_emulator/socket-mode", json={}).json()["connections"] < 1:
                assert time.monotonic() < deadline, "the client never connected"
                time.sleep(0.02)
            token = http.post("/_emulator/tokens", json={"kind": "user"}).json()["token"]
            os.kill(client.pid, signal.SIGSTOP)  # a breakpoint: the connection stays open, nothing is read
            posted: dict[str, float] = {}
            for i in range(EVENTS):
                text = f"event {i}"
                posted[text] = time.monotonic()
                answer = http.post(
                    "/api/chat.postMessage",
                    headers={"Authorization": f"Bearer {token}"},
                    json={"channel": "C0EMU00001", "text": text},
                ).json()
                assert answer["ok"], answer
            late = {}
            for _ in range(EVENTS):
                text, at = receiver.arrived.get(timeout=5)
                late[text] = round(at - posted[text], 3)
        assert sorted(late) == sorted(posted)  # every event reached the HTTP app
        assert max(late.values()) < 1.0, sorted(late.items(), key=lambda kv: -kv[1])[:5]
        assert peak_rss_mb(proc.pid) < 200
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)  # the paused client is still connected
        assert proc.wait(5) == 0
        assert time.monotonic() - started < 2.0
    finally:
        os.kill(client.pid, signal.SIGCONT)
        client.kill()
        client.wait(10)


def _never_reading(url: str) -> Any:
    """A WebSocket client whose socket takes in little and is never read after hello."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((url.split("//")[1].split(":")[0], int(url.split(":")[2].split("/")[0])))
    # max_queue=1: websockets' reader thread stops taking frames off the socket after one unread message.
    ws = connect(url, sock=sock, max_queue=1, ping_interval=None, legacy=True)
    assert json.loads(ws.recv(timeout=5))["type"] == "hello"
    return ws


def test_a_client_that_never_reads_is_dropped_and_its_envelopes_go_to_another_connection() -> None:
    with start_emulator(manifests=[SOCKET_APP], time_scale=600) as emu:  # retries after 0, 0.1 and 0.5 s
        emu.socket_mode.send_deadline = 2.0
        app = next(a for a in emu.apps() if a["name"] == "Paused")
        open_url = WebClient(base_url=emu.url + "/api/").apps_connections_open
        stalled = _never_reading(open_url(app_token=app["app_token"])["url"])
        acked: list[str] = []

        def ack_all(ws: Any) -> None:
            for raw in ws:
                data = json.loads(raw)
                if "envelope_id" in data:
                    acked.append(data["envelope_id"])
                    ws.send(json.dumps({"envelope_id": data["envelope_id"]}))

        with connect(open_url(app_token=app["app_token"])["url"], max_size=None, ping_interval=None) as good:
            assert json.loads(good.recv(timeout=5))["type"] == "hello"
            threading.Thread(target=ack_all, args=(good,), daemon=True).start()
            # 15 MB for the stalled connection: more than its socket buffers take in.
            big = {"type": "event_callback", "event": {"type": "message", "text": "x" * 1_000_000}}
            pendings = [deliver_async(emu, app["app_id"], "events_api", big) for _ in range(30)]
            deadline = time.monotonic() + 15
            acks = [p.wait(max(0.0, deadline - time.monotonic())) for p in pendings]
            assert all(a is not None and a.ok for a in acks), [a and a.error for a in acks]
            assert emu.socket_mode.connections(app["app_id"]) == 1  # the stalled one was dropped
            started = time.monotonic()
        emu.stop()
        assert time.monotonic() - started < 2.0
        stalled.socket.close()
    retried = [e for e in emu.deliveries_log(kind="events_api") if len(e["attempts"]) > 1]
    assert retried and all(e["attempts"][0]["reason"] in ("timeout", "connection_failed") for e in retried)
