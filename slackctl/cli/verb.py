"""A verb declared once, in its own module: `COMMAND = Verb(XOptions, examples=...)` beside `run(ctx, opts)`.

The options dataclass is the declaration: each field carries its `typer.Option(...)` / `typer.Argument(...)` in an
`Annotated` type, so a flag is written once and `run` receives the dataclass Typer filled (cli/lazy.py builds the
Typer command from it, when the verb runs or its help is shown). The one-line summary lives in the group's table
(`<group>/__init__.py`), so `slackctl auth --help` lists the verbs without importing them.

This module is stdlib only: `api call`'s module declares its COMMAND too and is imported by the fast path, which
must not pay for Typer.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Verb:
    """How a verb's Typer command is made: its options dataclass, help beyond the summary, and examples.

    `examples` is one command a line (`# ...` lines introduce the next one); each command is checked against the
    verb's own parser by tests/cli/test_help_examples.py. `parameters`, when given, replaces the fields' own
    declarations (`api call` generates its options from the table the fast path parses with)."""

    options: type
    examples: str
    help: str = ""
    epilog: str = ""
    context_settings: dict[str, Any] | None = None
    parameters: Callable[[Any], list[inspect.Parameter]] | None = None


@dataclass(frozen=True)
class Entry:
    """A row of a group's table: the module (in the group's package) holding the verb, and its one-line summary.
    `attr` names the Verb in that module when one module holds several (the emulator's driver verbs)."""

    module: str
    summary: str
    attr: str = "COMMAND"


def example_lines(examples: str) -> list[str]:
    """The example block's lines, dedented, without the surrounding blank lines."""
    return textwrap.dedent(examples).strip("\n").splitlines()


def render_examples(examples: str) -> str:
    """The `Examples:` section of a help page; `\\b` keeps click from re-wrapping each block of lines."""
    blocks: list[list[str]] = [[]]
    for line in example_lines(examples):
        if line.strip():
            blocks[-1].append("  " + line.rstrip())
        elif blocks[-1]:
            blocks.append([])
    return "Examples:\n\n" + "\n\n".join("\b\n" + "\n".join(block) for block in blocks if block)
