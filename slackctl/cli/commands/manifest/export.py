"""`slackctl manifest export`: print the deployed manifest (apps.manifest.export) as JSON on stdout."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.commands.manifest.common import deployed_manifest
from slackctl.cli.options import env_option
from slackctl.cli.verb import Verb
from slackctl.settings import DEFAULT_DEPLOY_ENV

if TYPE_CHECKING:
    from slackctl.cli.context import Context


@dataclass
class ExportOptions:
    """The options of `slackctl manifest export`."""

    env: Annotated[str, env_option("Environment whose overrides and app to use (dev, staging, prod, ...).")] = (
        DEFAULT_DEPLOY_ENV
    )
    app_id: Annotated[str | None, typer.Option("--app", help="An app id (default: the project's app for --env).")] = (
        None
    )


COMMAND = Verb(
    ExportOptions,
    examples="""
        slackctl manifest export > manifest.deployed.json
        slackctl manifest export --app A0123456789
    """,
)


def run(ctx: Context, opts: ExportOptions) -> None:
    from slackctl.cli.output import print_json

    manifest = deployed_manifest(ctx, opts.env, opts.app_id)[1]
    print_json(ctx.io, manifest)
