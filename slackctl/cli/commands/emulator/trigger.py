"""`slackctl emulator trigger`: click a link trigger as a user of a running emulator (at --slack-url /
SLACKCTL_SLACK_URL); the workflow execution as JSON on stdout."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slackctl.cli.context import Context


@dataclass
class TriggerOptions:
    """The options of `slackctl emulator trigger`."""

    trigger_id: str
    as_user: str = "ada"
    channel: str | None = None


def run(ctx: Context, opts: TriggerOptions) -> int:
    """The workflow execution as it stands when its first waiting step is reached."""
    import json

    from slackctl.cli.commands.emulator.drive import drive

    result = drive(ctx.options.slack_url, "trigger", {"user": opts.as_user, "trigger_id": opts.trigger_id,
                                                      "channel": opts.channel})
    ctx.io.out_data(json.dumps(result, ensure_ascii=False))
    return 0
