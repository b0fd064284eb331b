"""`slackctl app delete`: delete the environment's app at Slack (apps.manifest.delete), its stored secrets and
its record."""

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
class DeleteOptions:
    """The options of `slackctl app delete`."""

    env: Annotated[str, ENV_OPTION] = DEFAULT_DEPLOY_ENV
    app_id: Annotated[str | None, APP_OPTION] = None
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False
    forget: Annotated[
        bool,
        typer.Option("--forget", help="Only forget it locally (records and stored secrets); leave the app at Slack."),
    ] = False
    json_out: Annotated[bool, typer.Option("--json", help="Print what was done as JSON.")] = False


COMMAND = Verb(
    DeleteOptions,
    examples="""
        slackctl app delete --env staging
        slackctl app delete --app A0123456789 --yes --json
        slackctl app delete --env dev --forget
    """,
)


def run(ctx: Context, opts: DeleteOptions) -> int:
    """Exit code 1 when the user says no."""
    from slackctl.core import deploy as dp

    project, record = pick(ctx, opts.env, opts.app_id)
    what = f"app {record.app_id} ({record.name or 'unnamed'}, {record.env}, {record.team_id})"
    question = f"Forget {what} locally?" if opts.forget else f"Delete {what} at Slack? This cannot be undone"
    if not opts.yes and not ctx.prompter.confirm(question, flag="--yes"):
        return 1
    if opts.forget:
        dp.delete_app(ctx, None, "", project, record, remote=False)
        ctx.io.success(f"forgot {what} (the app still exists at Slack)")
        return _done(ctx, opts, record.app_id, record.env, at_slack=False)
    from slackctl.errors import SlackApiError

    target = dp.config_target(ctx, project, record.env)
    with ctx.client(target.token, profile=target.profile) as client:
        try:
            dp.delete_app(ctx, client, target.token, project, record)
        except SlackApiError as exc:
            if exc.error != "app_not_found":
                raise
            dp.delete_app(ctx, client, target.token, project, record, remote=False)
            ctx.io.warn(f"{record.app_id} was already gone at Slack; removed the local records")
            return _done(ctx, opts, record.app_id, record.env, at_slack=False)
    ctx.io.success(f"deleted {what}")
    return _done(ctx, opts, record.app_id, record.env, at_slack=True)


def _done(ctx: Context, opts: DeleteOptions, app_id: str, env: str, *, at_slack: bool) -> int:
    """--json: {"app_id", "env", "deleted_at_slack", "forgotten"} (README: "JSON output")."""
    if opts.json_out:
        from slackctl.cli.output import print_json

        print_json(ctx.io, {"app_id": app_id, "env": env, "deleted_at_slack": at_slack, "forgotten": True})
    return 0
