"""The development loop, measured for `make bench` (bench/run.py --only devloop):

- reload: a project from `slackctl create` runs under `slackctl run --emulator`; listeners.py is saved with a new
  reply and the clock runs until the app answers a mention with it (old app stopped, new one started, connected
  over Socket Mode, answering). Median of 10.
- forward: events relayed by `slackctl events forward` to a local HTTP app; the latency the emulator sees from
  sending the envelope to receiving the ack (relay, signed POST, app answer, ack), median and p95 of N events.
"""

from __future__ import annotations

import http.server
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import measure

FORWARD_MANIFEST: dict[str, Any] = {
    "display_information": {"name": "Relayed"},
    "features": {"bot_user": {"display_name": "relayed"}},
    "oauth_config": {"scopes": {"bot": ["chat:write", "channels:history"]}},
    "settings": {"socket_mode_enabled": True, "event_subscriptions": {"bot_events": ["message.channels"]}},
}


@dataclass
class DevloopResult:
    reload_seconds: list[float]
    relay_ms: list[float]  # emulator: envelope sent -> ack received
    hop_ms: list[float]  # events forward: signed POST -> the app's answer


def _control(url: str, path: str, body: dict[str, Any] | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        f"{url}/_emulator/{path}",
        data=data,
        method="POST" if data is not None else "GET",
        headers={"Content-Type": "application/json"},
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(req, timeout=10) as resp:
        return json.loads(resp.read())


def _wait(predicate: Any, timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.01)
    raise measure.BenchError("timed out")


def _connections(url: str) -> int:
    return int(_control(url, "socket-mode", {})["connections"])


def _mention_reply(url: str, bot_user: str) -> str:
    answer = _control(url, "drive/post", {"channel": "#general", "text": f"<@{bot_user}> hi"})
    if not answer.get("ok"):
        return ""
    posted = answer["result"]

    def reply() -> str:
        messages = _control(url, f"messages?channel={posted['channel']}")["messages"]
        found = [m for m in messages if m.get("thread_ts") == posted["ts"] and m.get("ts") != posted["ts"]]
        return found[0]["text"] if found else ""

    return _wait(reply, 10)


def reload_latency(rounds: int) -> list[float]:
    work = Path(tempfile.mkdtemp(prefix="devloop-"))
    env = dict(os.environ, SLACKCTL_CONFIG_DIR=str(work / "config"), NO_COLOR="1")
    # The project has no .venv (--no-install): `run` starts the app with the active environment's Python, as a
    # user's shell would have it, so this venv (which has slack_bolt) is made the active one.
    env["VIRTUAL_ENV"] = sys.prefix
    env.pop("SLACKCTL_SLACK_URL", None)
    subprocess.run(
        measure.slackctl_cmd("create", "bench-app", "--template", "bolt-python", "--no-git", "--no-install"),
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
    )
    project = work / "bench-app"
    proc = subprocess.Popen(
        measure.slackctl_cmd("run", "--emulator"),
        cwd=project,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    times: list[float] = []
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        info = _control(url, "info")
        (app,) = [a for a in _control(url, "apps")["apps"] if a["app_id"] != info["default_app"]["app_id"]]
        _wait(lambda: _connections(url) == 1)
        listeners = project / "listeners.py"
        original = listeners.read_text()
        for i in range(rounds):
            marker = f"Round{i}"
            listeners.write_text(original.replace('f"Hi {who}!', f'f"{marker} {{who}}!'))
            saved = time.monotonic()
            _wait(lambda: _connections(url) == 0)  # the old app is gone
            _wait(lambda: _connections(url) == 1)  # the new one is connected
            _wait(lambda m=marker: _mention_reply(url, app["bot_user_id"]).startswith(m))
            times.append(time.monotonic() - saved)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    return times


class _App(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def forward_latency(events: int) -> tuple[list[float], list[float]]:
    from slackctl.emulator import start_emulator

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _App)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with start_emulator(manifests=[FORWARD_MANIFEST]) as emu:
        (app,) = [a for a in emu.apps() if a["app_id"] != emu.default_app["app_id"]]
        env = dict(
            os.environ,
            SLACKCTL_SLACK_URL=emu.url,
            SLACK_APP_TOKEN=app["app_token"],
            SLACK_SIGNING_SECRET=app["signing_secret"],
            NO_COLOR="1",
        )
        proc = subprocess.Popen(
            measure.slackctl_cmd(
                "events", "forward", "--to", f"http://127.0.0.1:{server.server_address[1]}/", "--json"
            ),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            _wait(lambda: emu.socket_mode.connections() == 1)
            ada = emu.user("ada")
            for i in range(events):
                ada.post("#general", f"event {i}")  # returns once forward acknowledged it
            journal = [d for d in emu.deliveries_log() if d["status"] == "acked"]
            relay = [d["ack_latency"] * 1000 for d in journal]
        finally:
            proc.send_signal(signal.SIGINT)
            out, _ = proc.communicate(timeout=20)
            server.shutdown()
            server.server_close()
    hops = [json.loads(line)["latency_ms"] for line in out.splitlines() if line.startswith("{")]
    return relay, hops


def run(reload_rounds: int, events: int) -> DevloopResult:
    reload = reload_latency(reload_rounds)
    relay, hops = forward_latency(events)
    return DevloopResult(reload, relay, hops)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def section(r: DevloopResult) -> list[str]:
    rl = r.reload_seconds
    out = [
        "",
        "## Development loop",
        "",
        "`slackctl run --emulator` on a project from `slackctl create --template bolt-python`: listeners.py "
        "saved with a new reply, timed until the app answers a mention with it (the old app stopped, the new "
        "one started, connected over Socket Mode, answering through the emulator's driver). "
        "`slackctl events forward` relaying `message` events to a local HTTP app that answers 200 at once.",
        "",
        "| measure | n | median | p95 | min | max |",
        "|---|---|---|---|---|---|",
    ]
    if rl:
        out.append(
            f"| file saved → app answering again | {len(rl)} | {statistics.median(rl):.2f} s | "
            f"{p95(rl):.2f} s | {min(rl):.2f} s | {max(rl):.2f} s |"
        )
    for label, values in (
        ("event relayed by events forward (envelope → ack, as the emulator sees it)", r.relay_ms),
        ("of which the signed POST to the app and its answer", r.hop_ms),
    ):
        if values:
            out.append(
                f"| {label} | {len(values)} | {statistics.median(values):.1f} ms | {p95(values):.1f} ms | "
                f"{min(values):.1f} ms | {max(values):.1f} ms |"
            )
    return out


if __name__ == "__main__":
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    result = run(rounds, 200)
    print("\n".join(section(result)))
