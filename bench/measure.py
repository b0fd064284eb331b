"""Measuring child processes for `make bench`: wall time and peak RSS of one run, summaries of repeated runs,
and a description of the machine the figures come from."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
# The console script a person runs; `python -m slackctl` would add runpy's import of the package __main__.
SLACKCTL = str(Path(PY).with_name("slackctl")) if Path(PY).with_name("slackctl").exists() else None


def slackctl_cmd(*args: str) -> list[str]:
    return [SLACKCTL, *args] if SLACKCTL else [PY, "-m", "slackctl", *args]


class BenchError(RuntimeError):
    """A measured command failed: the figure would be meaningless, so the row says so instead."""


@dataclass
class Sample:
    seconds: float
    max_rss_kib: int
    stdout: bytes
    cpu_seconds: float = 0.0  # user + system time of the child alone


def run_child(
    cmd: list[str],
    env: dict[str, str],
    *,
    stdin: bytes | None = None,
    stdout_path: str | None = None,
    check: bool = True,
) -> Sample:
    """One fresh child: wall seconds from spawn to exit and its own peak RSS (wait4's rusage is per child, so
    nothing of earlier runs or of this process leaks into the figure)."""
    out = open(stdout_path, "wb") if stdout_path else None  # noqa: SIM115 - closed below
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        env=env,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=out or subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    if stdin is not None:
        assert proc.stdin is not None
        proc.stdin.write(stdin)
        proc.stdin.close()
    # Drain the pipes before reaping, or a chatty child would block on a full pipe.
    data = proc.stdout.read() if proc.stdout else b""
    err = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if out:
        out.close()
    if check and proc.returncode != 0:
        raise BenchError(f"{' '.join(cmd[:5])} exited {proc.returncode}: {err.decode('utf-8', 'replace')[:300]}")
    return Sample(elapsed, usage.ru_maxrss, data, usage.ru_utime + usage.ru_stime)


@dataclass
class Stats:
    values: list[float]
    cpu: list[float] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def q1(self) -> float:
        return _quantile(self.values, 0.25)

    @property
    def q3(self) -> float:
        return _quantile(self.values, 0.75)

    def ms(self) -> str:
        """'median ms (IQR q1-q3)' as printed in the tables."""
        return f"{self.median * 1000:.1f} ({self.q1 * 1000:.1f}–{self.q3 * 1000:.1f})"


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = q * (len(ordered) - 1)
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def interleaved(
    cases: dict[str, tuple[list[str], dict[str, str]]], rounds: int, warmup: int = 1, stdin: bytes | None = None
) -> dict[str, Stats]:
    """Run every case once per round, round after round, so a slow spell of the machine (other engineers share
    it) hits all cases alike instead of whichever happened to run then."""
    stats = {name: Stats([]) for name in cases}
    for i in range(warmup + rounds):
        for name, (cmd, env) in cases.items():
            sample = run_child(cmd, env, stdin=stdin)
            if i >= warmup:
                stats[name].values.append(sample.seconds)
                stats[name].cpu.append(sample.cpu_seconds)
    return stats


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{mem_kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        mem = "?"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return {
        "cpu": f"{cpu}, {os.cpu_count()} logical cores",
        "memory": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "load": load,
    }


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found: dict[str, str] = {}
    for name in ("slackctl", "typer", "click", "httpx", "keyring", "slack_sdk"):
        try:
            found[name] = version(name.replace("_", "-"))
        except PackageNotFoundError:
            found[name] = "not installed"
    curl = subprocess.run(["curl", "--version"], capture_output=True, text=True, check=False).stdout.split()
    found["curl"] = curl[1] if len(curl) > 1 else "not installed"
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        commit = ""
    found["slackctl commit"] = commit or "?"
    return found
