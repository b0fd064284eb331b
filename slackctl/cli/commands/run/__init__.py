"""`slackctl run`: the Typer declaration; the command is cli/commands/run/run.py."""

from __future__ import annotations

from typing import Annotated

import typer

from slackctl import settings
from slackctl.cli.context import get_context


def register(root: typer.Typer) -> None:
    root.command("run")(run_cmd)


def run_cmd(
    ctx: typer.Context,
    app_path: Annotated[str | None, typer.Argument(
        help="The app's entry point, for the start hook (SLACK_APP_PATH, SLACK_CLI_CUSTOM_FILE_PATH), e.g. "
             "src/app.py.", show_default=False)] = None,
    emulator: Annotated[bool, typer.Option("--emulator", help="Run against a Slack emulator started here, with "
                                                              "the project's manifest installed (offline).")]
    = False,
    no_reload: Annotated[bool, typer.Option("--no-reload", help="Do not restart the app when files change.")]
    = False,
    env: Annotated[str, typer.Option("--env", "-e", envvar=settings.ENV_DEPLOY_ENV,
                                     help="Environment whose app to run (its manifest is deployed first when it "
                                          "changed).")] = settings.DEFAULT_DEPLOY_ENV,
) -> None:
    """Run the project's app: the start hook of .slack/hooks.json (or the one its get-hooks hook names, as
    Slack's CLI does), else app.py (or python -m PACKAGE), else package.json's start script, with the
    project's .venv and node_modules/.bin first on PATH.

    Tokens come from the profile (the keyring) and the environment, and are passed in the app's environment only;
    .env is read too. The manifest is deployed to the environment's app first when it changed. With --emulator,
    an emulator is started on a free port (its URL is the first line on stdout) and the app talks to it unchanged,
    as under `slackctl emulator exec`. File changes restart the app (ignoring .venv, .git and caches); a manifest
    change redeploys. Exit codes: 0 after SIGTERM, 130 after Ctrl-C, the app's own with --no-reload.
    """
    from slackctl.cli.commands.run.run import RunOptions, run

    raise typer.Exit(run(get_context(ctx), RunOptions(env=env, emulator=emulator, no_reload=no_reload,
                                                       app_path=app_path)))
