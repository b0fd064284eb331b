"""`slackctl manifest diff`: show a unified diff from the deployed manifest to the local one (coloured on a
terminal)."""

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
class DiffOptions:
    """The options of `slackctl manifest diff`."""

    env: Annotated[str, env_option("Environment whose overrides and app to use (dev, staging, prod, ...).")] = (
        DEFAULT_DEPLOY_ENV
    )
    exit_code: Annotated[bool, typer.Option("--exit-code", help="Exit 1 when they differ (like git diff).")] = False
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False


COMMAND = Verb(
    DiffOptions,
    examples="""
        slackctl manifest diff
        slackctl manifest diff --env prod --exit-code || echo 'prod differs'
    """,
)


def run(ctx: Context, opts: DiffOptions) -> int:
    """Exit code 1 when they differ and --exit-code asks for it."""
    from slackctl.cli.output import report_problems, show_diff
    from slackctl.core import deploy as dp
    from slackctl.core.project import find_project, resolve_manifest
    from slackctl.slack.manifest import diff_manifests, strip_editor_keys

    project = find_project()
    source = resolve_manifest(project, opts.env)
    app_id, deployed = deployed_manifest(ctx, opts.env, None)
    valid = True
    try:
        dp.local_manifest(project, opts.env)
    except dp.ManifestInvalid as exc:
        valid = False
        ctx.io.warn("the local manifest is invalid; deploying it would fail:")
        report_problems(ctx.io, exc)
    text = diff_manifests(
        deployed, strip_editor_keys(source.data), from_label=f"deployed ({app_id})", to_label=source.origin
    )
    if opts.json_out:
        from slackctl.cli.output import print_json

        # {"app_id", "env", "manifest", "differs", "diff", "valid"} (README: "JSON output")
        print_json(
            ctx.io,
            {
                "app_id": app_id,
                "env": opts.env,
                "manifest": source.origin,
                "differs": bool(text),
                "diff": text,
                "valid": valid,
            },
        )
        return 1 if text and opts.exit_code else 0
    if not text:
        ctx.io.success(f"no differences: {app_id} matches {source.origin}")
        return 0
    show_diff(ctx.io, text, to_stdout=True)
    return 1 if opts.exit_code else 0
