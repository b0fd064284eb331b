"""Running an app as a child process: its own process group, output streaming through, stopped as a whole.

Ctrl-C reaches slackctl (the terminal's foreground group), not the child's group, so stopping is explicit and
ordered: SIGINT to the group (what Ctrl-C would have sent), then SIGTERM, then SIGKILL, and finally anything
left in the group (a grandchild the app forked) is killed, so nothing outlives `slackctl run` / `emulator exec`.
If slackctl itself is killed (SIGKILL, no handler runs), the death signal and a guard process do that instead.
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
    """Start ARGV in a new process group, inheriting stdout/stderr (the app's output streams through). When
    slackctl dies, even by SIGKILL, the app dies too (PR_SET_PDEATHSIG on Linux) and so does its whole group
    (a guard process, `_guard`), so nothing runs on under init with the proxy's credentials."""
    try:
        proc = subprocess.Popen(
            list(argv), env=env, cwd=cwd, process_group=0, stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent()
        )
    except FileNotFoundError:
        raise UsageError(f"command not found: {argv[0]}", "check the command, or give its full path") from None
    except PermissionError:
        raise UsageError(f"command is not executable: {argv[0]}", f"make it executable: chmod +x {argv[0]}") from None
    _guard(proc.pid)
    return proc


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


# The app's process group -> (the write end of its guard's pipe, the guard). Module state on purpose: it is what
# this process holds open for as long as it lives, and the kernel closing it is the signal.
_guards: dict[int, tuple[int, subprocess.Popen[bytes]]] = {}
_GUARD = 'read _; kill -s KILL -- -"$1" 2>/dev/null'  # stdin is the pipe: EOF when slackctl is gone


def _guard(pgid: int) -> None:
    """A watchdog for the app's whole group: a shell in its own session (a closed terminal's SIGHUP and Ctrl-C do
    not reach it) that blocks reading a pipe only this process can write. When slackctl ends, even by SIGKILL,
    the kernel closes the write end, the read returns, and the guard SIGKILLs the group: the start hook's shell
    and whatever it started (the death signal reaches only the direct child)."""
    read_end, write_end = os.pipe()
    try:
        guard = subprocess.Popen(
            ["/bin/sh", "-c", _GUARD, "slackctl-guard", str(pgid)],
            stdin=read_end,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:  # no /bin/sh: the death signal alone
        os.close(write_end)
        return
    finally:
        os.close(read_end)
    _guards[pgid] = (write_end, guard)


def _release(pgid: int) -> None:
    """The group is gone: stop its guard first (so it never signals a group number used again), then let go."""
    entry = _guards.pop(pgid, None)
    if entry is not None:
        write_end, guard = entry
        guard.kill()
        guard.wait()
        os.close(write_end)


def exit_status(returncode: int) -> int:
    """The shell's convention: a child killed by signal N exits 128+N."""
    return 128 - returncode if returncode < 0 else returncode


def stop(proc: subprocess.Popen[bytes], first: signal.Signals = signal.SIGINT) -> int:
    """Stop the child's whole process group (FIRST, then SIGTERM, then SIGKILL); returns its exit status.
    Ctrl-C passes on SIGINT, as the terminal would have; a reload or SIGTERM starts with SIGTERM."""
    pgid = proc.pid  # process_group=0 makes the child the leader of a group numbered by its pid
    steps = (
        ((first, INTERRUPT_GRACE), (signal.SIGTERM, TERMINATE_GRACE))
        if first != signal.SIGTERM
        else ((signal.SIGTERM, INTERRUPT_GRACE),)
    )
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
    _release(pgid)
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
    _release(proc.pid)
    return exit_status(code)
