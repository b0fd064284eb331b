"""Helpers shared by the `slackctl app` verbs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from slackctl.cli.completion import complete_environment
from slackctl.settings import ENV_DEPLOY_ENV

if TYPE_CHECKING:
    from slackctl.cli.context import Context
    from slackctl.core.project import AppRecord, Project

# --env and --app, as `app delete` and `app settings` take them.
ENV_OPTION = typer.Option(
    "--env",
    "-e",
    envvar=ENV_DEPLOY_ENV,
    autocompletion=complete_environment,
    help="Environment of the app (dev, staging, prod, ...).",
)
APP_OPTION = typer.Option("--app", help="App id (default: the environment's app).")


def pick(c: Context, env: str, app_id: str | None) -> tuple[Project, AppRecord]:
    """The project and the app a command acts on: --app, else the environment's app for this workspace."""
    from slackctl.core.project import check_env_name, find_project, pick_app
    from slackctl.errors import UsageError

    check_env_name(env)
    project = find_project()
    if app_id:
        for record in project.apps():
            if record.app_id == app_id:
                return project, record
        raise UsageError(f"app {app_id} is not one of this project's apps", "list them: slackctl app list")
    picked = pick_app(c, project, env)
    if picked is None:
        others = sorted({r.env for r in project.apps()})
        raise UsageError(
            f"no {env} app recorded in {project.records_path} (or Slack CLI's apps files)"
            + (" for the active workspace (or more than one)" if project.apps(env) else ""),
            (
                f"environments with apps: {', '.join(others)}; pass --env or --app"
                if others
                else "deploy one first: slackctl deploy"
            ),
        )
    return project, picked
