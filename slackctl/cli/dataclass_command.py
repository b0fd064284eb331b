"""A Typer command made from a verb's options dataclass (fields declared once, as `Annotated[type,
typer.Option(...)]`), for the groups written before the one-file verb table (cli/verb.py on the verbs branch)
reached main: the trigger, function and activity groups. Their verb modules already have the final shape."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import typing
from typing import Any

import typer


def add_verb(group: typer.Typer, name: str, module: str, options: str, summary: str, examples: str) -> None:
    """Add the command NAME to GROUP (a group, or the root for a top-level command), running MODULE's
    run(ctx, OPTIONS(...))."""
    from slackctl.cli.context import get_context

    verb = importlib.import_module(module)
    cls = getattr(verb, options)
    hints = typing.get_type_hints(cls, include_extras=True)
    params = [inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)]
    for f in dataclasses.fields(cls):
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        params.append(inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, annotation=hints[f.name],
                                        default=inspect.Parameter.empty if default is dataclasses.MISSING else default))

    def command(ctx: typer.Context, **values: Any) -> None:
        code = verb.run(get_context(ctx), cls(**values))
        raise typer.Exit(code or 0)

    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__doc__ = summary
    epilog = "Examples:  " + ";  ".join(line.strip() for line in examples.strip().splitlines() if line.strip())
    group.command(name, epilog=epilog)(command)
