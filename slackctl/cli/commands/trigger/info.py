"""`slackctl trigger info`: a trigger's details, with a link trigger's shortcut_url or a webhook's webhook_url."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.commands.trigger.common import DEFAULT_ENV, TOKEN_HELP, AppOption, EnvOption, JsonOption
from slackctl.cli.verb import Verb

if TYPE_CHECKING:
    from slackctl.cli.context import Context

EXAMPLES = """
    slackctl trigger info --trigger-id Ft0123ABCDEF
    slackctl trigger info --trigger-id Ft0123ABCDEF --json | jq -r .webhook_url
"""


@dataclass
class InfoOptions:
    """The options of `slackctl trigger info`."""

    trigger_id: Annotated[str, typer.Option("--trigger-id", help="The trigger (Ft…).")]
    app: AppOption = None
    env: EnvOption = DEFAULT_ENV
    json_out: JsonOption = False


COMMAND = Verb(InfoOptions, examples=EXAMPLES, help=TOKEN_HELP)


def run(ctx: Context, opts: InfoOptions) -> int:
    from slackctl.cli.commands.trigger import common
    from slackctl.core import triggers

    with common.client(ctx) as slack:
        trigger = triggers.info(slack, opts.trigger_id)
    if opts.json_out:
        common.print_json(ctx, trigger)
    else:
        ctx.io.out(triggers.summary(trigger))
    return 0
