"""Lazy command groups (click's lazy-group pattern): a group knows its verbs from a table and imports a verb's module
only when that verb runs or shows its own help. Help listings read the summaries in the tables, so `slackctl --help`
and `slackctl auth --help` import no verb module.

The root table is `COMMANDS` in cli/app.py (name -> package of cli/commands). A package's `__init__.py` holds
`SUMMARY` and either `VERBS` (a group: verb name -> Entry) or `VERB` (a top-level command: the Entry of its module).
"""

from __future__ import annotations

import importlib
import inspect
import typing
from dataclasses import MISSING, fields
from types import ModuleType
from typing import Any, ClassVar

import click
import typer
from typer.core import TyperGroup

from slackctl.cli.context import get_context
from slackctl.cli.verb import Entry, Verb, render_examples

COMMANDS_PACKAGE = "slackctl.cli.commands"


def verb_parameters(options: type) -> list[inspect.Parameter]:
    """The options dataclass's fields as the parameters Typer reads (each `Annotated[type, typer.Option(...)]`)."""
    hints = typing.get_type_hints(options, include_extras=True)
    params = []
    for f in fields(options):
        if f.default is not MISSING:
            default: Any = f.default
        elif f.default_factory is not MISSING:
            default = None  # a list option: Typer gives None when absent, the dataclass's factory fills it
        else:
            default = inspect.Parameter.empty
        params.append(
            inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, annotation=hints[f.name], default=default)
        )
    return params


def build_command(name: str, module: ModuleType, entry: Entry) -> click.Command:
    """The click command `name`: the verb `entry` names in `module` (its Verb, its options, its run)."""
    spec: Verb = getattr(module, entry.attr)
    options = spec.options
    factories = {f.name for f in fields(options) if f.default_factory is not MISSING}

    def callback(ctx: typer.Context, **values: Any) -> None:
        for name in factories:
            if values.get(name) is None:
                del values[name]
        # run is looked up now, not when the command was built, so a test may replace it.
        result = module.run(get_context(ctx), options(**values))
        if isinstance(result, int) and result:
            raise typer.Exit(result)

    params = [
        inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context),
        *(spec.parameters(typer) if spec.parameters else verb_parameters(options)),
    ]
    callback.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    callback.__annotations__ = {p.name: p.annotation for p in params}
    help_text = entry.summary + (f"\n\n{inspect.cleandoc(spec.help)}" if spec.help else "")
    epilog = "\n\n".join(part for part in (inspect.cleandoc(spec.epilog), render_examples(spec.examples)) if part)
    one = typer.Typer(rich_markup_mode=None, add_completion=False)
    one.command(name, help=help_text, short_help=entry.summary, epilog=epilog, context_settings=spec.context_settings)(
        callback
    )
    return typer.main.get_command(one)


def _package(name: str) -> ModuleType:
    return importlib.import_module(f"{COMMANDS_PACKAGE}.{name}")


def load(package: ModuleType, name: str, entry: Entry) -> click.Command:
    return build_command(name, importlib.import_module(f"{package.__name__}.{entry.module}"), entry)


class LazyGroup(TyperGroup):
    """A group of verbs from a package's VERBS table."""

    def __init__(self, *, package: ModuleType, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.package = package
        self.table: dict[str, Entry] = package.VERBS

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.table)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = self.table.get(cmd_name)
        return load(self.package, cmd_name, entry) if entry else None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _write_commands(formatter, [(name, entry.summary) for name, entry in self.table.items()])


def group(name: str, package_name: str) -> click.Command:
    """The command `slackctl NAME`: a LazyGroup, or the one verb of a single-verb package (create, run, ...)."""
    package = _package(package_name)
    if hasattr(package, "VERBS"):
        return LazyGroup(package=package, name=name, help=package.SUMMARY, no_args_is_help=True, rich_markup_mode=None)
    return load(package, name, package.VERB)


def summary(name: str) -> str:
    return str(_package(name).SUMMARY)


def _write_commands(formatter: click.HelpFormatter, rows: list[tuple[str, str]]) -> None:
    # The whole summary, wrapped under its column, never cut with "..." (click's default for a long help line).
    if rows:
        with formatter.section("Commands"):
            formatter.write_dl(rows)


class LazyRoot(TyperGroup):
    """`slackctl`: its own commands (help) plus the groups of `commands` (name -> package), loaded on demand."""

    commands_table: ClassVar[dict[str, str]] = {}  # set by a subclass (cli/app.py)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*self.commands_table, *super().list_commands(ctx)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands_table:
            if cmd_name not in self.commands:
                self.add_command(group(cmd_name, self.commands_table[cmd_name]), cmd_name)
            return self.commands[cmd_name]
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, summary(package)) for name, package in self.commands_table.items()]
        rows += [
            (name, cmd.get_short_help_str(1000))
            for name, cmd in self.commands.items()
            if name not in self.commands_table and not cmd.hidden
        ]
        _write_commands(formatter, rows)
