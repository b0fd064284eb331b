"""Terminal facts and the two streams: stdout carries data, stderr carries messages for people.

Everything shown to a person (all of stderr, and text on a terminal's stdout) passes `for_people`, which drops
control characters, so a server's `error` or `error_description` cannot move the cursor, retitle the window or
hide text. slackctl's own colours survive it because they are written as markers keyed by a per-process random
value that no server can know, and turned into escape codes only after the text was cleaned. JSON data written
with `out_data` is never touched.
"""

from __future__ import annotations

import os
import re
import sys
from typing import IO as Stream
from typing import TextIO

# C0 controls but tab and newline, DEL, C1 controls (8-bit CSI and friends), and the bidi embedding, override
# and isolate controls (text that displays in another order than it reads).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_MARK = "\x00" + os.urandom(8).hex() + "["
_STYLE = re.compile(re.escape(_MARK) + r"([0-9;]*)m")


def style(text: str, code: str) -> str:
    """`text` in SGR colour `code`, as a marker that `for_people` turns into the escape sequence."""
    return f"{_MARK}{code}m{text}{_MARK}0m"


def for_people_styles_only(text: str) -> str:
    """Only the colour markers of `style` turned into escape codes; everything else left exactly as it is."""
    return _STYLE.sub(lambda m: f"\x1b[{m.group(1)}m", text) if _MARK in text else text


def for_people(text: str) -> str:
    """`text` without control characters, except the colours made by `style`."""
    if _CONTROL.search(text) is None:
        return text
    parts = _STYLE.split(text)  # [text, code, text, code, ..., text]
    return "".join(f"\x1b[{part}m" if i % 2 else _CONTROL.sub("", part) for i, part in enumerate(parts))


class IO:
    """Where output goes and what the terminal can do. Built once per invocation."""

    def __init__(
        self,
        *,
        no_color: bool = False,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        stdin: TextIO | None = None,
        is_terminal: bool | None = None,
        can_prompt: bool | None = None,
    ) -> None:
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
        """Text on stdout: cleaned for a person when stdout is a terminal, else written as it is (a program
        reads it); colours made by `style` become escape codes either way."""
        text = for_people(text) if self.stdout_is_tty else for_people_styles_only(text)
        self.stdout.write(text + end)
        self.stdout.flush()

    def out_data(self, text: str, end: str = "\n") -> None:
        """Data (JSON) for programs, byte for byte."""
        self.stdout.write(text + end)
        self.stdout.flush()

    def err(self, text: str = "", end: str = "\n") -> None:
        """Messages for people, without control characters."""
        self.stderr.write(for_people(text + end))
        self.stderr.flush()

    def _style(self, text: str, code: str) -> str:
        return style(text, code) if self.err_color else text

    def paint(self, text: str, code: str, *, stdout: bool = False) -> str:
        """`text` coloured when the stream it goes to (stderr, or stdout) shows colour."""
        return style(text, code) if (self.color if stdout else self.err_color) else text

    def success(self, text: str) -> None:
        self.err(self._style("✓", "32") + " " + text)

    def warn(self, text: str) -> None:
        self.err(self._style("warning:", "33") + " " + text)

    def error(self, text: str) -> None:
        self.err(self._style("error:", "31") + " " + text)

    def dim(self, text: str) -> str:
        return self._style(text, "2")
