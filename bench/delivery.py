"""Emulator -> app delivery: a message posted by the driver -> the real Bolt app's reply visible in the channel,
over Socket Mode and over HTTP (median and p95 of N round trips), and events per second one emulator delivers to
one Bolt app (events posted at once, until every one is acknowledged).

    .venv/bin/python bench/delivery.py [--rounds 200] [--events 2000]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET_P50_MS = 15.0


@dataclass
class TransportResult:
    transport: str
    rounds: int
    p50_ms: float
    p95_ms: float
    events: int
    events_per_s: float


@dataclass
class DeliveryResult:
    rows: list[TransportResult]


def _manifest(url: str | None) -> dict[str, Any]:
    settings: dict[str, Any] = {"event_subscriptions": {"bot_events": ["message.channels"]}}
    if url:
        settings["event_subscriptions"]["request_url"] = url
    else:
        settings["socket_mode_enabled"] = True
    return {
        "display_information": {"name": "Bench"},
        "features": {"bot_user": {"display_name": "bench"}},
        "oauth_config": {"scopes": {"bot": ["chat:write", "channels:history"]}},
        "settings": settings,
    }


def _bolt(emu: Any, creds: dict[str, Any]) -> Any:
    from slack_bolt import App
    from slack_sdk import WebClient

    app = App(
        client=WebClient(token=creds["bot_token"], base_url=emu.url + "/api/"), signing_secret=creds["signing_secret"]
    )

    @app.message("ping")
    def pong(message: dict[str, Any], say: Any) -> None:
        say(message["text"].replace("ping", "pong"))

    @app.event("message")
    def others() -> None:
        pass

    return app


class _HttpApp:
    """A Bolt app behind a loopback HTTP server (what `App.start()` does, bound to 127.0.0.1)."""

    def __init__(self) -> None:
        from slack_bolt.request import BoltRequest

        self.app: Any = None
        ready = self.ready = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                ready.wait(10)
                resp = outer.app.dispatch(BoltRequest(body=body, headers=dict(self.headers)))
                data = resp.body.encode()
                self.send_response(resp.status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/slack/events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def _measure(emu: Any, rounds: int, events: int) -> tuple[list[float], float]:
    from slackctl.emulator.delivery import events as emu_events
    from slackctl.emulator.driver.waiting import wait_for
    from slackctl.emulator.webapi.inproc import api

    ada = emu.user("ada")
    samples = []
    for i in range(rounds + 10):  # the first ten warm up Bolt and the connections
        started = time.perf_counter()
        ada.post("#general", f"ping {i}")
        wait_for(
            emu,
            lambda i=i: any(m.get("text") == f"pong {i}" for m in reversed(emu.messages("#general"))),
            timeout=10,
            what=f"pong {i}",
        )
        if i >= 10:
            samples.append(time.perf_counter() - started)
        if i % 50 == 0:  # keep the channel short: the check above reads it
            with emu.world.lock:
                emu.world.messages["C0EMU00001"].clear()
    token = ada._token()
    started = time.perf_counter()
    with emu_events.capture() as pendings:
        for i in range(events):
            api(emu, token, "chat.postMessage", channel="C0EMU00001", text=f"event {i}")
    acked = sum(1 for p in pendings if (ack := p.wait(30)) is not None and ack.ok)
    elapsed = time.perf_counter() - started
    if acked != events:
        raise RuntimeError(f"only {acked} of {events} events were acknowledged")
    return samples, events / elapsed


def run(rounds: int = 200, events: int = 2000) -> DeliveryResult:
    from slackctl.emulator import Emulator
    from slackctl.testing import Slack

    logging.getLogger("slack_bolt").setLevel(logging.ERROR)
    rows = []
    emu = Emulator(manifests=[_manifest(None)]).start()
    slack = Slack(emu)
    try:
        creds = next(a for a in emu.apps() if a["name"] == "Bench")
        slack.connect(_bolt(emu, creds))
        samples, rate = _measure(emu, rounds, events)
        rows.append(_row("Socket Mode", samples, events, rate))
    finally:
        slack.close()
        emu.stop()
    http_app = _HttpApp()
    emu = Emulator().start()
    try:
        creds = emu.install_app(_manifest(http_app.url))
        http_app.app = _bolt(emu, creds)
        http_app.ready.set()
        samples, rate = _measure(emu, rounds, events)
        rows.append(_row("HTTP", samples, events, rate))
    finally:
        emu.stop()
        http_app.server.shutdown()
    return DeliveryResult(rows)


def _row(transport: str, samples: list[float], events: int, rate: float) -> TransportResult:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return TransportResult(transport, len(samples), statistics.median(samples) * 1000, p95 * 1000, events, rate)


def render(result: DeliveryResult) -> list[str]:
    lines = [
        "## Delivery to an app (emulator -> Bolt -> emulator)",
        "",
        "A message posted by the driver until the real slack_bolt app's reply is visible in the channel "
        f"(target: p50 <= {TARGET_P50_MS:g} ms on loopback), and events per second one emulator delivers to "
        "one Bolt app (all posted at once, until each is acknowledged).",
        "",
        "| transport | round trips | p50 | p95 | within target | events | events/s |",
        "|---|---:|---:|---:|---|---:|---:|",
    ]
    for r in result.rows:
        ok = "yes" if r.p50_ms <= TARGET_P50_MS else "**no**"
        lines.append(
            f"| {r.transport} | {r.rounds} | {r.p50_ms:.1f} ms | {r.p95_ms:.1f} ms | {ok} | {r.events} | "
            f"{r.events_per_s:,.0f} |"
        )
    return [*lines, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--events", type=int, default=2000)
    args = parser.parse_args()
    print("\n".join(render(run(args.rounds, args.events))))


if __name__ == "__main__":
    main()
