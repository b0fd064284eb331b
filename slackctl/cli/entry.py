"""Console entry point. Turns SIGTERM (and SIGHUP) into the Ctrl-C path before anything else, then answers
--version before importing anything more, so it costs no more than Python."""

from __future__ import annotations

import signal
import sys


def main() -> None:
    # First thing: SIGTERM (CI cancelling a job, `kill`) takes the same path as Ctrl-C, so every command's cleanup
    # and rollback runs (a deploy restores the previous manifest) instead of Python dying on the spot; and an
    # interrupt that lands while the modules below are still importing ends quietly with 130, not a traceback.
    # SIGHUP (the terminal closed) is one more way of being told to stop: the same path, unless nohup ignores it.
    signal.signal(signal.SIGTERM, _terminate)
    if hasattr(signal, "SIGHUP") and signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN:
        signal.signal(signal.SIGHUP, _terminate)
    try:
        code = _run(sys.argv[1:])
    except KeyboardInterrupt:
        code = 130
    except Exception as exc:
        from slackctl.errors import caused_by_interrupt

        if not caused_by_interrupt(exc):
            raise
        code = 130
    if code == 130:
        _forget_interrupt()
    # slackctl's work is done; an interrupt while Python shuts down (joining threads, flushing) ends the process
    # at once with 130 instead of a traceback from deep inside the interpreter's exit.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    for sig in (signal.SIGTERM, signal.SIGINT, *((signal.SIGHUP,) if hasattr(signal, "SIGHUP") else ())):
        if signal.getsignal(sig) is not signal.SIG_IGN:  # nohup's choice stands
            signal.signal(sig, _exit_now)
    raise SystemExit(code)


def _forget_interrupt() -> None:
    """CPython remembers a KeyboardInterrupt raised inside code run from a string (dataclasses and namedtuple
    build methods that way while modules import) even when it was caught, and then ends the process by
    SIGINT (exit -2) instead of our 130; running any string of code clears that flag."""
    exec("")  # noqa: S102 - an empty string: nothing is run, only the flag is reset


def _run(args: list[str]) -> int:
    if args == ["--version"]:
        from slackctl import __version__

        sys.stdout.write(f"slackctl {__version__}\n")
        return 0
    # A plain `api call` runs without importing Typer at all (see slackctl/fastpath.py).
    from slackctl.cli.fastpath import try_run

    code = try_run(args)
    if code is not None:
        return code
    from slackctl.cli.app import run

    return run(args)


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _exit_now(signum: int, frame: object) -> None:
    import os

    os._exit(130)
