"""Benchmark `slackctl api call` (run by hand): one call vs slack_sdk vs curl, paging 20,000 users over TLS,
and --jsonl peak memory against the item count.

    .venv/bin/python bench/api_bench.py [--calls 15] [--users 20000] [--big-users 200000]

Everything talks to a local emulator (TLS for the paging runs); every client runs as its own process, so
start-up is part of each figure, as it is for a person or a CI job.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from slackctl.emulator import start_emulator  # noqa: E402

PY = sys.executable
PAGE = 200
# Children compile to a private bytecode cache: an installed package has .pyc files, and timing the compiler
# (PYTHONDONTWRITEBYTECODE is set in some dev shells) would measure the wrong thing.
BASE_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
BASE_ENV["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "slackctl-bench-pycache")

SDK_ONE_CALL = """
import os
from slack_sdk import WebClient
WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["BENCH_API"]).auth_test()
"""

SDK_PAGING = """
import os, ssl
from slack_sdk import WebClient
ctx = ssl.create_default_context(cafile=os.environ["BENCH_CA"])
client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["BENCH_API"], ssl=ctx)
n = 0
for page in client.users_list(limit=int(os.environ["BENCH_PAGE"])):
    n += len(page["members"])
print(n)
"""


def timed(cmd: list[str], env: dict[str, str], stdout: int | None = subprocess.DEVNULL) -> tuple[float, int, int]:
    """Wall seconds, peak RSS (KiB) and exit code of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=stdout, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{cmd[:4]} failed ({proc.returncode}): {err[:500]}")
    return elapsed, usage.ru_maxrss, proc.returncode


def median_time(cmd: list[str], env: dict[str, str], n: int) -> float:
    timed(cmd, env)  # warm the OS caches
    return statistics.median(timed(cmd, env)[0] for _ in range(n))


def one_call(n: int) -> None:
    with start_emulator(tls=False) as emu:
        token = emu.mint_token("bot")["token"]
        env = dict(
            BASE_ENV,
            SLACK_BOT_TOKEN=token,
            SLACKCTL_SLACK_URL=emu.url,
            BENCH_API=emu.url + "/api/",
            SLACKCTL_CONFIG_DIR=tempfile.mkdtemp(prefix="bench-slackctl-"),
        )
        slackctl = median_time([PY, "-m", "slackctl", "api", "call", "auth.test"], env, n)
        sdk = median_time([PY, "-c", SDK_ONE_CALL], env, n)
        # curl reads the header from stdin, so the token is never in its argv.
        curl_cfg = tempfile.NamedTemporaryFile("w", suffix=".curl", delete=False)  # noqa: SIM115
        curl_cfg.write(f'header = "Authorization: Bearer {token}"\n')
        curl_cfg.close()
        try:
            curl = median_time(["curl", "-s", "-K", curl_cfg.name, "-X", "POST", emu.url + "/api/auth.test"], env, n)
        finally:
            os.unlink(curl_cfg.name)
    print(f"one call (auth.test, median of {n}):")
    print(f"  slackctl api call      {slackctl * 1000:7.1f} ms")
    print(f"  slack_sdk one-liner    {sdk * 1000:7.1f} ms   (slackctl/sdk = {slackctl / sdk:.2f})")
    print(f"  curl                   {curl * 1000:7.1f} ms")


def paging(users: int, rounds: int) -> None:
    with start_emulator(tls=True, seed={"generate": {"users": users}}) as emu:
        token = emu.mint_token("bot")["token"]
        env = dict(
            BASE_ENV,
            SLACK_BOT_TOKEN=token,
            SLACKCTL_SLACK_URL=emu.url,
            SLACKCTL_CA_BUNDLE=emu.ca_file,
            BENCH_API=emu.url + "/api/",
            BENCH_CA=emu.ca_file,
            BENCH_PAGE=str(PAGE),
            SLACKCTL_CONFIG_DIR=tempfile.mkdtemp(prefix="bench-slackctl-"),
        )
        total = users + len(emu.world.users) if hasattr(emu.world, "users") else users
        pages = -(-total // PAGE)
        base = [PY, "-m", "slackctl", "api", "call", "users.list", f"limit:={PAGE}"]
        runs = {
            "slackctl --paginate": base + ["--paginate", "--silent"],
            "slackctl --jsonl": base + ["--jsonl"],
            "slack_sdk cursor loop": [PY, "-c", SDK_PAGING],
        }
        results = {name: statistics.median(timed(cmd, env)[0] for _ in range(rounds)) for name, cmd in runs.items()}
    print(f"paging users.list over TLS: ~{total} users, {pages} pages of {PAGE} (median of {rounds}):")
    sdk = results["slack_sdk cursor loop"]
    for name, secs in results.items():
        print(f"  {name:24} {secs:6.2f} s  {pages / secs:7.1f} pages/s   x{sdk / secs:.2f} vs slack_sdk")


def jsonl_memory(small: int, big: int) -> None:
    print("--jsonl peak RSS against the item count:")
    for users in (small, big):
        with start_emulator(tls=False, seed={"generate": {"users": users}}) as emu:
            token = emu.mint_token("bot")["token"]
            env = dict(
                BASE_ENV,
                SLACK_BOT_TOKEN=token,
                SLACKCTL_SLACK_URL=emu.url,
                SLACKCTL_CONFIG_DIR=tempfile.mkdtemp(prefix="bench-slackctl-"),
            )
            with tempfile.TemporaryFile() as out:
                secs, rss, _ = timed(
                    [PY, "-m", "slackctl", "api", "call", "users.list", "--jsonl"], env, stdout=out.fileno()
                )
                out.seek(0)
                lines = sum(chunk.count(b"\n") for chunk in iter(lambda: out.read(1 << 20), b""))
        print(f"  {lines:8d} items  peak RSS {rss / 1024:6.1f} MiB  ({secs:.1f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=15)
    parser.add_argument("--users", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--big-users", type=int, default=200_000)
    parser.add_argument("--skip", nargs="*", default=[], choices=["call", "paging", "memory"])
    args = parser.parse_args()
    if "call" not in args.skip:
        one_call(args.calls)
    if "paging" not in args.skip:
        paging(args.users, args.rounds)
    if "memory" not in args.skip:
        jsonl_memory(args.users // 10, args.big_users)


if __name__ == "__main__":
    main()
