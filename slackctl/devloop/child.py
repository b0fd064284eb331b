"""Running an app as a child process: its own process group, output streaming through, stopped as a whole.

Ctrl-C reaches slackctl (the terminal's foreground group), not the child's group, so stopping is explicit and
ordered: SIGINT to the group (what Ctrl-C would have sent), then SIGTERM, then SIGKILL, and finally anything
left in the group (a grandchild the app forked) is killed, so nothing outlives `slackctl run` / `emulator exec`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from slackctl.errors import UsageError

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
INTERRUPT_GRACE = 3.0
TERMINATE_GRACE = 2.0


def start(argv: Sequence[str], env: dict[str, str], cwd: Path | None = None) -> subprocess.Popen[bytes]:
    """Start ARGV in a new process group, inheriting stdout/stderr (the app's output streams through). On Linux
    the child is killed when slackctl dies, even by SIGKILL (PR_SET_PDEATHSIG), so it never runs on under init
    with the proxy's credentials."""
    try:
        return subprocess.Popen(list(argv), env=env, cwd=cwd, process_group=0, stdin=subprocess.DEVNULL,
                                preexec_fn=_die_with_parent())
    except FileNotFoundError:
        raise UsageError(f"command not found: {argv[0]}", "check the command, or give its full path") from None
    except PermissionError:
        raise UsageError(f"command is not executable: {argv[0]}", f"make it executable: chmod +x {argv[0]}") from None


def _die_with_parent() -> Callable[[], None] | None:
    """A preexec function asking Linux to SIGKILL the child when this process ends, or None elsewhere.

    The death signal is tied to the thread that forks: the run loop and `emulator exec` start apps from the main
    thread, which lives as long as slackctl. libc's prctl is looked up before the fork; the child only calls it,
    then checks that its parent did not already die in between (it would have been missed)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)

    return preexec


def exit_status(returncode: int) -> int:
    """The shell's convention: a child killed by signal N exits 128+N."""
    return 128 - returncode if returncode < 0 else returncode


def stop(proc: subprocess.Popen[bytes], first: signal.Signals = signal.SIGINT) -> int:
    """Stop the child's whole process group (FIRST, then SIGTERM, then SIGKILL); returns its exit status.
    Ctrl-C passes on SIGINT, as the terminal would have; a reload or SIGTERM starts with SIGTERM."""
    pgid = proc.pid  # process_group=0 makes the child the leader of a group numbered by its pid
    steps = ((first, INTERRUPT_GRACE), (signal.SIGTERM, TERMINATE_GRACE)) if first != signal.SIGTERM else \
        ((signal.SIGTERM, INTERRUPT_GRACE),)
    for sig, grace in steps:
        if proc.poll() is not None:
            break
        _signal_group(pgid, sig)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            continue
    if proc.poll() is None:
        _signal_group(pgid, signal.SIGKILL)
        proc.wait()
    _signal_group(pgid, signal.SIGKILL)  # whatever the app left running in its group
    return exit_status(proc.returncode)


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def run(argv: Sequence[str], env: dict[str, str], cwd: Path | None = None) -> int:
    """Run to completion; Ctrl-C (or SIGTERM, which slackctl turns into it) stops the group and re-raises."""
    proc = start(argv, env, cwd)
    try:
        code = proc.wait()
    except KeyboardInterrupt:
        stop(proc)
        raise
    _signal_group(proc.pid, signal.SIGKILL)
    return exit_status(code)
