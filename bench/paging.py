"""Paging rows of `make bench`: users.list over TLS (slackctl --paginate and --jsonl against slack_sdk's cursor
iterator) and the peak RSS of `--jsonl` from 20,000 to 1,000,000 items."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass

from api_bench import BASE_ENV, PAGE, SDK_PAGING
from measure import PY, Stats, interleaved, run_child, slackctl_cmd

from slackctl.emulator import start_emulator

# Diagnostic, not a budget: slack_sdk doing what `--jsonl` does (one JSON line per member on stdout), so the cost
# of writing the output can be told apart from the cost of fetching.
SDK_JSONL = """
import json, os, ssl, sys
from slack_sdk import WebClient
ctx = ssl.create_default_context(cafile=os.environ["BENCH_CA"])
client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["BENCH_API"], ssl=ctx)
for page in client.users_list(limit=int(os.environ["BENCH_PAGE"])):
    sys.stdout.write("".join(json.dumps(m, ensure_ascii=False, separators=(",", ":")) + "\\n" for m in page["members"]))
"""
SDK_JSONL_NAME = "slack_sdk cursor iterator, writing JSON lines (diagnostic)"


@dataclass
class PagingResult:
    users: int
    items: int
    pages: int
    rounds: int
    stats: dict[str, Stats]


@dataclass
class MemoryRow:
    items: int
    seconds: float
    max_rss_mib: float


def _env(emu, **extra: str) -> dict[str, str]:
    env = dict(BASE_ENV)
    for var in ("SLACK_TOKEN", "SLACK_USER_TOKEN", "SLACKCTL_PROFILE"):
        env.pop(var, None)
    env.update(
        SLACK_BOT_TOKEN=emu.mint_token("bot")["token"],
        SLACKCTL_SLACK_URL=emu.url,
        SLACKCTL_CONFIG_DIR=tempfile.mkdtemp(prefix="bench-slackctl-"),
        BENCH_API=emu.url + "/api/",
        BENCH_PAGE=str(PAGE),
        NO_COLOR="1",
        **extra,
    )
    return env


def _count_lines(path: str) -> int:
    with open(path, "rb") as fh:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))


def paging(users: int, rounds: int) -> PagingResult:
    with start_emulator(tls=True, seed={"generate": {"users": users}}) as emu:
        env = _env(emu, SLACKCTL_CA_BUNDLE=emu.ca_file, BENCH_CA=emu.ca_file)
        base = slackctl_cmd("api", "call", "users.list", f"limit:={PAGE}")
        # Every client must see every item: count them once (also proves the runs below do real work).
        with tempfile.NamedTemporaryFile(suffix=".jsonl") as out:
            run_child(base + ["--jsonl"], env, stdout_path=out.name)
            items = _count_lines(out.name)
        sdk_count = int(run_child([PY, "-c", SDK_PAGING], env).stdout.decode().strip())
        if sdk_count != items:
            raise RuntimeError(f"slack_sdk saw {sdk_count} users, slackctl {items}")
        cases = {
            "slackctl api call users.list --paginate": (base + ["--paginate", "--silent"], env),
            "slackctl api call users.list --jsonl": (base + ["--jsonl"], env),
            "slack_sdk cursor iterator": ([PY, "-c", SDK_PAGING], env),
            SDK_JSONL_NAME: ([PY, "-c", SDK_JSONL], env),
        }
        stats = interleaved(cases, rounds, warmup=0)
    return PagingResult(users, items, -(-items // PAGE), rounds, stats)


def jsonl_memory(sizes: tuple[int, ...]) -> list[MemoryRow]:
    rows = []
    for users in sizes:
        with start_emulator(tls=False, seed={"generate": {"users": users}}) as emu:
            env = _env(emu)
            fd, path = tempfile.mkstemp(suffix=".jsonl")
            os.close(fd)
            try:
                sample = run_child(slackctl_cmd("api", "call", "users.list", "--jsonl"), env, stdout_path=path)
                items = _count_lines(path)
            finally:
                os.unlink(path)
        rows.append(MemoryRow(items, sample.seconds, sample.max_rss_kib / 1024))
    return rows
