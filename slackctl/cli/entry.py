"""Console entry point. Answers --version before importing anything else, so it costs no more than Python."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from slackctl import __version__

        sys.stdout.write(f"slackctl {__version__}\n")
        raise SystemExit(0)
    import signal

    # SIGTERM (CI cancelling a job, `kill`) takes the same path as Ctrl-C, so every command's cleanup and
    # rollback runs (a deploy restores the previous manifest) instead of Python dying on the spot.
    signal.signal(signal.SIGTERM, _terminate)
    # A plain `api call` runs without importing Typer at all (see slackctl/cli/fastpath.py).
    from slackctl.cli.fastpath import try_run

    code = try_run(sys.argv[1:])
    if code is not None:
        raise SystemExit(code)
    from slackctl.cli.app import main as app_main

    app_main()


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
