"""The emulator at scale (issue 28): Socket Mode events per second to one app running in its own process,
conversations.history's per-page cost over 100 and over 100,000 messages, and start-up with a seed of 50,000 users.

    .venv/bin/python bench/scale.py [--events 2000] [--messages 100000] [--users 50000]

Figures only: the tests never assert timers.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EVENTS_TARGET = 2000.0  # events/s to one app
SEED_TARGET_S = 2.0
PAGE = 100

# The app: a Bolt app (slack_bolt's SocketModeHandler, the built-in client), or a bare client that acknowledges
# each envelope at once, in its own process as a deployed app is.
BOLT_APP = """
import logging, os, threading
logging.basicConfig(level=logging.ERROR)
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
app = App(client=WebClient(token=os.environ["BENCH_BOT"], base_url=os.environ["BENCH_API"]),
          signing_secret=os.environ["BENCH_SECRET"])
@app.event("message")
def on_message():
    pass
SocketModeHandler(app, os.environ["BENCH_APP_TOKEN"], web_client=app.client).connect()
print("ready", flush=True)
threading.Event().wait()
"""
BARE_APP = """
import json, os
from slack_sdk import WebClient
from websockets.sync.client import connect
url = WebClient(base_url=os.environ["BENCH_API"]).apps_connections_open(app_token=os.environ["BENCH_APP_TOKEN"])["url"]
with connect(url, compression=None, max_size=None) as ws:
    print("ready", flush=True)
    for message in ws:
        data = json.loads(message)
        if "envelope_id" in data:
            ws.send(json.dumps({"envelope_id": data["envelope_id"]}))
