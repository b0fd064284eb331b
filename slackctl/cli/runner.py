"""The one place errors become a stderr line and an exit code (for the Typer app and the fast `api call` path)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from slackctl.cli.io import IO
from slackctl.errors import ExitCode, SlackctlError


def format_error(io: IO, message: str, hint: str | None) -> str:
    from slackctl.slack.tokens import redact

    text = redact(message) + (f" — {redact(hint)}" if hint else "")
    return io._style("error:", "31") + " " + text  # io.err drops any control character the text brings


def guarded(io: IO, body: Callable[[], int]) -> int:
    """Run `body`; return its exit code, or turn what it raised into one line on stderr and an exit code.
    Never raises, never prints a traceback (unless SLACKCTL_DEBUG asks for one)."""
    try:
        return body()
    except SlackctlError as exc:
        from slackctl.cli.hints import cli_hint

        io.err(format_error(io, exc.message, cli_hint(exc)))
        return int(exc.exit_code)
    except KeyboardInterrupt as exc:
        # A shielded write (slackctl.interrupts) says what it did before giving way to the interrupt.
        io.err(f"interrupted: {exc}" if str(exc) else "interrupted")
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        # The reader went away (`| head`): not an error worth a message.
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:
            pass
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, no traceback
        from slackctl.errors import caused_by_interrupt

        if caused_by_interrupt(exc):  # an interrupt that Python wrapped in another error
            io.err("interrupted")
            return int(ExitCode.INTERRUPTED)
        from slackctl.slack.tokens import redact

        io.err(
            format_error(
                io,
                f"unexpected {type(exc).__name__}: {redact(str(exc))[:300]}",
                "this is a bug in slackctl; please report it with the command you ran "
                "(re-run with SLACKCTL_DEBUG=1 for details)",
            )
        )
        if os.environ.get("SLACKCTL_DEBUG"):
            import traceback

            io.err(redact(traceback.format_exc()))
        return int(ExitCode.API_ERROR)
