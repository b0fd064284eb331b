"""`slackctl emulator function`: run one custom function on its own in a running emulator (unit tests of a
custom step): {"function_execution_id", "status", "outputs", "error"} on stdout."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

import typer

from slackctl.cli.commands.emulator.drive import AS_USER, FINDING_THE_EMULATOR
from slackctl.cli.verb import Verb

if TYPE_CHECKING:
    from slackctl.cli.context import Context


@dataclass
class FunctionOptions:
    """The options of `slackctl emulator function`; --input items are NAME=VALUE."""

    callback_id: Annotated[str, typer.Argument(help="The function's callback_id in the app's manifest.")]
    app_ref: Annotated[
        str | None, typer.Option("--app", help="App id or name (default: the app whose manifest has the function).")
    ] = None
    inputs: Annotated[
        list[str],
        typer.Option(
            "--input", help="NAME=VALUE (repeatable); numbers, booleans and JSON are converted to the input's type."
        ),
    ] = field(default_factory=list)
    as_user: Annotated[str, AS_USER] = "ada"
    wait: Annotated[
        float, typer.Option("--wait", help="Seconds to wait for the app to complete it (0: do not wait).")
    ] = 10.0


COMMAND = Verb(
    FunctionOptions,
    help="""Its app gets function_executed (with a function-scoped xwfp- token) and completes it with
    functions.completeSuccess or completeError. Exit codes: 0 completed, 1 failed or still running after --wait,
    2 bad input, 3 no emulator. """
    + FINDING_THE_EMULATOR,
    examples="""
        slackctl emulator function greet_user --input user_id=U0EMU00002
        slackctl emulator function shout --input text=hey --input times=2 --wait 5 --app Stepper
    """,
)


def run(ctx: Context, opts: FunctionOptions) -> int:
    """Exit 0 when the function completed, 1 when it failed or was still running after --wait."""
    import json

    from slackctl.cli.commands.emulator.drive import drive
    from slackctl.errors import UsageError

    if opts.wait < 0:
        raise UsageError(f"--wait {opts.wait:g} is negative", "pass a number of seconds, 0 to not wait")
    inputs: dict[str, Any] = {}
    for item in opts.inputs:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"--input {item!r} must be NAME=VALUE", "e.g. --input user_id=U0EMU00002")
        inputs[name] = value
    result = drive(
        ctx.options.slack_url,
        "function",
        {
            "user": opts.as_user,
            "callback_id": opts.callback_id,
            "app": opts.app_ref,
            "inputs": inputs,
            "wait": opts.wait or None,
        },
        timeout=opts.wait + 15,
    )
    ctx.io.out_data(json.dumps(result, ensure_ascii=False))
    return 0 if result.get("status") == "completed" else 1
