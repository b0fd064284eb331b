"""Click's usage errors worded once for slackctl: one "did you mean" (prefix matches first), help on stdout."""

from __future__ import annotations

from difflib import get_close_matches
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import click


def closest(typo: str, candidates: list[str]) -> list[str]:
    """The candidates a typo most likely meant: those it is the start of (`--paginat` -> `--paginate`), else the
    close spellings (`statu` -> `status`), at most three, best first."""
    prefixed = sorted(c for c in candidates if c.startswith(typo) and c != typo)
    if prefixed:
        return prefixed[:3]
    return get_close_matches(typo, candidates, n=3, cutoff=0.6)


def did_you_mean(matches: list[str]) -> str:
    if not matches:
        return ""
    quoted = [f"'{m}'" for m in matches]
    return " Did you mean " + (quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]) + "?"


def usage_message(exc: click.ClickException) -> str:
    """The one line for a usage error, with a single suggestion list (click and Typer each add their own)."""
    import click

    if isinstance(exc, click.exceptions.NoSuchCommand) and exc.ctx is not None:
        group = exc.ctx.command  # a lazy group (cli/lazy.py) knows its names from its table, not .commands
        names = group.list_commands(exc.ctx) if isinstance(group, click.Group) else []
        return f"No such command '{exc.command_name}'." + did_you_mean(closest(exc.command_name, names))
    if isinstance(exc, click.exceptions.NoSuchOption) and exc.ctx is not None:
        names = [
            name
            for param in exc.ctx.command.params
            for name in (*param.opts, *param.secondary_opts)
            if name.startswith("--")
        ]
        return f"No such option '{exc.option_name}'." + did_you_mean(closest(exc.option_name, names))
    return exc.format_message()


__all__ = ["closest", "did_you_mean", "usage_message"]
