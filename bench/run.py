"""`make bench`: every slackctl benchmark side by side in one run, written to docs/benchmarks.md.

    .venv/bin/python bench/run.py [--quick] [--only startup paging memory rate] [--out PATH]

Start-up (against bare Python, Typer's import, a slack_sdk one-liner and curl; token from env and from the
keyring), paging 20,000 users over TLS against slack_sdk, --jsonl peak memory from 20,000 to 1,000,000 items,
200 rate-limited chat.postMessage calls, delivery to apps, and the emulator at scale (bench/scale.py). Re-executes
itself inside scripts/with-keyring.sh (a private D-Bus session with gnome-keyring) so the keyring row uses the real
Secret Service. --quick is a smoke run with tiny sizes; its figures are not meant to be committed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(1, str(ROOT))

import delivery  # noqa: E402
import devloop  # noqa: E402
import measure  # noqa: E402
import paging  # noqa: E402
import ratelimited  # noqa: E402
import report  # noqa: E402
import scale  # noqa: E402
import startup  # noqa: E402
import workflows  # noqa: E402

SECTIONS = ("startup", "paging", "memory", "rate", "delivery", "devloop", "scale", "workflows")


def _in_keyring_session() -> bool:
    return bool(os.environ.get("SLACKCTL_IN_KEYRING_SESSION"))


def _keyring_usable() -> bool:
    probe = "from slackctl.credentials import KeyringStore; KeyringStore(timeout=5).check_available()"
    return subprocess.run([measure.PY, "-c", probe], capture_output=True, check=False).returncode == 0


def _say(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


def _run_sections(
    only: list[str],
    s_rounds: int,
    p_rounds: int,
    users: int,
    sizes: tuple[int, ...],
    rate_total: int,
    rate_channels: int,
    delivery_rounds: int = 200,
    delivery_events: int = 2000,
    scale_sizes: tuple[int, int, int] = (2000, 100_000, 50_000),
) -> dict[str, object]:
    results: dict[str, object] = {}
    if "startup" in only:
        keyring_ok = _keyring_usable()
        _say(f"start-up: {s_rounds} rounds (keyring {'available' if keyring_ok else 'not available'})")
        results["startup"] = startup.run(s_rounds, keyring_ok)
    if "paging" in only:
        _say(f"paging {users:,} users over TLS: {p_rounds} rounds")
        results["paging"] = paging.paging(users, p_rounds)
    if "memory" in only:
        _say(f"--jsonl peak memory at {', '.join(f'{n:,}' for n in sizes)} items")
        results["memory"] = paging.jsonl_memory(sizes)
    if "rate" in only:
        _say(
            f"{rate_total} rate-limited chat.postMessage to {rate_channels} channels (at least "
            f"{rate_total // rate_channels - 1} s for each of {len(ratelimited.METHODS)} methods at time_scale 1)"
        )
        results["rate"] = ratelimited.run(rate_channels, rate_total)
    if "delivery" in only:
        _say(f"delivery to a Bolt app: {delivery_rounds} round trips and {delivery_events} events, per transport")
        results["delivery"] = delivery.run(delivery_rounds, delivery_events)
    if "devloop" in only:
        reloads, events = (3, 20) if rate_total < 200 else (10, 200)
        _say(
            f"development loop: {reloads} reloads under slackctl run --emulator, {events} events through events forward"
        )
        results["devloop"] = devloop.run(reloads, events)
    if "scale" in only:
        n_events, n_messages, n_users = scale_sizes
        _say(
            f"emulator at scale: {n_events} Socket Mode events, history over {n_messages:,} messages, a seed of "
            f"{n_users:,} users"
        )
        results["scale"] = scale.run(*scale_sizes)
    if "workflows" in only:
        runs = 10 if rate_total < 200 else 100
        _say(f"workflow runs: link trigger -> 3 steps with a Bolt custom step, {runs} runs")
        results["workflows"] = workflows.run(runs)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes and few rounds (smoke test)")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS))
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--startup-rounds", type=int, default=30)
    parser.add_argument("--paging-rounds", type=int, default=5)
    args = parser.parse_args()

    if not _in_keyring_session() and shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon"):
        # cwd and argv are kept; the keyring session changes HOME to a temp dir, nothing else.
        os.execv(
            "/bin/bash",
            [
                "bash",
                str(ROOT / "scripts" / "with-keyring.sh"),
                measure.PY,  # noqa: S606
                str(Path(__file__).resolve()),
                *sys.argv[1:],
            ],
        )

    quick = args.quick
    s_rounds = 3 if quick else args.startup_rounds
    p_rounds = 1 if quick else args.paging_rounds
    users = 2_000 if quick else 20_000
    sizes = (2_000, 20_000) if quick else (20_000, 1_000_000)
    rate_total, rate_channels = (10, 5) if quick else (200, 5)

    started = time.perf_counter()
    machine = measure.machine()  # load average before the run, not caused by it
    # Every config dir and output file of the run lives here and goes away with it.
    work = tempfile.mkdtemp(prefix="slackctl-bench-")
    tempfile.tempdir = work
    try:
        results = _run_sections(
            args.only,
            s_rounds,
            p_rounds,
            users,
            sizes,
            rate_total,
            rate_channels,
            *((20, 200) if quick else (200, 2000)),
            (200, 1_000, 2_000) if quick else (2000, 100_000, 50_000),
        )
    finally:
        tempfile.tempdir = None
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.perf_counter() - started

    text = report.render(
        machine=machine,
        versions=measure.versions(),
        startup=results.get("startup"),
        paging=results.get("paging"),
        memory=results.get("memory"),
        rate=results.get("rate"),
        devloop=results.get("devloop"),
        elapsed=elapsed,
        command="make bench" + (" (--quick)" if quick else ""),
    )
    delivered = results.get("delivery")
    if isinstance(delivered, delivery.DeliveryResult):
        text = text.rstrip("\n") + "\n\n" + "\n".join(delivery.render(delivered))
    scaled = results.get("scale")
    if isinstance(scaled, scale.ScaleResult):
        text = text.rstrip("\n") + "\n\n" + "\n".join(scale.render(scaled))
    flows = results.get("workflows")
    if isinstance(flows, workflows.WorkflowResult):
        text = text.rstrip("\n") + "\n\n" + "\n".join(workflows.render(flows))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)
    _say(f"wrote {args.out} in {elapsed / 60:.1f} min")


if __name__ == "__main__":
    main()
