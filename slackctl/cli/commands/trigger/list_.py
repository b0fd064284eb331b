"""`slackctl trigger list`: the app's triggers, all pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.commands.trigger.common import DEFAULT_ENV, TOKEN_HELP, AppOption, EnvOption, JsonOption
from slackctl.cli.verb import Verb

if TYPE_CHECKING:
    from slackctl.cli.context import Context

EXAMPLES = """
    slackctl trigger list
    slackctl trigger list --type webhook --json
"""


@dataclass
class ListOptions:
    """The options of `slackctl trigger list`."""

    kind: Annotated[str, typer.Option("--type", help="all, shortcut, event, scheduled or webhook.")] = "all"
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most this many.")] = None
    app: AppOption = None
    env: EnvOption = DEFAULT_ENV
    json_out: JsonOption = False


COMMAND = Verb(ListOptions, examples=EXAMPLES, help=TOKEN_HELP)


def run(ctx: Context, opts: ListOptions) -> int:
    from slackctl.cli.commands.trigger import common
    from slackctl.core import triggers
    from slackctl.errors import UsageError

    if opts.kind not in triggers.TYPES:
        raise UsageError(f"--type {opts.kind} is not one of {', '.join(triggers.TYPES)}", "e.g. --type webhook")
    with common.client(ctx) as slack:
        app_id = common.app_id(ctx, slack, opts.app, opts.env, required=False)
        found = triggers.list_triggers(slack, app_id, opts.kind, opts.limit)
    if opts.json_out:
        common.print_json(ctx, found)
    elif not found:
        ctx.io.err(
            "no triggers"
            + ("" if opts.kind == "all" else f" of type {opts.kind}")
            + ": create one with slackctl trigger create"
        )
    else:
        for trigger in found:
            ctx.io.out(triggers.summary(trigger))
    return 0
