"""`slackctl manifest`: validate the project's manifest, export the deployed one, diff the two."""

from __future__ import annotations

from typing import Annotated

import typer

from slackctl import settings
from slackctl.cli.completion import complete_environment
from slackctl.cli.context import get_context

app = typer.Typer(help="Validate, export and diff app manifests.", no_args_is_help=True)
ENV_HELP = "Environment whose overrides and app to use (dev, staging, prod, ...)."


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="manifest")


EnvOption = Annotated[str, typer.Option("--env", "-e", envvar=settings.ENV_DEPLOY_ENV, help=ENV_HELP,
                                                  autocompletion=complete_environment)]


@app.command("validate")
def validate_cmd(
    ctx: typer.Context,
    file: Annotated[str | None, typer.Argument(help="A manifest file (JSON or YAML) to check; default: the "
                                                    "project's manifest for --env.")] = None,
    remote: Annotated[bool, typer.Option("--remote", help="Also ask Slack (apps.manifest.validate; needs an app "
                                                          "configuration token).")] = False,
    env: EnvOption = settings.DEFAULT_DEPLOY_ENV,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Check the manifest against the manifest schema (and with --remote, against Slack).

    FILE checks that file as it is (no environment overrides); without it, the project's manifest with --env's
    overrides. Each problem is shown with its JSON pointer and line. Exit codes: 0 valid, 2 invalid, 4 no
    configuration token (--remote).
    """
    from slackctl.cli.commands.manifest.validate import ValidateOptions, run

    run(get_context(ctx), ValidateOptions(remote=remote, env=env, json_out=json_out, file=file))


@app.command("export")
def export_cmd(
    ctx: typer.Context,
    env: EnvOption = settings.DEFAULT_DEPLOY_ENV,
    app_id: Annotated[str | None, typer.Option("--app", help="An app id (default: the project's app for "
                                                             "--env).")] = None,
) -> None:
    """Print the deployed manifest (apps.manifest.export) as JSON on stdout."""
    from slackctl.cli.commands.manifest.export import ExportOptions, run

    run(get_context(ctx), ExportOptions(env=env, app_id=app_id))


@app.command("diff")
def diff_cmd(
    ctx: typer.Context,
    env: EnvOption = settings.DEFAULT_DEPLOY_ENV,
    exit_code: Annotated[bool, typer.Option("--exit-code", help="Exit 1 when they differ (like git diff).")]
    = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Show a unified diff from the deployed manifest to the local one (coloured on a terminal)."""
    from slackctl.cli.commands.manifest.diff import DiffOptions, run

    raise typer.Exit(run(get_context(ctx), DiffOptions(env=env, exit_code=exit_code, json_out=json_out)))