"""


@dataclass
class ScaleResult:
    socket_rows: list[tuple[str, int, float]]  # app, events, events/s
    history_rows: list[tuple[int, float, float]]  # messages in the channel, first page µs, deep page µs
    seed_rows: list[tuple[str, float]]  # seed, seconds until the emulator answers


def _manifest() -> dict[str, Any]:
    return {
        "display_information": {"name": "Bench"},
        "features": {"bot_user": {"display_name": "bench"}},
        "oauth_config": {"scopes": {"bot": ["chat:write", "channels:history"]}},
        "settings": {"event_subscriptions": {"bot_events": ["message.channels"]}, "socket_mode_enabled": True},
    }


def socket_mode_rate(source: str, events: int) -> float:
    """Events/s: `events` messages posted at once, until the app in its own process acknowledged each."""
    from slackctl.emulator import Emulator
    from slackctl.emulator.delivery import events as emu_events
    from slackctl.emulator.webapi.inproc import api

    emu = Emulator(manifests=[_manifest()]).start()
    proc = None
    try:
        creds = next(a for a in emu.apps() if a["name"] == "Bench")
        env = dict(
            os.environ,
            BENCH_BOT=creds["bot_token"],
            BENCH_APP_TOKEN=creds["app_token"],
            BENCH_SECRET=creds["signing_secret"],
            BENCH_API=emu.url + "/api/",
        )
        proc = subprocess.Popen([sys.executable, "-c", source], env=env, stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        if not emu.socket_mode.wait_connected(creds["app_id"]):
            raise RuntimeError("the app did not connect")
        token = emu.user("ada")._token()
        best = 0.0
        for _ in range(3):  # the best of three: other work on the machine only ever slows a round down
            started = time.perf_counter()
            with emu_events.capture() as pendings:
                for i in range(events):
                    api(emu, token, "chat.postMessage", channel="C0EMU00001", text=f"event {i}")
            acked = sum(1 for p in pendings if (ack := p.wait(30)) is not None and ack.ok)
            elapsed = time.perf_counter() - started
            if acked != events:
                raise RuntimeError(f"only {acked} of {events} events were acknowledged")
            best = max(best, events / elapsed)
            with emu.world.lock:
                emu.world.messages["C0EMU00001"].clear()
        return best
    finally:
        if proc is not None:
            proc.kill()
            proc.wait()
        emu.stop()


def history_page_cost(messages: int, calls: int = 200) -> tuple[float, float]:
    """Median µs of one conversations.history page of 100 over HTTP: the newest page, and a page half-way back
    (`latest` in the middle of the channel, which history finds by bisection)."""
    import httpx

    from slackctl.emulator import start_emulator

    with start_emulator(seed={"generate": {"channels": 1, "messages_per_channel": messages}}) as emu:
        token = emu.mint_token("user")["token"]  # the seed's owner, a member of the generated channel
        channel = "CG00000001"
        middle = f"{1600000000.0 + messages // 2:.6f}"
        with httpx.Client(base_url=emu.url, headers={"Authorization": f"Bearer {token}"}) as client:

            def median(params: dict[str, Any]) -> float:
                samples = []
                for _ in range(calls):
                    started = time.perf_counter()
                    body = client.post("/api/conversations.history", data=params).json()
                    samples.append(time.perf_counter() - started)
                    assert body["ok"] and body["messages"], body
                return statistics.median(samples) * 1e6

            for _ in range(20):
                client.post("/api/auth.test")  # warm the connection
            return (
                median({"channel": channel, "limit": PAGE}),
                median({"channel": channel, "limit": PAGE, "latest": middle}),
            )


def seed_start(users: int) -> list[tuple[str, float]]:
    """Seconds from `slackctl emulator start --seed FILE` to its URL on stdout (the process's own start-up
    included), for a seed listing `users` users one by one and for the generator shorthand."""
    rows = []
    with tempfile.TemporaryDirectory() as work:
        listed = Path(work) / "users.json"
        listed.write_text(
            json.dumps(
                {
                    "users": [
                        {"name": f"member{i}", "real_name": f"Member {i}", "email": f"member{i}@example.com"}
                        for i in range(users)
                    ]
                }
            )
        )
        generated = Path(work) / "generated.json"
        generated.write_text(json.dumps({"generate": {"users": users}}))
        for label, path in (
            (f"{users:,} users listed in the seed", listed),
            (f'{users:,} generated users ("generate")', generated),
        ):
            started = time.perf_counter()
            proc = subprocess.Popen(
                [sys.executable, "-m", "slackctl", "emulator", "start", "--port", "0", "--seed", str(path)],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            assert proc.stdout is not None
            url = proc.stdout.readline().strip()
            elapsed = time.perf_counter() - started
            proc.terminate()
            proc.wait(10)
            if not url.startswith("http"):
                raise RuntimeError(f"the emulator did not start with {path.name}")
            rows.append((label, elapsed))
    return rows


def run(events: int = 2000, messages: int = 100_000, users: int = 50_000) -> ScaleResult:
    socket_rows = [
        (name, events, socket_mode_rate(source, events))
        for name, source in (
            ("Bolt app (slack_bolt, own process)", BOLT_APP),
            ("bare client acking at once (own process)", BARE_APP),
        )
    ]
    history_rows = [(n, *history_page_cost(n)) for n in (100, messages)]
    return ScaleResult(socket_rows, history_rows, seed_start(users))


def render(result: ScaleResult) -> list[str]:
    lines = [
        "## The emulator at scale",
        "",
        f"Socket Mode events per second one emulator delivers to one app in its own process (all posted at "
        f"once, until each is acknowledged; best of three; target >= {EVENTS_TARGET:,.0f}/s):",
        "",
        "| app | events | events/s | within target |",
        "|---|---:|---:|---|",
    ]
    for name, n, rate in result.socket_rows:
        lines.append(f"| {name} | {n:,} | {rate:,.0f} | {'yes' if rate >= EVENTS_TARGET else '**no**'} |")
    lines += [
        "",
        f"conversations.history, one page of {PAGE} over HTTP (median): the newest page, and a page "
        "half-way back through the channel:",
        "",
        "| messages in the channel | newest page | half-way page |",
        "|---:|---:|---:|",
    ]
    for n, first, deep in result.history_rows:
        lines.append(f"| {n:,} | {first / 1000:.2f} ms | {deep / 1000:.2f} ms |")
    lines += [
        "",
        f"`slackctl emulator start --seed FILE` until its URL is printed (target < {SEED_TARGET_S:g} s):",
        "",
        "| seed | seconds | within target |",
        "|---|---:|---|",
    ]
    for label, seconds in result.seed_rows:
        lines.append(f"| {label} | {seconds:.2f} | {'yes' if seconds < SEED_TARGET_S else '**no**'} |")
    return [*lines, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=50_000)
    args = parser.parse_args()
    print("\n".join(render(run(args.events, args.messages, args.users))))


if __name__ == "__main__":
    main()
