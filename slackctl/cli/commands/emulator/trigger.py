"""`slackctl emulator trigger`: click a link trigger as a user of a running emulator (at --slack-url /
SLACKCTL_SLACK_URL); the workflow execution as JSON on stdout."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.commands.emulator.drive import AS_USER, FINDING_THE_EMULATOR
from slackctl.cli.verb import Verb

if TYPE_CHECKING:
    from slackctl.cli.context import Context


@dataclass
class TriggerOptions:
    """The options of `slackctl emulator trigger`."""

    trigger_id: Annotated[str, typer.Argument(help="The link trigger's id (Ft…), from slackctl trigger list.")]
    as_user: Annotated[str, AS_USER] = "ada"
    channel: Annotated[
        str | None, typer.Option("--channel", help="Where the user clicks it ({{data.channel_id}}; default #general).")
    ] = None


COMMAND = Verb(
    TriggerOptions,
    help="""The workflow starts with {{data.user_id}}, {{data.channel_id}} and {{data.interactivity}} of the user;
    its steps run on (follow them with slackctl emulator executions). """
    + FINDING_THE_EMULATOR,
    examples="""
        slackctl emulator trigger Ft0AB12CD34E
        slackctl emulator trigger Ft0AB12CD34E --as grace --channel '#random'
    """,
)


def run(ctx: Context, opts: TriggerOptions) -> int:
    """The workflow execution as it stands when its first waiting step is reached."""
    import json

    from slackctl.cli.commands.emulator.drive import drive

    result = drive(
        ctx.options.slack_url, "trigger", {"user": opts.as_user, "trigger_id": opts.trigger_id, "channel": opts.channel}
    )
    ctx.io.out_data(json.dumps(result, ensure_ascii=False))
    return 0
