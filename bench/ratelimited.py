"""Rate-limited row of `make bench`: 200 chat.postMessage calls to 5 channels against the emulator's per-channel
limit (one message per second, burst 1). Every message must land exactly once, in order per channel; wall time is
compared with the theoretical minimum, (messages per channel - 1) / rate.

The emulator runs at time_scale=1: its Retry-After is whole seconds, as Slack's is, so a faster clock would make
every client (slackctl and slack_sdk alike) over-wait by design and the ratio would measure the emulator.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field

from api_bench import BASE_ENV
from measure import PY, run_child, slackctl_cmd

from slackctl.emulator import start_emulator
from slackctl.emulator.webapi.ratelimit import POST_MESSAGE_BURST, POST_MESSAGE_PER_SECOND

SDK_POSTER = """
import json, os, sys, threading
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
jobs = json.loads(sys.stdin.read())
def post(channel, texts):
    client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["BENCH_API"],
                       retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=20)])
    for text in texts:
        client.chat_postMessage(channel=channel, text=text)
threads = [threading.Thread(target=post, args=(c, t)) for c, t in jobs.items()]
for t in threads: t.start()
for t in threads: t.join()
"""


@dataclass
class RateRun:
    method: str
    seconds: float
    delivered_ok: bool
    problems: list[str] = field(default_factory=list)
    rate_limited: int = 0


@dataclass
class RateResult:
    channels: int
    per_channel: int
    minimum: float
    runs: list[RateRun]


def _create_channels(emu, token: str, count: int) -> list[str]:
    names = []
    for i in range(count):
        name = f"bench-{i + 1}"
        req = urllib.request.Request(
            emu.url + "/api/conversations.create",
            data=f"name={name}".encode(),
            headers={"Authorization": f"Bearer {token}"},
        )
        body = json.loads(urllib.request.urlopen(req).read())  # noqa: S310 - loopback emulator
        if not body.get("ok"):
            raise RuntimeError(f"conversations.create {name}: {body}")
        names.append(body["channel"]["id"])
    return names


def _texts(channel: str, n: int) -> list[str]:
    return [f"{channel} message {i + 1:03d}" for i in range(n)]


def _per_message(channel: str, texts: list[str], env: dict[str, str], errors: list[str]) -> None:
    """What a shell loop does: one `slackctl api call` per message, the next one started when the last exits."""
    for text in texts:
        try:
            run_child(
                slackctl_cmd(
                    "api",
                    "call",
                    "chat.postMessage",
                    f"channel={channel}",
                    f"text={text}",
                    "--silent",
                    "--max-retries",
                    "10",
                ),
                env,
            )
        except Exception as exc:  # noqa: BLE001 - reported in the table, not raised from a thread
            errors.append(str(exc))
            return


def _pipelined(channel: str, texts: list[str], env: dict[str, str], errors: list[str]) -> None:
    """The next process is started while the current one runs and waits on stdin (`--input -`) for its body.
    It gets the body once the current one has printed Slack's ok response (the message is stored), so start-up
    and exit overlap the wait while the order per channel is kept."""
    cmd = slackctl_cmd("api", "call", "chat.postMessage", "--input", "-", "--max-retries", "10")

    def spawn() -> subprocess.Popen[bytes]:
        return subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    done: list[subprocess.Popen[bytes]] = []
    current: subprocess.Popen[bytes] | None = spawn()
    for i, text in enumerate(texts):
        assert current is not None and current.stdin is not None and current.stdout is not None
        current.stdin.write(json.dumps({"channel": channel, "text": text}).encode())
        current.stdin.close()
        following = spawn() if i + 1 < len(texts) else None
        line = current.stdout.readline()
        done.append(current)
        try:
            ok = json.loads(line).get("ok") is True
        except ValueError:
            ok = False
        if not ok:
            errors.append(f"message {i + 1}: {line.decode('utf-8', 'replace')[:200] or 'no response'}")
            if following:
                following.kill()
            break
        current = following
    for proc in done:
        assert proc.stderr is not None and proc.stdout is not None
        proc.stdout.read()
        err = proc.stderr.read()
        if proc.wait() != 0:
            errors.append(f"exit {proc.returncode}: {err.decode('utf-8', 'replace')[:200]}")


def _batch(jobs: dict[str, list[str]], env: dict[str, str], errors: list[str]) -> None:
    """One `slackctl api batch` process; lines interleaved across channels, as a CI script would write them."""
    lines = [
        json.dumps({"channel": cid, "text": texts[i]})
        for i in range(max(len(t) for t in jobs.values()))
        for cid, texts in jobs.items()
        if i < len(texts)
    ]
    proc = subprocess.run(
        slackctl_cmd("api", "batch", "chat.postMessage", "--max-retries", "100"),
        input=("\n".join(lines) + "\n").encode(),
        env=env,
        capture_output=True,
    )
    if proc.returncode != 0:
        errors.append(f"exit {proc.returncode}: {proc.stderr.decode('utf-8', 'replace')[:200]}")


def _check(emu, jobs: dict[str, list[str]], problems: list[str]) -> bool:
    for channel, texts in jobs.items():
        seen = [m.get("text") for m in emu.messages(channel)]
        if seen != texts:
            missing = len(set(texts) - set(seen))
            dupes = len(seen) - len(set(seen))
            problems.append(
                f"{channel}: {len(seen)} messages, {missing} missing, {dupes} duplicated, "
                f"order {'kept' if sorted(seen) == seen else 'broken'}"
            )
    return not problems


def _one_run(method: str, channels: int, per_channel: int) -> RateRun:
    with start_emulator(tls=False, rate_limits=True, time_scale=1.0) as emu:
        token = emu.mint_token("bot")["token"]
        ids = _create_channels(emu, token, channels)
        emu.clear_requests()
        env = dict(
            BASE_ENV,
            SLACK_BOT_TOKEN=token,
            SLACKCTL_SLACK_URL=emu.url,
            BENCH_API=emu.url + "/api/",
            SLACKCTL_CONFIG_DIR=tempfile.mkdtemp(prefix="bench-slackctl-"),
            NO_COLOR="1",
        )
        env.pop("SLACK_TOKEN", None)
        jobs = {cid: _texts(cid, per_channel) for cid in ids}
        errors: list[str] = []
        started = time.perf_counter()
        if method == "slack_sdk":
            run_child([PY, "-c", SDK_POSTER], env, stdin=json.dumps(jobs).encode())
        elif method == "batch":
            _batch(jobs, env, errors)
        else:
            worker = _pipelined if method == "pipelined" else _per_message
            threads = [threading.Thread(target=worker, args=(cid, texts, env, errors)) for cid, texts in jobs.items()]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        elapsed = time.perf_counter() - started
        limited = sum(1 for r in emu.requests("chat.postMessage") if r.get("status") == 429)
        ok = _check(emu, jobs, errors)
    return RateRun(method, elapsed, ok, errors, limited)


METHODS = ("batch", "per-message", "pipelined", "slack_sdk")


def run(channels: int = 5, total: int = 200, methods: tuple[str, ...] = METHODS) -> RateResult:
    per_channel = total // channels
    minimum = max(0.0, per_channel - POST_MESSAGE_BURST) / POST_MESSAGE_PER_SECOND
    return RateResult(channels, per_channel, minimum, [_one_run(m, channels, per_channel) for m in methods])
