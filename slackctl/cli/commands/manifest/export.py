"""`slackctl manifest export`: print the deployed manifest (apps.manifest.export) as JSON on stdout."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from slackctl import settings
from slackctl.cli.commands.manifest.common import deployed_manifest

if TYPE_CHECKING:
    from slackctl.cli.context import Context


@dataclass
class ExportOptions:
    """The options of `slackctl manifest export`."""

    env: str = settings.DEFAULT_DEPLOY_ENV
    app_id: str | None = None


def run(ctx: Context, opts: ExportOptions) -> None:
    from slackctl.cli.output import print_json

    manifest = deployed_manifest(ctx, opts.env, opts.app_id)[1]
    print_json(ctx.io, manifest)
