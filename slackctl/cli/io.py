"""Terminal facts and the two streams: stdout carries data, stderr carries messages for people."""

from __future__ import annotations

import os
import sys
from typing import IO as Stream
from typing import TextIO


class IO:
    """Where output goes and what the terminal can do. Built once per invocation."""

    def __init__(self, *, no_color: bool = False, stdout: TextIO | None = None, stderr: TextIO | None = None,
                 stdin: TextIO | None = None, is_terminal: bool | None = None,
                 can_prompt: bool | None = None) -> None:
        """`is_terminal` and `can_prompt` override what the streams say, so tests can show slackctl a terminal
        (or a person) without a pseudo-terminal; None (the default) asks the real streams."""
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.stdin = stdin or sys.stdin
        self._no_color = no_color
        self._is_terminal = is_terminal
        self._can_prompt = can_prompt

    # -- terminal facts ---------------------------------------------------------------------------
    def _isatty(self, stream: TextIO) -> bool:
        if self._is_terminal is not None:
            return self._is_terminal
        try:
            return stream.isatty()
        except (AttributeError, ValueError):
            return False

    @property
    def stdout_is_tty(self) -> bool:
        return self._isatty(self.stdout)

    @property
    def stderr_is_tty(self) -> bool:
        return self._isatty(self.stderr)

    @property
    def stdin_is_tty(self) -> bool:
        return self._isatty(self.stdin)

    def stdin_bytes(self) -> Stream[bytes]:
        """stdin as a byte stream (uploads read files raw); a text stream without one is encoded as UTF-8."""
        buffer: Stream[bytes] | None = getattr(self.stdin, "buffer", None)
        if buffer is not None:
            return buffer
        import io

        return io.BytesIO(self.stdin.read().encode("utf-8"))

    @property
    def can_prompt(self) -> bool:
        """Prompts only when a person is there: stdin and stderr are terminals and CI is not set (gh's rule)."""
        if self._can_prompt is not None:
            return self._can_prompt
        return self.stdin_is_tty and self.stderr_is_tty and not os.environ.get("CI")

    @property
    def color(self) -> bool:
        if self._no_color or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
            return False
        return self.stdout_is_tty

    @property
    def err_color(self) -> bool:
        if self._no_color or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
            return False
        return self.stderr_is_tty

    # -- writing ---------------------------------------------------------------------------------
    def out(self, text: str = "", end: str = "\n") -> None:
        """Data for programs."""
        self.stdout.write(text + end)
        self.stdout.flush()

    def err(self, text: str = "", end: str = "\n") -> None:
        """Messages for people."""
        self.stderr.write(text + end)
        self.stderr.flush()

    def _style(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.err_color else text

    def success(self, text: str) -> None:
        self.err(self._style("✓", "32") + " " + text)

    def warn(self, text: str) -> None:
        self.err(self._style("warning:", "33") + " " + text)

    def error(self, text: str) -> None:
        self.err(self._style("error:", "31") + " " + text)

    def dim(self, text: str) -> str:
        return self._style(text, "2")
