"""`slackctl app unlink`: forget an environment's app id in this project (the app and its stored secrets stay)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.commands.app.common import APP_OPTION, ENV_OPTION, pick
from slackctl.cli.verb import Verb
from slackctl.settings import DEFAULT_DEPLOY_ENV

if TYPE_CHECKING:
    from slackctl.cli.context import Context


@dataclass
class UnlinkOptions:
    """The options of `slackctl app unlink`."""

    env: Annotated[str, ENV_OPTION] = DEFAULT_DEPLOY_ENV
    app_id: Annotated[str | None, APP_OPTION] = None
    json_out: Annotated[bool, typer.Option("--json", help="Print what was forgotten as JSON.")] = False


COMMAND = Verb(
    UnlinkOptions,
    help="""The record leaves .slack/slackctl.json and Slack CLI's apps files; the next deploy of that environment
    creates a new app unless another is linked. To delete the app at Slack use `slackctl app delete`.""",
    examples="""
        slackctl app unlink --env staging
        slackctl app unlink --app A0123456789 --json
    """,
)


def run(ctx: Context, opts: UnlinkOptions) -> None:
    project, record = pick(ctx, opts.env, opts.app_id)
    project.remove_app(record)
    if opts.json_out:
        from slackctl.cli.output import print_json

        print_json(ctx.io, {"env": record.env, "app_id": record.app_id, "team_id": record.team_id})
    ctx.io.success(f"unlinked {record.app_id} from the {record.env} environment (it still exists at Slack)")
