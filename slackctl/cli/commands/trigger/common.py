"""Helpers shared by the `slackctl trigger`, `function` and `activity` verbs: the token and client they act with
(SLACK_TOKEN / SLACK_BOT_TOKEN, else the active profile's bot or user token) and the app they act on (--app, else
the project's app of --env, else the bot token's own app)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from slackctl import settings

if TYPE_CHECKING:
    from slackctl.cli.context import Context
    from slackctl.slack.client import SlackClient

# The options every verb of these groups has, declared once.
AppOption = Annotated[
    str | None,
    typer.Option("--app", help="The app's id (default: the project's app of --env, else the token's own app)."),
]
EnvOption = Annotated[str, typer.Option("--env", help="The project environment whose app to use.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")]
DEFAULT_ENV = settings.DEFAULT_DEPLOY_ENV


def client(ctx: Context, *, kinds: tuple[str, ...] = ("bot", "user")) -> SlackClient:
    """A client with the token these commands use: the environment's, else the active profile's."""
    resolved = ctx.resolve_token(prefer=kinds)
    return ctx.client(resolved.token, profile=resolved.profile)


def project_app(ctx: Context, env: str) -> str | None:
    """The app this project recorded for ENV in the active workspace (`slackctl deploy`), if any."""
    from slackctl.core.project import check_env_name, find_project, find_project_root, pick_app

    check_env_name(env)
    if find_project_root() is None:
        return None
    record = pick_app(ctx, find_project(), env)
    return record.app_id if record else None


def app_id(ctx: Context, slack: SlackClient, app: str | None, env: str, *, required: bool) -> str | None:
    """--app, else the project's app of ENV, else the bot token's app; a UsageError when REQUIRED and unknown."""
    from slackctl.core.activity import app_of_token
    from slackctl.errors import UsageError

    found = app or project_app(ctx, env)
    if found is None and required:
        found = app_of_token(slack)
        if found is None:
            raise UsageError(
                "which app? no --app, no deployed app of this project, and the token is not an app's bot token",
                "pass --app A0123456789",
            )
    return found


def print_json(ctx: Context, data: Any) -> None:
    from slackctl.cli.output import print_json as show

    show(ctx.io, data)


_EXIT = "Exit codes: 0 ok, 1 Slack refused (its error is shown), 2 bad input, 3 network, 4 authentication."
TOKEN_HELP = (
    "Acts with SLACK_TOKEN or SLACK_BOT_TOKEN (a bot token with triggers:write, or triggers:read to "
    "read), else the active profile's bot or user token; on the app of --app, else the project's app of "
    "--env, else the token's own app. " + _EXIT
)
CONFIG_TOKEN_HELP = (
    "Acts with an app configuration token: SLACK_CONFIG_TOKEN, else the active profile's (slackctl "
    "auth login --with-token --kind config). " + _EXIT
)
USER_TOKEN_HELP = (
    "Slack answers a user token with hosting:read (SLACK_TOKEN, else the active profile's user "
    "token); the app is --app, else the project's app of --env, else a bot token's own app. " + _EXIT
)
