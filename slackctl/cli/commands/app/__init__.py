"""`slackctl app`: the project's deployed apps — list them, delete one, open its settings page."""

from __future__ import annotations

from typing import Annotated

import typer

from slackctl.cli.completion import complete_environment
from slackctl.cli.context import get_context

# Names, not the settings module: `settings` here would be shadowed by the verb module app/settings.py.
from slackctl.settings import DEFAULT_DEPLOY_ENV, ENV_DEPLOY_ENV

app = typer.Typer(help="The project's deployed apps (one per environment and workspace).", no_args_is_help=True)
ENV_HELP = "Environment of the app (dev, staging, prod, ...)."


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="app")


@app.command("list")
def list_cmd(
    ctx: typer.Context,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the apps recorded in .slack/apps.json (no network)."""
    from slackctl.cli.commands.app.list_ import ListOptions, run

    run(get_context(ctx), ListOptions(json_out=json_out))


@app.command("delete")
def delete_cmd(
    ctx: typer.Context,
    env: Annotated[str, typer.Option("--env", "-e", envvar=ENV_DEPLOY_ENV, help=ENV_HELP,
                                           autocompletion=complete_environment)]
    = DEFAULT_DEPLOY_ENV,
    app_id: Annotated[str | None, typer.Option("--app", help="App id (default: the environment's app).")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    forget: Annotated[bool, typer.Option("--forget", help="Only forget it locally (records and stored "
                                                          "secrets); leave the app at Slack.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print what was done as JSON.")] = False,
) -> None:
    """Delete the environment's app at Slack (apps.manifest.delete), its stored secrets and its record."""
    from slackctl.cli.commands.app.delete import DeleteOptions, run

    raise typer.Exit(run(get_context(ctx), DeleteOptions(env=env, app_id=app_id, yes=yes, forget=forget,
                                                           json_out=json_out)))


@app.command("settings")
def settings_cmd(
    ctx: typer.Context,
    env: Annotated[str, typer.Option("--env", "-e", envvar=ENV_DEPLOY_ENV, help=ENV_HELP,
                                           autocompletion=complete_environment)]
    = DEFAULT_DEPLOY_ENV,
    app_id: Annotated[str | None, typer.Option("--app", help="App id (default: the environment's app).")] = None,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Print the URL instead of opening it.")]
    = False,
    json_out: Annotated[bool, typer.Option("--json", help='Print {"app_id", "url"} instead of opening it.')]
    = False,
) -> None:
    """Open the app's settings page in the browser (prints the URL with --no-browser or without a display)."""
    from slackctl.cli.commands.app.settings import SettingsOptions, run

    run(get_context(ctx), SettingsOptions(env=env, app_id=app_id, no_browser=no_browser, json_out=json_out))


