"""`slackctl manifest info`: the project's resolved manifest as JSON — local (manifest file or get-manifest hook,
with the environment's overrides, as deploy sends it) or remote (as the app settings hold it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.options import env_option
from slackctl.cli.verb import Verb
from slackctl.settings import DEFAULT_DEPLOY_ENV

if TYPE_CHECKING:
    from slackctl.cli.context import Context

SOURCES = ("local", "remote")


@dataclass
class InfoOptions:
    """The options of `slackctl manifest info`."""

    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="local (the project's files or get-manifest hook) "
            "or remote (apps.manifest.export); default: "
            ".slack/config.json's manifest.source, else "
            "local.",
        ),
    ] = None
    env: Annotated[str, env_option("Environment whose overrides and app to use (dev, staging, prod, ...).")] = (
        DEFAULT_DEPLOY_ENV
    )
    app_id: Annotated[
        str | None,
        typer.Option("--app", help="With --source remote: an app id (default: the project's app for --env)."),
    ] = None


COMMAND = Verb(
    InfoOptions,
    help="""The local manifest is what deploy would send: SDK-only keys Slack's CLI leaves out (icon, functions'
    source_file) are left out here too. Slack's CLI calls this `slack manifest info`.""",
    examples="""
        slackctl manifest info
        slackctl manifest info --env prod | jq .oauth_config.scopes
        slackctl manifest info --source remote
    """,
)


def run(ctx: Context, opts: InfoOptions) -> None:
    from slackctl.cli.output import print_json
    from slackctl.core.project import check_env_name, find_project
    from slackctl.errors import UsageError

    check_env_name(opts.env)
    if opts.source is not None and opts.source not in SOURCES:
        raise UsageError(f"--source must be local or remote, not {opts.source!r}", "e.g. --source remote")
    source = opts.source
    if source is None:
        source = "remote" if opts.app_id is None and find_project().manifest_is_remote else "local"
    if source == "remote":
        from slackctl.cli.commands.manifest.common import deployed_manifest

        print_json(ctx.io, deployed_manifest(ctx, opts.env, opts.app_id)[1])
        return
    if opts.app_id is not None:
        raise UsageError("--app is for --source remote", "drop --app, or add --source remote")
    from slackctl.slack.manifest import strip_editor_keys

    project = find_project(env=opts.env)
    print_json(ctx.io, strip_editor_keys(project.manifest))
