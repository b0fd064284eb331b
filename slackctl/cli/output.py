"""Render data: pretty, coloured JSON on a terminal; compact one-line JSON when piped or asked for."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from slackctl.cli.io import IO


def dumps_compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def print_json(io: IO, data: Any, *, pretty: bool | None = None, encode: Callable[[Any], str] = dumps_compact) -> None:
    """Write JSON to stdout; pretty when stdout is a terminal unless told otherwise; `encode` makes the compact
    text (paging passes a faster encoder for large merged responses)."""
    if pretty is None:
        pretty = io.stdout_is_tty
    if not pretty:
        io.out_data(encode(data))
        return
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if io.color:
        # rich is imported only here: colouring is a terminal-only luxury.
        from rich.console import Console
        from rich.syntax import Syntax

        Console(file=io.stdout, force_terminal=True).print(
            Syntax(text, "json", theme="ansi_dark", background_color="default", word_wrap=True)
        )
    else:
        io.out_data(text)


def print_table(io: IO, headers: list[str], rows: list[list[str]]) -> None:
    """A plain aligned table on stdout (tab-separated when piped, like gh)."""
    if not io.stdout_is_tty:
        for row in rows:
            io.out("\t".join(row))
        return
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    line = "  ".join(h.upper().ljust(widths[i]) for i, h in enumerate(headers)).rstrip()
    io.out(io.paint(line, "1", stdout=True))
    for row in rows:
        io.out("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())


def storage_label(storage: str) -> str:
    """Where a profile's secrets are, for people, in the one wording every command uses (JSON keeps the
    stable values "keyring" and "file")."""
    return "plaintext file" if storage == "file" else "OS keyring"


def expiry_text(expires: float | str | None, now: float | None = None) -> str:
    """When a token expires, for people: "never", "expired", "in 45m" or "in 3h05m" (the one formatter)."""
    import time

    if not expires:
        return "never"
    left = int(expires) - (time.time() if now is None else now)
    if left <= 0:
        return "expired"
    if left < 3600:
        return f"in {int(left // 60)}m"
    return f"in {int(left // 3600)}h{int(left % 3600 // 60):02d}m"


def show_diff(io: IO, diff: str, *, to_stdout: bool = False) -> None:
    """A unified diff, coloured on a terminal (through io.paint, so a manifest's own escape codes do not pass):
    on stderr next to the messages, or as the data on stdout."""
    lines = []
    for line in diff.rstrip("\n").split("\n"):
        code = next((c for prefix, c in _DIFF_COLOURS if line.startswith(prefix)), None)
        lines.append(io.paint(line, code, stdout=to_stdout) if code else line)
    (io.out if to_stdout else io.err)("\n".join(lines))


_DIFF_COLOURS = (("+++", "1"), ("---", "1"), ("+", "32"), ("-", "31"), ("@@", "36"))


def report_problems(io: IO, exc: Exception) -> None:
    """Print each manifest problem (one line each, on stderr) before the error line itself."""
    for problem in getattr(exc, "problems", []):
        io.err(f"  {problem}")
