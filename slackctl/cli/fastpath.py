"""`slackctl api call` without Typer: the command people and CI run most, parsed by hand so it starts fast.

Importing Typer (and click under it) costs ~35 ms, about as much as a whole python-slack-sdk call, and a budget
says a one-shot `slackctl api call` must be no slower than that. So a command line that is plainly an `api call`
is parsed here into the same CallOptions the Typer command builds, and runs the same code (run in
cli/commands/api/call.py). Both parsers are built from one option table (cli/commands/api/call_options.py).
Anything this parser is not certain about — --help, `--`, an unknown or repeated option, a value Typer would
reject, shell completion — returns None and Typer parses the line as usual, with its own messages.
tests/cli/test_fastpath.py checks, option by option, that both parsers agree.
"""

from __future__ import annotations

import math
import os

from slackctl.cli.argv import GLOBAL_FLAGS, GLOBAL_OPTIONS, GLOBAL_WITH_VALUE, hoist_global_options
from slackctl.cli.commands.api.call_options import CALL_OPTIONS
from slackctl.cli.io import IO
from slackctl.cli.optiontable import flag_names, value_names

# Spelling -> CallOptions / Options field, from the same tables the Typer declarations are generated from.
CALL_VALUES = value_names(CALL_OPTIONS)
CALL_FLAGS = flag_names(CALL_OPTIONS)
GLOBALS = {**value_names(GLOBAL_OPTIONS), **flag_names(GLOBAL_OPTIONS)}
# Typer reads these options from the environment when they are not on the command line.
GLOBAL_ENV = {opt.field: opt.envvar for opt in GLOBAL_OPTIONS if opt.envvar}
CALL_ENV = {opt.field: opt.envvar for opt in CALL_OPTIONS if opt.envvar}
# Options Typer converts to a number with a lower bound; anything it would reject goes to Typer for its message.
CALL_NUMBERS = [(opt.field, opt.type, opt.minimum) for opt in CALL_OPTIONS if opt.type in (int, float)]


class NotPlain(Exception):
    """The command line is not one this parser is sure about: let Typer parse it."""


def parse(args: list[str]) -> tuple[dict[str, object], dict[str, object]] | None:
    """(global options, `api call` options) as Typer would give them, or None when Typer must decide."""
    if os.environ.get("_SLACKCTL_COMPLETE"):
        return None  # shell completion is Typer's
    try:
        return _parse(hoist_global_options(args))
    except NotPlain:
        return None


def _parse(args: list[str]) -> tuple[dict[str, object], dict[str, object]]:
    glob: dict[str, object] = {}
    i = 0
    while i < len(args) and args[i].startswith("-"):
        name, value, i = _option(args, i, GLOBAL_WITH_VALUE, GLOBAL_FLAGS)
        _set(glob, GLOBALS[name], value)
    if args[i : i + 2] != ["api", "call"]:
        raise NotPlain
    call: dict[str, object] = {}
    positional: list[str] = []
    i += 2
    while i < len(args):
        arg = args[i]
        if arg.startswith("-") and arg != "-":
            name, value, i = _option(args, i, tuple(CALL_VALUES), tuple(CALL_FLAGS))
            _set(call, CALL_VALUES.get(name) or CALL_FLAGS[name], value)
        else:
            positional.append(arg)
            i += 1
    if not positional:
        raise NotPlain  # Typer says which argument is missing
    for target, env in ((glob, GLOBAL_ENV), (call, CALL_ENV)):
        for key, var in env.items():
            if key not in target and os.environ.get(var):
                target[key] = os.environ[var]
    for key, kind, minimum in CALL_NUMBERS:
        _convert(call, key, kind, minimum)
    call["method"], call["fields"] = positional[0], positional[1:]
    return glob, call


def _option(args: list[str], i: int, with_value: tuple[str, ...], flags: tuple[str, ...]) -> tuple[str, object, int]:
    """One option at args[i]: (name, value, next index). Only the spellings click reads the same way."""
    arg = args[i]
    if arg.startswith("--") and "=" in arg:
        name, value = arg.split("=", 1)
        if name not in with_value:
            raise NotPlain
        return name, value, i + 1
    if arg in flags:
        return arg, True, i + 1
    if arg in with_value and i + 1 < len(args):
        return arg, args[i + 1], i + 2
    raise NotPlain  # --help, --, -iq, -XGET, an unknown option, a value missing at the end


def _set(target: dict[str, object], key: str, value: object) -> None:
    if key in target:
        raise NotPlain  # repeated: Typer's rules (last one wins, or an error) apply
    target[key] = value


def _convert(call: dict[str, object], key: str, kind: type, minimum: float | None) -> None:
    if key not in call:
        return
    try:
        value = kind(call[key])
    except ValueError:
        raise NotPlain from None
    if not math.isfinite(value) or (minimum is not None and value < minimum):
        raise NotPlain
    call[key] = value


def try_run(args: list[str], io: IO | None = None) -> int | None:
    """Run a plain `api call` and return its exit code, or None when Typer must handle the command line."""
    parsed = parse(args)
    if parsed is None:
        return None
    glob, call = parsed
    from slackctl.cli.commands.api.call import run
    from slackctl.cli.commands.api.call_options import CallOptions
    from slackctl.cli.context import Context, Options
    from slackctl.cli.runner import guarded

    io = io or IO()

    def body() -> int:
        ctx = Context.start(Options(**glob), io)  # type: ignore[arg-type]
        run(ctx, CallOptions(**call))  # type: ignore[arg-type]
        return 0

    return guarded(io, body)
