"""`slackctl deploy`: the Typer declaration; the command is cli/commands/deploy/deploy.py."""

from __future__ import annotations

from typing import Annotated

import typer

from slackctl import settings
from slackctl.cli.completion import complete_environment
from slackctl.cli.context import get_context

ENV_HELP = "Environment: each has its own app per workspace in .slack/apps.json (e.g. dev, staging, prod)."


def register(root: typer.Typer) -> None:
    root.command("deploy")(deploy_cmd)


def deploy_cmd(
    ctx: typer.Context,
    env: Annotated[str, typer.Option("--env", "-e", envvar=settings.ENV_DEPLOY_ENV, help=ENV_HELP,
                                           autocompletion=complete_environment)]
    = settings.DEFAULT_DEPLOY_ENV,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate and show what would change; change "
                                                            "nothing.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask before updating the app.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite changes made to the deployed manifest "
                                                        "outside slackctl (drift).")] = False,
    insecure_storage: Annotated[bool, typer.Option("--insecure-storage", help="Keep a new app's secrets in a "
                                                   "0600 file in the config dir instead of the keyring.")]
    = False,
    credentials_out: Annotated[str | None, typer.Option("--credentials-out", metavar="FILE", help="Write a new "
                                                        "app's id, client id and secrets to FILE (JSON, 0600) "
                                                        "instead of storing them (CI).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the plan and what was done as JSON.")] = False,
) -> None:
    """Deploy the project's app: validate the manifest (locally, then with Slack), create the app or update
    it, then run the deploy hook from .slack/hooks.json; if the hook fails, restore the previous manifest.

    Needs an app configuration token: SLACK_CONFIG_TOKEN (or SLACK_CONFIG_REFRESH_TOKEN), else one stored
    with slackctl auth login --with-token.
    Exit codes: 0 deployed, 1 Slack error or hook failed (rolled back), 2 invalid manifest or input,
    4 missing or expired configuration token.
    """
    from slackctl.cli.commands.deploy.deploy import DeployOptions, run

    raise typer.Exit(run(get_context(ctx), DeployOptions(
        env=env, dry_run=dry_run, yes=yes, force=force, insecure_storage=insecure_storage,
        credentials_out=credentials_out, json_out=json_out)))
