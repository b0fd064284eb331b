"""`slackctl app`: the project's deployed apps — list them, delete one, open its settings page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from slackctl import settings
from slackctl.cli.context import get_context

if TYPE_CHECKING:
    from slackctl.cli.context import Context
    from slackctl.core.project import AppRecord, Project

app = typer.Typer(help="The project's deployed apps (one per environment and workspace).", no_args_is_help=True)
ENV_HELP = "Environment of the app (dev, staging, prod, ...)."


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="app")


@app.command("list")
def list_apps(
    ctx: typer.Context,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the apps recorded in .slack/apps.json (no network)."""
    from slackctl.cli.output import print_json, print_table
    from slackctl.core.project import app_profile, find_project, known_apps

    c = get_context(ctx)
    project = find_project()
    records = sorted(project.apps(), key=lambda r: (r.env, r.team_id))
    known = known_apps(c)
    rows = []
    for r in records:
        rows.append({"env": r.env, "app_id": r.app_id, "name": r.name, "team_id": r.team_id,
                     "client_id": r.client_id, "deployed_at": r.deployed_at,
                     "credentials": app_profile(r.app_id) if r.app_id in known else ""})
    if json_out:
        print_json(c.io, rows)
        return
    if not rows:
        c.io.err(f"no deployed apps in {project.apps_path}; deploy one: slackctl deploy")
        return
    print_table(c.io, ["env", "app id", "name", "team", "deployed", "credentials"],
                [[r["env"], r["app_id"], r["name"], r["team_id"], r["deployed_at"] or "-",
                  "stored" if r["credentials"] else "-"] for r in rows])


@app.command()
def delete(
    ctx: typer.Context,
    env: Annotated[str, typer.Option("--env", "-e", envvar=settings.ENV_DEPLOY_ENV, help=ENV_HELP)]
    = settings.DEFAULT_DEPLOY_ENV,
    app_id: Annotated[str | None, typer.Option("--app", help="App id (default: the environment's app).")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    forget: Annotated[bool, typer.Option("--forget", help="Only forget it locally (records and stored "
                                                          "secrets); leave the app at Slack.")] = False,
) -> None:
    """Delete the environment's app at Slack (apps.manifest.delete), its stored secrets and its record."""
    from slackctl.cli.commands.deploy import confirm
    from slackctl.core import deploy as dp

    c = get_context(ctx)
    project, record = _pick(c, env, app_id)
    what = f"app {record.app_id} ({record.name or 'unnamed'}, {record.env}, {record.team_id})"
    question = f"Forget {what} locally?" if forget else f"Delete {what} at Slack? This cannot be undone"
    if not yes and not confirm(c.io, question, flag="--yes"):
        raise typer.Exit(1)
    if forget:
        dp.delete_app(c, None, "", project, record, remote=False)
        c.io.success(f"forgot {what} (the app still exists at Slack)")
        return
    from slackctl.errors import SlackApiError

    target = dp.config_target(c, project, record.env)
    with c.client(target.token, profile=target.profile) as client:
        try:
            dp.delete_app(c, client, target.token, project, record)
        except SlackApiError as exc:
            if exc.error != "app_not_found":
                raise
            dp.delete_app(c, client, target.token, project, record, remote=False)
            c.io.warn(f"{record.app_id} was already gone at Slack; removed the local records")
            return
    c.io.success(f"deleted {what}")


@app.command("settings")
def open_settings(
    ctx: typer.Context,
    env: Annotated[str, typer.Option("--env", "-e", envvar=settings.ENV_DEPLOY_ENV, help=ENV_HELP)]
    = settings.DEFAULT_DEPLOY_ENV,
    app_id: Annotated[str | None, typer.Option("--app", help="App id (default: the environment's app).")] = None,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Print the URL instead of opening it.")]
    = False,
) -> None:
    """Open the app's settings page in the browser (prints the URL with --no-browser or without a display)."""
    c = get_context(ctx)
    if app_id is None:
        app_id = _pick(c, env, None)[1].app_id
    url = f"{settings.APP_SETTINGS_URL}/{app_id}"
    from slackctl.cli import browser

    if no_browser or not browser.can_open():
        c.io.out(url)
        return
    if not browser.open_url(url):
        c.io.out(url)
        c.io.warn("could not open a browser; open the URL above yourself")
        return
    c.io.err(f"Opened {url}")


def _pick(c: Context, env: str, app_id: str | None) -> tuple[Project, AppRecord]:
    from slackctl.core.project import check_env_name, find_project, pick_app
    from slackctl.errors import UsageError

    check_env_name(env)
    project = find_project()
    if app_id:
        for record in project.apps():
            if record.app_id == app_id:
                return project, record
        raise UsageError(f"app {app_id} is not one of this project's apps", "list them: slackctl app list")
    record = pick_app(c, project, env)
    if record is None:
        others = sorted({r.env for r in project.apps()})
        raise UsageError(f"no {env} app recorded in {project.apps_path}" + (
            " for the active workspace (or more than one)" if project.apps(env) else ""),
            (f"environments with apps: {', '.join(others)}; pass --env or --app" if others
             else "deploy one first: slackctl deploy"))
    return project, record

