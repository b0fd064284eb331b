"""Render `make bench` results as docs/benchmarks.md: budgets first (pass/fail with the measured figure), then the
tables each budget comes from, the machine and the versions."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import Any

from paging import MemoryRow, PagingResult
from ratelimited import RateResult
from startup import StartupResult

TYPER = 'python -c "import typer"'
SDK = "slack_sdk one-liner (auth.test)"
# --jsonl memory counts as flat when the 50x larger run grows peak RSS by less than this.
FLAT_TOLERANCE = 0.10


# Analysis of the causes (from -X importtime, cProfile and the diagnostic rows below); it explains the
# figures of any run, so it is kept as text here rather than computed.
WHY = [
    "- **`api call auth.test` vs the slack_sdk one-liner.** A one-shot call is import-bound, so slackctl keeps "
    "the heavy libraries off its path: a plain `api call` command line is parsed without Typer "
    "(`slackctl/cli/fastpath.py`; anything unusual, such as `--help`, still goes through Typer), and Web API "
    "calls go over the standard library's `http.client` with a keep-alive pool (`slackctl/slack/transport.py`, "
    "the one transport of every request; httpx is no longer a dependency). With warm caches (`-X importtime`) "
    "what remains is http.client + ssl "
    "(~15 ms, which slack_sdk's urllib pays too) and slackctl's own modules (~20 ms: context/config/tomllib, "
    "the method catalog, the client). The *floor* row (Typer + httpx alone) is what the call cost before "
    "that change, in libraries alone.",
    "- **Token from the keyring.** On Linux slackctl reads the secret from the Secret Service over D-Bus with "
    "jeepney (`slackctl/secretservice.py`, a plain session on the local bus), without importing `keyring`, "
    "whose own imports (jaraco.context pulls in urllib.request and email) cost more than a whole slack_sdk call; "
    "keyring stays the fallback and the write path. The `PYTHON_KEYRING_BACKEND` row turns that fast read off "
    "(slackctl honours a backend the user chose through keyring), so it shows what keyring's path costs.",
    "- **Paging vs slack_sdk.** slack_sdk opens a new TLS connection for every page; slackctl keeps one alive "
    "and asks for the next page as soon as the cursor is known, so the emulator builds it while the client "
    "decodes the current one. Decoding is most of a paging client's own work: slack_sdk uses the standard "
    "library's json (~1–1.7 ms per 200 users here), slackctl orjson when paging (~0.5 ms; `slackctl/core/bulkjson.py`, "
    "not loaded by one-shot calls). `--jsonl` also encodes and writes 20,005 lines, which the budget's slack_sdk "
    "loop (it only counts members) does not do; the diagnostic slack_sdk row that writes the same lines shows "
    "the cost of the output itself. On a real network each new connection costs "
    "extra round trips, so the gap is wider than on loopback.",
    "- **Rate-limited posting, one process per message** (diagnostic rows, no budget). Slack's (and the "
    "emulator's) Retry-After is whole seconds: a call that arrives a fraction of a second early is told to wait "
    "1 s, so each message costs 1 s plus the time the next process needs to start and send; `api batch` keeps "
    "one process and its connections, so only the wait remains.",
]


@dataclass
class Budget:
    name: str
    limit: str
    measured: str
    ok: bool | None  # None: not measured


def budgets(
    startup: StartupResult | None, paging: PagingResult | None, memory: list[MemoryRow] | None, rate: RateResult | None
) -> list[Budget]:
    out: list[Budget] = []
    if startup:
        s = startup.stats
        typer = s[TYPER].median
        for cmd, limit in (("slackctl --version", 0.3), ("slackctl --help", 2.0)):
            r = s[cmd].median / typer
            out.append(Budget(f"`{cmd}` vs `{TYPER}`", f"≤ {limit}x", f"{r:.2f}x", r <= limit))
        r = s["slackctl api call auth.test (env token)"].median / s[SDK].median
        out.append(
            Budget("`slackctl api call auth.test` (env token) vs slack_sdk one-liner", "≤ 1.0x", f"{r:.2f}x", r <= 1.0)
        )
        if startup.keyring:
            k = startup.keyring
            r = k["slackctl api call auth.test (keyring token)"].median / k[SDK].median
            out.append(
                Budget(
                    "`slackctl api call auth.test` (keyring token) vs slack_sdk one-liner",
                    "≤ 1.3x",
                    f"{r:.2f}x",
                    r <= 1.3,
                )
            )
        else:
            out.append(
                Budget(
                    "`slackctl api call auth.test` (keyring token) vs slack_sdk one-liner",
                    "≤ 1.3x",
                    startup.keyring_note,
                    None,
                )
            )
    if paging:
        sdk = paging.stats["slack_sdk cursor iterator"].median
        for name in ("slackctl api call users.list --paginate", "slackctl api call users.list --jsonl"):
            r = sdk / paging.stats[name].median
            flag = name.rsplit(" ", 1)[1]
            out.append(
                Budget(
                    f"paging {paging.items:,} users over TLS: `{flag}` pages/s vs slack_sdk",
                    "≥ 1.5x",
                    f"{r:.2f}x",
                    r >= 1.5,
                )
            )
    if memory and len(memory) >= 2:
        small, big = memory[0], memory[-1]
        growth = big.max_rss_mib / small.max_rss_mib - 1
        out.append(
            Budget(
                f"`--jsonl` peak RSS, {small.items:,} → {big.items:,} items",
                f"flat (< {FLAT_TOLERANCE:.0%} growth)",
                f"{small.max_rss_mib:.1f} → {big.max_rss_mib:.1f} MiB ({growth:+.1%})",
                growth < FLAT_TOLERANCE,
            )
        )
    if rate:
        for run in rate.runs:
            # The budget is for slackctl's way of sending many calls (`api batch`); one process per message
            # (per-message, pipelined) is shown in the table as what a shell loop costs.
            if run.method != "batch":
                continue
            r = run.seconds / rate.minimum
            out.append(
                Budget(
                    f"{rate.channels * rate.per_channel} chat.postMessage, {rate.channels} channels "
                    f"({run.method}): delivered once, in order; wall vs minimum",
                    "all delivered, ≤ 1.15x",
                    f"{'all delivered' if run.delivered_ok else 'NOT all delivered'}, {r:.3f}x",
                    run.delivered_ok and r <= 1.15,
                )
            )
    return out


def _verdict(ok: bool | None) -> str:
    return "not measured" if ok is None else ("holds" if ok else "**does not hold**")


def render(
    *,
    machine: dict[str, str],
    versions: dict[str, str],
    startup: StartupResult | None,
    paging: PagingResult | None,
    memory: list[MemoryRow] | None,
    rate: RateResult | None,
    elapsed: float,
    command: str,
    devloop: Any = None,
) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Generated by `{command}` on {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} in {elapsed / 60:.1f} "
        "minutes. Every figure below comes from that one run on one machine; comparisons are ratios of "
        "figures measured side by side (interleaved, round after round), because absolute times differ "
        "between machines. Rerun with `make bench` (`.venv/bin/python bench/run.py`).",
        "",
        "## Budgets",
        "",
        "| budget | limit | measured | verdict |",
        "|---|---|---|---|",
    ]
    found = budgets(startup, paging, memory, rate)
    lines += [f"| {b.name} | {b.limit} | {b.measured} | {_verdict(b.ok)} |" for b in found]
    failing = [b for b in found if b.ok is False]
    lines += [
        "",
        (
            "Every measured budget holds."
            if not failing
            else "Budgets that do not hold: "
            + "; ".join(f"{b.name}: {b.measured} (limit {b.limit})" for b in failing)
            + "."
        ),
    ]
    if startup:
        lines += _startup(startup)
    if paging:
        lines += _paging(paging)
    if memory:
        lines += _memory(memory)
    if rate:
        lines += _rate(rate)
    if devloop:
        import devloop as devloop_bench  # bench/devloop.py renders its own section

        lines += devloop_bench.section(devloop)
    if failing:
        lines += ["", "## Why the failing budgets fail", "", *WHY]
    lines += [
        "",
        "## Import guard",
        "",
        "`tests/foundation/test_startup_imports.py` (part of `make test`) asserts from `sys.modules`, not "
        "with a timer, that `--version` and every `--help` import none of httpx, keyring, rich, questionary, "
        "jq, jsonschema, yaml, cryptography, jwt, prompt_toolkit or secretstorage, and that `--version` does "
        "not even import Typer; `tests/cli/test_fastpath.py` asserts that a plain `api call` imports "
        "none of typer, click, httpx, rich or keyring, and `tests/foundation/test_secretservice_fast.py` that "
        "a keyring read imports neither keyring nor cryptography. A heavy import on the start-up path fails "
        "the test suite before it shows up here.",
        "",
        "## Machine",
        "",
    ]
    lines += [f"- {k}: {v}" for k, v in machine.items()]
    lines += ["", "## Versions", ""] + [f"- {k}: {v}" for k, v in versions.items()]
    return "\n".join(lines) + "\n"


def _startup(s: StartupResult) -> list[str]:
    typer = s.stats[TYPER].median
    out = [
        "",
        "## Start-up",
        "",
        f"Each command is a fresh process, {s.rounds} interleaved rounds after one warm-up round; wall time from "
        "spawn to exit. `slackctl` is the installed console script. The API calls go to the emulator on "
        "127.0.0.1 over plain HTTP with the token in `SLACK_BOT_TOKEN`; curl reads the header from a config "
        "file (`-K`).",
        "",
        f"| command | median ms (IQR) | vs `{TYPER}` |",
        "|---|---|---|",
    ]
    for name, st in s.stats.items():
        out.append(f"| `{name}` | {st.ms()} | {st.median / typer:.2f}x |")
    out += ["", "### Token from the keyring", ""]
    if not s.keyring:
        out.append(s.keyring_note)
        return out
    out += [
        "`make bench` re-executes itself inside `scripts/with-keyring.sh` (a private D-Bus session with an "
        "unlocked gnome-keyring). The token is stored with `slackctl auth login --with-token`; "
        "`slackctl api call auth.test` then reads it from the Secret Service in every run (no environment "
        "token). The slack_sdk one-liner, which has no keyring, is measured in the same rounds with the token "
        "in the environment.",
        "",
        "| command | median ms (IQR) | vs slack_sdk |",
        "|---|---|---|",
    ]
    sdk = s.keyring[SDK].median
    for name, st in s.keyring.items():
        out.append(f"| `{name}` | {st.ms()} | {st.median / sdk:.2f}x |")
    return out


def _paging(p: PagingResult) -> list[str]:
    sdk = p.stats["slack_sdk cursor iterator"].median
    out = [
        "",
        "## Paging",
        "",
        f"`users.list` over TLS (the emulator's own CA passed with `SLACKCTL_CA_BUNDLE` / an `ssl` context) "
        f"with {p.users:,} generated users plus the default world: {p.items:,} items in {p.pages} pages of 200. "
        f"Each client is one fresh process, so start-up is included; {p.rounds} interleaved rounds. Every "
        "client was checked to see the same item count. slack_sdk uses `WebClient.users_list()`'s cursor "
        "iterator and only counts the members; `--paginate --silent` merges them without printing; `--jsonl` "
        "writes every item as a JSON line (into a pipe the benchmark drains); the diagnostic slack_sdk row "
        "writes the same lines. Client CPU is the child's own user + system time: the rest of the wall time is "
        "start-up I/O and waiting for the emulator to build each page.",
        "",
        "| client | median s (IQR) | pages/s | vs slack_sdk | client CPU s |",
        "|---|---|---|---|---|",
    ]
    for name, st in p.stats.items():
        cpu = statistics.median(st.cpu) if st.cpu else float("nan")
        out.append(
            f"| `{name}` | {st.median:.2f} ({st.q1:.2f}–{st.q3:.2f}) | {p.pages / st.median:.0f} | "
            f"{sdk / st.median:.2f}x | {cpu:.2f} |"
        )
    return out


def _memory(rows: list[MemoryRow]) -> list[str]:
    out = [
        "",
        "## `--jsonl` memory",
        "",
        "`slackctl api call users.list --jsonl > file`, one fresh process per size; peak RSS is the child's "
        "`ru_maxrss` from `wait4()` (one run per size).",
        "",
        "| items | peak RSS MiB | wall s |",
        "|---|---|---|",
    ]
    out += [f"| {r.items:,} | {r.max_rss_mib:.1f} | {r.seconds:.1f} |" for r in rows]
    return out


def _rate(r: RateResult) -> list[str]:
    out = [
        "",
        "## Rate-limited posting",
        "",
        f"{r.channels * r.per_channel} `chat.postMessage` calls, {r.per_channel} to each of {r.channels} channels, "
        "against the emulator's per-channel limit (1 message/s, burst 1; time_scale 1 because Retry-After is "
        "whole seconds, as on Slack, so a faster emulated clock would make any client over-wait). Theoretical "
        f"minimum: ({r.per_channel} - 1) / 1 s = {r.minimum:.0f} s. Delivery is checked on the emulator: each "
        "channel's messages must equal the sent texts, in order, with no duplicates. One run per method.",
        "",
        "Methods:",
        "- **batch**: one `slackctl api batch chat.postMessage` process reading all 200 JSON lines (interleaved "
        "across channels) on stdin; calls to one channel go out in order, channels in parallel, on keep-alive "
        "connections. This is the row the budget applies to.",
        "- **per-message**: 5 parallel streams (one per channel), each a loop of "
        "`slackctl api call chat.postMessage channel=C text=…`, the next started when the last exits (what a "
        "shell loop does).",
        "- **pipelined**: 5 parallel streams; the next `slackctl api call chat.postMessage --input -` is started "
        "while the current one runs and gets its JSON body on stdin only after the current one printed Slack's "
        "`ok` response. Start-up overlaps the rate-limit wait; order is kept.",
        "- **slack_sdk**: reference, one process, 5 threads each with a `WebClient` and "
        "`RateLimitErrorRetryHandler` (which sleeps Retry-After plus up to 1 s of jitter).",
        "",
        "| method | wall s | vs minimum | 429 answers | delivered once, in order |",
        "|---|---|---|---|---|",
    ]
    for run in r.runs:
        detail = "yes" if run.delivered_ok else "NO: " + "; ".join(run.problems)[:300]
        out.append(
            f"| {run.method} | {run.seconds:.1f} | {run.seconds / r.minimum:.3f}x | {run.rate_limited} | {detail} |"
        )
    return out
