"""`slackctl manifest`: validate the project's manifest, export the deployed one, diff the two."""

from __future__ import annotations

from typing import Annotated

import typer

from slackctl import settings
from slackctl.cli.context import get_context

app = typer.Typer(help="Validate, export and diff app manifests.", no_args_is_help=True)
ENV_HELP = "Environment whose overrides and app to use (dev, staging, prod, ...)."


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="manifest")


EnvOption = Annotated[str, typer.Option("--env", "-e", envvar=settings.ENV_DEPLOY_ENV, help=ENV_HELP)]


@app.command()
def validate(
    ctx: typer.Context,
    remote: Annotated[bool, typer.Option("--remote", help="Also ask Slack (apps.manifest.validate; needs an app "
                                                          "configuration token).")] = False,
    env: EnvOption = settings.DEFAULT_DEPLOY_ENV,
) -> None:
    """Check the manifest against the manifest schema (and with --remote, against Slack).

    Each problem is shown with its JSON pointer and line. Exit codes: 0 valid, 2 invalid, 4 no
    configuration token (--remote).
    """
    from slackctl.cli.commands.deploy import report_problems
    from slackctl.core import deploy as dp
    from slackctl.core.project import check_env_name, find_project

    c = get_context(ctx)
    project = find_project()
    check_env_name(env)
    try:
        source = dp.local_manifest(project, env)
        c.io.success(f"{source.origin}: valid ({'v2' if _major(source.data) == 2 else 'v1'} schema)")
        if remote:
            target = dp.config_target(c, project, env)
            record = project.app(env, target.team_id)
            with c.client(target.token, profile=target.profile) as client:
                dp.check_remote(client, target.token, source, record.app_id if record else None)
            c.io.success("Slack accepts it (apps.manifest.validate)")
    except dp.ManifestInvalid as exc:
        report_problems(c.io, exc)
        raise


def _major(manifest: dict) -> int:
    meta = manifest.get("_metadata")
    return meta.get("major_version", 1) if isinstance(meta, dict) else 1


@app.command()
def export(
    ctx: typer.Context,
    env: EnvOption = settings.DEFAULT_DEPLOY_ENV,
    app_id: Annotated[str | None, typer.Option("--app", help="An app id (default: the project's app for "
                                                             "--env).")] = None,
) -> None:
    """Print the deployed manifest (apps.manifest.export) as JSON on stdout."""
    from slackctl.cli.output import print_json

    c = get_context(ctx)
    manifest = _deployed(c, env, app_id)[1]
    print_json(c.io, manifest)


@app.command()
def diff(
    ctx: typer.Context,
    env: EnvOption = settings.DEFAULT_DEPLOY_ENV,
    exit_code: Annotated[bool, typer.Option("--exit-code", help="Exit 1 when they differ (like git diff).")]
    = False,
) -> None:
    """Show a unified diff from the deployed manifest to the local one (coloured on a terminal)."""
    from slackctl.cli.commands.deploy import report_problems, show_diff
    from slackctl.core import deploy as dp
    from slackctl.core.project import find_project, resolve_manifest
    from slackctl.slack.manifest import diff_manifests, strip_editor_keys

    c = get_context(ctx)
    project = find_project()
    source = resolve_manifest(project, env)
    app_id, deployed = _deployed(c, env, None)
    try:
        dp.local_manifest(project, env)
    except dp.ManifestInvalid as exc:
        c.io.warn("the local manifest is invalid; deploying it would fail:")
        report_problems(c.io, exc)
    text = diff_manifests(deployed, strip_editor_keys(source.data), from_label=f"deployed ({app_id})",
                          to_label=source.origin)
    if not text:
        c.io.success(f"no differences: {app_id} matches {source.origin}")
        return
    show_diff(c.io, text, to_stdout=True)
    if exit_code:
        raise typer.Exit(1)


def _deployed(c, env: str, app_id: str | None) -> tuple[str, dict]:  # noqa: ANN001 - Context, lazily imported
    from slackctl.core import deploy as dp
    from slackctl.core.project import check_env_name, find_project
    from slackctl.errors import UsageError

    check_env_name(env)
    project = find_project() if app_id is None else None
    target = dp.config_target(c, project, env)  # type: ignore[arg-type]
    if app_id is None:
        assert project is not None
        record = project.app(env, target.team_id)
        if record is None:
            raise UsageError(f"the {env} app has not been deployed to {target.profile.team_name or target.team_id} "
                             "yet", f"deploy it: slackctl deploy --env {env}")
        app_id = record.app_id
    with c.client(target.token, profile=target.profile) as client:
        return app_id, dp.export_manifest(client, target.token, app_id)
