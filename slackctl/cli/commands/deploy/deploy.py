"""`slackctl deploy`: validate the manifest, create or update the environment's app, run the deploy hook,
and put the previous manifest back if the hook fails (or on Ctrl-C / SIGTERM after the manifest changed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.options import env_option
from slackctl.cli.verb import Verb
from slackctl.settings import DEFAULT_DEPLOY_ENV

if TYPE_CHECKING:
    from slackctl.cli.context import Context
    from slackctl.core.deploy import Outcome, Plan
    from slackctl.core.project import Project
    from slackctl.slack.client import SlackClient


@dataclass
class DeployOptions:
    """The options of `slackctl deploy`."""

    env: Annotated[
        str,
        env_option("Environment: each has its own app per workspace in .slack/apps.json (e.g. dev, staging, prod)."),
    ] = DEFAULT_DEPLOY_ENV
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate and show what would change; change nothing.")] = (
        False
    )
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask before updating the app.")] = False
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite changes made to the deployed manifest outside slackctl (drift).")
    ] = False
    insecure_storage: Annotated[
        bool,
        typer.Option(
            "--insecure-storage",
            help="Keep a new app's secrets in a 0600 file in the config dir instead of the keyring.",
        ),
    ] = False
    credentials_out: Annotated[
        str | None,
        typer.Option(
            "--credentials-out",
            metavar="FILE",
            help="Write a new app's id, client id and secrets to FILE (JSON, 0600) instead of storing them (CI).",
        ),
    ] = None
    json_out: Annotated[bool, typer.Option("--json", help="Print the plan and what was done as JSON.")] = False


COMMAND = Verb(
    DeployOptions,
    help="""Needs an app configuration token: SLACK_CONFIG_TOKEN (or SLACK_CONFIG_REFRESH_TOKEN), else one stored
    with slackctl auth login --with-token.
    Exit codes: 0 deployed, 1 Slack error or hook failed (rolled back), 2 invalid manifest or input,
    4 missing or expired configuration token.""",
    examples="""
        slackctl deploy
        slackctl deploy --env prod --dry-run
        SLACK_CONFIG_TOKEN=... slackctl deploy --env staging --yes --credentials-out app.json --json
    """,
)


def run(c: Context, opts: DeployOptions) -> int:
    """Exit code 1 when the user declines; errors (hook failures included) are raised."""
    from slackctl.cli.output import report_problems, show_diff
    from slackctl.core import appsecrets
    from slackctl.core import deploy as dp
    from slackctl.core.project import check_env_name, find_project

    io = c.io
    check_env_name(opts.env)
    project = find_project()
    hook = project.hook("deploy")
    if hook:
        from slackctl.core.hooks import check_hook

        check_hook(project, hook)  # a broken hook is found before Slack is touched
    try:
        dp.local_manifest(project, opts.env)  # validation first: a broken manifest before any missing token
    except dp.ManifestInvalid as exc:
        report_problems(io, exc)
        raise
    build = project.hook("build")
    if build and opts.dry_run:
        io.err(f"dry run: would first run the build hook: {build}")
    elif build:
        _build(c, project, build)  # a project that does not build is found before Slack is touched
    target = dp.config_target(c, project, opts.env)
    with c.client(target.token, profile=target.profile) as client:
        try:
            plan = dp.make_plan(client, target)
        except dp.ManifestInvalid as exc:
            report_problems(io, exc)
            raise
        where = f"{opts.env} in {target.profile.team_name or target.team_id}"
        if plan.remote_source:
            io.err(dp.remote_source_note(plan))
        if plan.drifted:
            io.warn(
                f"the deployed manifest of {plan.app_id} was changed outside slackctl since the last "
                "deploy (in the app settings?)"
            )
            if plan.drift_diff:
                show_diff(io, plan.drift_diff)
            if opts.dry_run:
                pass
            elif opts.force:
                io.err("--force: those changes will be overwritten")
            elif not c.prompter.confirm("Overwrite those changes with the local manifest?", flag="--force"):
                return 1
        if opts.dry_run:
            _report_dry_run(c, opts, plan, where, hook)
            return 0
        keep = None
        if plan.creating:
            # Decided before the app exists: with nowhere to keep its secrets, nothing is created.
            keep = appsecrets.choose(
                c, target.profile.storage, insecure_storage=opts.insecure_storage, credentials_out=opts.credentials_out
            )
            io.err(f"Creating the {opts.env} app in {target.profile.team_name or target.team_id}…")
        elif plan.diff:
            io.err(f"Changes to the {opts.env} app {plan.app_id}:")
            show_diff(io, plan.diff)
            if not opts.yes and not c.prompter.confirm(f"Update {plan.app_id}?", flag="--yes"):
                return 1
        else:
            io.err(f"The {opts.env} app {plan.app_id} is up to date")
        try:
            outcome = dp.apply_plan(c, client, plan, keep)
        except dp.ManifestInvalid as exc:
            report_problems(io, exc)
            raise
        record = outcome.record
        try:
            if outcome.created:
                io.success(
                    f"Created app {record.app_id} ({record.name}) for {where}; its client secret, signing "
                    f"secret and verification token are in {outcome.secrets_in}"
                )
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
            io.err(
                f"{why}{verb} the app to get its tokens: slackctl auth login"
                + (f" --profile {c.options.profile}" if c.options.profile else "")
            )
        io.err(f"App settings: {c.app_settings_url(record.app_id)}")
        if opts.json_out:
            from slackctl.cli.output import print_json

            print_json(io, plan_json(c, plan, hook, dry_run=False, outcome=outcome))
    return 0


def plan_json(
    c: Context,
    plan: Plan,
    hook: str | None,
    *,
    dry_run: bool,
    outcome: Outcome | None = None,
    credentials: str | None = None,
) -> dict:
    """The stable --json shape of `deploy` (README: "JSON output"): the plan, and with an outcome what was done."""
    action = "create" if plan.creating else ("update" if plan.diff else "none")
    record = outcome.record if outcome else plan.record
    data = {
        "dry_run": dry_run,
        "env": plan.target.env,
        "team_id": plan.target.team_id,
        "app_id": record.app_id if record else None,
        "action": action,
        "drifted": plan.drifted,
        "diff": plan.diff,
        "manifest": plan.origin,
        "hook": hook,
        "manifest_source": "remote" if plan.remote_source else "local",
        "changed": bool(outcome and (outcome.created or outcome.updated)),
        "permissions_updated": bool(outcome and outcome.permissions_updated),
        "credentials": outcome.secrets_in or None if outcome else credentials,
    }
    if record:
        data["settings_url"] = c.app_settings_url(record.app_id)
    return data


def _report_dry_run(c: Context, opts: DeployOptions, plan: Plan, where: str, hook: str | None) -> None:
    from slackctl.cli.output import print_json, show_diff
    from slackctl.core import appsecrets
    from slackctl.errors import SlackctlError

    io = c.io
    credentials = None
    if plan.creating:
        io.err(f"dry run: would create a new app for {where} from {plan.origin}")
        try:
            credentials = appsecrets.choose(
                c,
                plan.target.profile.storage,
                insecure_storage=opts.insecure_storage,
                credentials_out=opts.credentials_out,
            ).describe(c)
            io.err(f"dry run: its secrets would go to {credentials}")
        except SlackctlError as exc:
            io.warn(f"deploying would fail: {exc.message}" + (f"; {exc.hint}" if exc.hint else ""))
    elif plan.diff:
        io.err(f"dry run: would update {plan.app_id} ({where}):")
    else:
        io.err(f"dry run: {plan.app_id} ({where}) is up to date")
    if plan.diff:
        show_diff(io, plan.diff, to_stdout=not opts.json_out)
    if hook:
        io.err(f"dry run: would then run the deploy hook: {hook}")
    io.success("manifest is valid (checked locally and by Slack); nothing was changed")
    if opts.json_out:
        print_json(io, plan_json(c, plan, hook, dry_run=True, credentials=credentials))


def _build(c: Context, project: Project, command: str) -> None:
    from slackctl.core.hooks import run_build
    from slackctl.errors import UsageError

    c.io.err(f"Running the build hook: {command}")
    code = run_build(project, command, lambda line: c.io.err("  │ " + line))
    if code:
        raise UsageError(
            f"the build hook failed (exit {code}); nothing was deployed",
            "fix the build (its output is above) and deploy again",
        )


def _run_hook(c: Context, client: SlackClient, plan: Plan, outcome: Outcome, hook: str) -> None:
    from slackctl.core import deploy as dp
    from slackctl.errors import ExitCode, SlackctlError
    from slackctl.slack.tokens import redact

    io = c.io
    from slackctl.core.hooks import hook_environment, run_hook

    env = hook_environment(c, plan.target, outcome.record.app_id)
    secrets = [v for k, v in env.items() if k in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")]
    io.err(f"Running the deploy hook: {hook}")
    code = run_hook(plan.target.project, hook, env, lambda line: io.err("  │ " + redact(line, secrets)))
    if code == 0:
        io.success("deploy hook finished")
        return
    try:
        done = dp.rollback(c, client, plan, outcome)
    except SlackctlError as exc:
        raise SlackctlError(
            f"the deploy hook failed (exit {code}) and rolling back failed too: {exc.message}",
            f"check the app at {c.app_settings_url(outcome.record.app_id)}",
            exit_code=ExitCode.API_ERROR,
        ) from None
    raise SlackctlError(
        f"the deploy hook failed (exit {code}); {done}",
        "fix the hook (its output is above) and deploy again",
        exit_code=ExitCode.API_ERROR,
    )
