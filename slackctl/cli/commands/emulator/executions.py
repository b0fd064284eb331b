"""`slackctl emulator executions`: workflow and function executions of a running emulator, one JSON object a
line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.commands.emulator.drive import FINDING_THE_EMULATOR
from slackctl.cli.verb import Verb

if TYPE_CHECKING:
    from slackctl.cli.context import Context


@dataclass
class ExecutionsOptions:
    """The options of `slackctl emulator executions`."""

    execution_id: Annotated[
        str | None, typer.Argument(help="A workflow (Wx…) or function (Fx…) execution id.", show_default=False)
    ] = None


COMMAND = Verb(
    ExecutionsOptions,
    help="Status, inputs, outputs and error of each, and each workflow step's. " + FINDING_THE_EMULATOR,
    examples="""
        slackctl emulator executions
        slackctl emulator executions Wx0AB12CD34E | jq .steps
    """,
)


def run(ctx: Context, opts: ExecutionsOptions) -> int:
    """One JSON object a line, oldest first; with an id, that execution (its steps with inputs and outputs)."""
    import json
    import urllib.parse

    from slackctl.cli.commands.emulator.drive import control
    from slackctl.errors import UsageError

    query = "?" + urllib.parse.urlencode({"id": opts.execution_id}) if opts.execution_id else ""
    answer = control(ctx.options.slack_url, "GET", f"executions{query}")
    if not answer.get("ok"):
        raise UsageError(
            str(answer.get("error") or "the emulator refused the request"),
            "list them all: slackctl emulator executions",
        )
    for execution in answer["executions"]:
        ctx.io.out_data(json.dumps(execution, ensure_ascii=False))
    return 0
