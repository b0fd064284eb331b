"""`slackctl app link`: record an existing app (made in the app settings, by Slack's CLI or by a teammate) as an
environment's app, so deploy updates it instead of creating another."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.commands.app.common import ENV_OPTION
from slackctl.cli.verb import Verb
from slackctl.settings import DEFAULT_DEPLOY_ENV

if TYPE_CHECKING:
    from slackctl.cli.context import Context


@dataclass
class LinkOptions:
    """The options of `slackctl app link`."""

    app_id: Annotated[str, typer.Option("--app", help="The app's id (A…), from its settings page.")]
    env: Annotated[str, ENV_OPTION] = DEFAULT_DEPLOY_ENV
    team_id: Annotated[
        str | None, typer.Option("--team", help="The workspace it is installed to (T…); default: the active profile's.")
    ] = None
    force: Annotated[
        bool, typer.Option("--force", help="Replace the environment's app already recorded for that workspace.")
    ] = False
    json_out: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False


COMMAND = Verb(
    LinkOptions,
    help="""The record goes to .slack/slackctl.json, and for dev and prod also to Slack CLI's apps.dev.json and
    apps.json, in its shape. Nothing is sent to Slack. Slack's CLI calls this `slack app link`.""",
    examples="""
        slackctl app link --app A0123456789
        slackctl app link --app A0123456789 --env prod --team T0123456789
    """,
)


def run(ctx: Context, opts: LinkOptions) -> None:
    from slackctl.core.project import AppRecord, check_env_name, find_project
    from slackctl.errors import UsageError

    check_env_name(opts.env)
    app_id = opts.app_id.strip()
    if not (app_id.startswith("A") and app_id[1:].isalnum() and app_id.upper() == app_id and len(app_id) > 2):
        raise UsageError(f"{app_id!r} is not an app id", "copy it from the app's settings page (it starts with A)")
    profile = ctx.config.profile(ctx.profile_name)
    team_id = (opts.team_id or (profile.team_id if profile else "")).strip()
    if not team_id:
        raise UsageError(
            "no workspace to link the app in: no --team and no active profile",
            "pass --team T…, or log in: slackctl auth login",
        )
    project = find_project()
    existing = project.app(opts.env, team_id)
    if existing is not None and existing.app_id != app_id and not opts.force:
        raise UsageError(
            f"the {opts.env} app of {team_id} is already {existing.app_id}",
            "pass --force to replace it, or unlink it first: slackctl app unlink --env " + opts.env,
        )
    same_team = profile is not None and profile.team_id == team_id
    record = AppRecord(
        app_id=app_id,
        team_id=team_id,
        env=opts.env,
        user_id=profile.user_id if profile and same_team else "",
        slack_url=ctx.slack_url(profile) if profile and same_team else "",
    )
    project.save_app(record)
    if opts.json_out:
        from slackctl.cli.output import print_json

        print_json(ctx.io, {"env": record.env, "app_id": record.app_id, "team_id": record.team_id})
    ctx.io.success(f"linked {app_id} as the {opts.env} app of {team_id}")
