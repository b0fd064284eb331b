"""`slackctl trigger delete`: delete a trigger (its link and webhook URL stop working)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.commands.trigger.common import DEFAULT_ENV, TOKEN_HELP, AppOption, EnvOption, JsonOption
from slackctl.cli.verb import Verb

if TYPE_CHECKING:
    from slackctl.cli.context import Context

EXAMPLES = """
    slackctl trigger delete --trigger-id Ft0123ABCDEF
"""


@dataclass
class DeleteOptions:
    """The options of `slackctl trigger delete`."""

    trigger_id: Annotated[str, typer.Option("--trigger-id", help="The trigger to delete (Ft…).")]
    app: AppOption = None
    env: EnvOption = DEFAULT_ENV
    json_out: JsonOption = False


COMMAND = Verb(DeleteOptions, examples=EXAMPLES, help=TOKEN_HELP)


def run(ctx: Context, opts: DeleteOptions) -> int:
    from slackctl.cli.commands.trigger import common
    from slackctl.core import triggers

    with common.client(ctx) as slack:
        triggers.delete(slack, opts.trigger_id)
    if opts.json_out:
        common.print_json(ctx, {"trigger_id": opts.trigger_id, "deleted": True})
    else:
        ctx.io.success(f"deleted trigger {opts.trigger_id}")
    return 0
