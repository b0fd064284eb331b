"""`slackctl trigger update`: replace a trigger's definition (its id, link and webhook URL stay)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.commands.trigger.common import DEFAULT_ENV, TOKEN_HELP, AppOption, EnvOption, JsonOption
from slackctl.cli.verb import Verb

if TYPE_CHECKING:
    from slackctl.cli.context import Context

EXAMPLES = """
    slackctl trigger update --trigger-id Ft0123ABCDEF --trigger-def triggers/greet.json
    slackctl trigger update --trigger-id Ft0123ABCDEF --workflow '#/workflows/greet' --title 'Say hello'
"""


@dataclass
class UpdateOptions:
    """The options of `slackctl trigger update`."""

    trigger_id: Annotated[str, typer.Option("--trigger-id", help="The trigger to update (Ft…).")]
    trigger_def: Annotated[Path | None, typer.Option("--trigger-def", help="The new definition file.")] = None
    workflow: Annotated[
        str | None, typer.Option("--workflow", help="#/workflows/ID, for a link trigger made from flags.")
    ] = None
    title: Annotated[str | None, typer.Option("--title", help="The link trigger's name.")] = None
    description: Annotated[str | None, typer.Option("--description", help="The link trigger's description.")] = None
    interactivity: Annotated[
        bool, typer.Option("--interactivity", help="Pass {{data.interactivity}} to the workflow's interactivity input.")
    ] = False
    interactivity_name: Annotated[str, typer.Option("--interactivity-name", help="The name of that input.")] = (
        "interactivity"
    )
    app: AppOption = None
    env: EnvOption = DEFAULT_ENV
    json_out: JsonOption = False


COMMAND = Verb(UpdateOptions, examples=EXAMPLES, help=TOKEN_HELP)


def run(ctx: Context, opts: UpdateOptions) -> int:
    from slackctl.cli.commands.trigger import common
    from slackctl.cli.commands.trigger.create import definition, show
    from slackctl.core import triggers
    from slackctl.errors import UsageError

    if opts.trigger_def is None and opts.workflow is None:
        raise UsageError("the new definition is missing", "pass --trigger-def FILE or --workflow '#/workflows/ID'")
    spec = definition(
        ctx, opts.trigger_def, opts.workflow, opts.title, opts.description, opts.interactivity, opts.interactivity_name
    )
    with common.client(ctx) as slack:
        app_id = common.app_id(ctx, slack, opts.app, opts.env, required=False)
        show(ctx, triggers.update(slack, opts.trigger_id, spec, app_id), opts.json_out, "updated")
    return 0
