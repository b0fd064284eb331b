"""Console entry point. Answers --version before importing anything else, so it costs no more than Python."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from slackctl import __version__

        sys.stdout.write(f"slackctl {__version__}\n")
        raise SystemExit(0)
    from slackctl.app import main as app_main

    app_main()
