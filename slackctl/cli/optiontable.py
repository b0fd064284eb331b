"""Option tables: one declaration of a command's options that both the hand-written fast parser and Typer read.

A table is plain data (stdlib only, so the fast path can read it without importing Typer). `typer_parameters`
turns it into the `inspect.Parameter`s of a Typer callback; `value_names`/`flag_names` give the fast parser the
same spellings. A new option is added in one place, so the two parsers cannot drift.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Opt:
    """One option: the field it fills, its spellings, its type (bool = a flag), default, bounds and env var."""

    field: str
    names: tuple[str, ...]
    type: type
    help: str
    default: Any = None
    minimum: float | None = None
    envvar: str | None = None
    metavar: str | None = None
    # Shell completion: (incomplete) -> [candidates]; the function imports what it needs when called.
    complete: Callable[[str], list[str]] | None = None

    @property
    def is_flag(self) -> bool:
        return self.type is bool


def value_names(table: tuple[Opt, ...]) -> dict[str, str]:
    """Spelling -> field, for the options that take a value."""
    return {name: opt.field for opt in table if not opt.is_flag for name in opt.names}


def flag_names(table: tuple[Opt, ...]) -> dict[str, str]:
    """Spelling -> field, for the flags."""
    return {name: opt.field for opt in table if opt.is_flag for name in opt.names}


def typer_option(opt: Opt, typer: ModuleType) -> Any:
    """The `typer.Option(...)` of one row (`typer` is passed in: it is imported lazily)."""
    extra: dict[str, Any] = {"help": opt.help}
    if opt.minimum is not None:
        extra["min"] = opt.minimum
    if opt.envvar:
        extra["envvar"] = opt.envvar
    if opt.metavar:
        extra["metavar"] = opt.metavar
    if opt.complete is not None:
        extra["autocompletion"] = opt.complete
    return typer.Option(*opt.names, **extra)


def typer_parameters(table: tuple[Opt, ...], typer: ModuleType) -> list[inspect.Parameter]:
    """The table as keyword parameters of a Typer callback."""
    from typing import Annotated

    params = []
    for opt in table:
        hint: Any = opt.type if opt.is_flag or opt.default is not None else opt.type | None
        params.append(
            inspect.Parameter(
                opt.field,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=Annotated[hint, typer_option(opt, typer)],
                default=False if opt.is_flag else opt.default,
            )
        )
    return params


def with_signature(func: F, params: list[inspect.Parameter], doc: str) -> F:
    """Give `func(**kwargs)` the signature Typer reads its options from."""
    target: Any = func  # a function object takes these attributes; F's bound (a Callable) does not declare them
    target.__signature__ = inspect.Signature(params)
    target.__annotations__ = {p.name: p.annotation for p in params}
    target.__doc__ = doc
    return func
