"""`slackctl deploy`: validate the manifest, create or update the environment's app, run the deploy hook,
and put the previous manifest back if the hook fails."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from slackctl import settings
from slackctl.cli.context import get_context

if TYPE_CHECKING:
    from slackctl.cli.context import Context
    from slackctl.core.deploy import Outcome, Plan
    from slackctl.slack.client import SlackClient

ENV_HELP = "Environment: each has its own app per workspace in .slack/apps.json (e.g. dev, staging, prod)."


def register(root: typer.Typer) -> None:
    root.command("deploy")(deploy)


def deploy(
    ctx: typer.Context,
    env: Annotated[str, typer.Option("--env", "-e", envvar=settings.ENV_DEPLOY_ENV, help=ENV_HELP)]
    = settings.DEFAULT_DEPLOY_ENV,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate and show what would change; change "
                                                            "nothing.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask before updating the app.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite changes made to the deployed manifest "
                                                        "outside slackctl (drift).")] = False,
) -> None:
    """Deploy the project's app: validate the manifest (locally, then with Slack), create the app or update
    it, then run the deploy hook from .slack/hooks.json; if the hook fails, restore the previous manifest.

    Needs an app configuration token: slackctl auth login --with-token.
    Exit codes: 0 deployed, 1 Slack error or hook failed (rolled back), 2 invalid manifest or input,
    4 missing or expired configuration token.
    """
    run_deploy(get_context(ctx), env=env, dry_run=dry_run, yes=yes, force=force)


def run_deploy(c: Context, *, env: str, dry_run: bool, yes: bool, force: bool) -> None:
    from slackctl.cli.output import report_problems, show_diff
    from slackctl.core import deploy as dp
    from slackctl.core.project import check_env_name, find_project

    io = c.io
    check_env_name(env)
    project = find_project()
    hook = project.hook("deploy")
    if hook:
        dp.check_hook(project, hook)  # a broken hook is found before Slack is touched
    target = dp.config_target(c, project, env)
    with c.client(target.token, profile=target.profile) as client:
        try:
            plan = dp.make_plan(client, target)
        except dp.ManifestInvalid as exc:
            report_problems(io, exc)
            raise
        where = f"{env} in {target.profile.team_name or target.team_id}"
        if plan.drifted:
            io.warn(f"the deployed manifest of {plan.app_id} was changed outside slackctl since the last "
                    "deploy (in the app settings?)")
            if plan.drift_diff:
                show_diff(io, plan.drift_diff)
            if dry_run:
                pass
            elif force:
                io.err("--force: those changes will be overwritten")
            elif not c.prompter.confirm("Overwrite those changes with the local manifest?", flag="--force"):
                raise typer.Exit(1)
        if dry_run:
            _report_dry_run(c, plan, where, hook)
            return
        if plan.creating:
            io.err(f"Creating the {env} app in {target.profile.team_name or target.team_id}…")
        elif plan.diff:
            io.err(f"Changes to the {env} app {plan.app_id}:")
            show_diff(io, plan.diff)
            if not yes and not c.prompter.confirm(f"Update {plan.app_id}?", flag="--yes"):
                raise typer.Exit(1)
        else:
            io.err(f"The {env} app {plan.app_id} is up to date")
        try:
            outcome = dp.apply_plan(c, client, plan)
        except dp.ManifestInvalid as exc:
            report_problems(io, exc)
            raise
        record = outcome.record
        try:
            if outcome.created:
                io.success(f"Created app {record.app_id} ({record.name}) for {where}; its client secret, signing "
                           f"secret and verification token are in the {target.profile.storage}")
            elif outcome.updated:
                io.success(f"Updated the manifest of {record.app_id}")
            if hook:
                _run_hook(c, client, plan, outcome, hook)
        except KeyboardInterrupt:
            # Ctrl-C or SIGTERM (cli.py turns it into the same exception) any time after the manifest changed
            # and before the hook finished: undo, so nothing stays half-deployed. Without a hook the deploy
            # was already complete and is kept.
            if hook:
                io.err("interrupted: rolling back")
                io.err(dp.rollback(c, client, plan, outcome))
            raise
        if outcome.permissions_updated or outcome.created:
            verb = "install" if outcome.created else "reinstall"
            why = "" if outcome.created else "its scopes changed: "
            io.err(f"{why}{verb} the app to get its tokens: slackctl auth login"
                   + (f" --profile {c.options.profile}" if c.options.profile else ""))
        io.err(f"App settings: {settings.APP_SETTINGS_URL}/{record.app_id}")


def _report_dry_run(c: Context, plan: Plan, where: str, hook: str | None) -> None:
    from slackctl.cli.output import show_diff

    io = c.io
    if plan.creating:
        io.err(f"dry run: would create a new app for {where} from {plan.origin}")
    elif plan.diff:
        io.err(f"dry run: would update {plan.app_id} ({where}):")
    else:
        io.err(f"dry run: {plan.app_id} ({where}) is up to date")
    if plan.diff:
        show_diff(io, plan.diff, to_stdout=True)
    if hook:
        io.err(f"dry run: would then run the deploy hook: {hook}")
    io.success("manifest is valid (checked locally and by Slack); nothing was changed")


def _run_hook(c: Context, client: SlackClient, plan: Plan, outcome: Outcome, hook: str) -> None:
    from slackctl.core import deploy as dp
    from slackctl.errors import ExitCode, SlackctlError
    from slackctl.slack.tokens import redact

    io = c.io
    env = dp.hook_environment(c, plan.target, outcome.record.app_id)
    secrets = [v for k, v in env.items() if k in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")]
    io.err(f"Running the deploy hook: {hook}")
    code = dp.run_hook(plan.target.project, hook, env, lambda line: io.err("  │ " + redact(line, secrets)))
    if code == 0:
        io.success("deploy hook finished")
        return
    try:
        done = dp.rollback(c, client, plan, outcome)
    except SlackctlError as exc:
        raise SlackctlError(f"the deploy hook failed (exit {code}) and rolling back failed too: {exc.message}",
                            f"check the app at {settings.APP_SETTINGS_URL}/{outcome.record.app_id}",
                            exit_code=ExitCode.API_ERROR) from None
    raise SlackctlError(f"the deploy hook failed (exit {code}); {done}",
                        "fix the hook (its output is above) and deploy again", exit_code=ExitCode.API_ERROR)
