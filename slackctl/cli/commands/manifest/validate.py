"""`slackctl manifest validate`: check the manifest against the manifest schema (and with --remote, against Slack)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.options import env_option
from slackctl.cli.verb import Verb
from slackctl.settings import DEFAULT_DEPLOY_ENV

if TYPE_CHECKING:
    from slackctl.cli.context import Context


@dataclass
class ValidateOptions:
    """The options of `slackctl manifest validate`."""

    file: Annotated[str | None, typer.Argument(help="A manifest file to check instead of the project's.")] = None
    remote: Annotated[
        bool,
        typer.Option("--remote", help="Also ask Slack (apps.manifest.validate; needs an app configuration token)."),
    ] = False
    env: Annotated[str, env_option("Environment whose overrides and app to use (dev, staging, prod, ...).")] = (
        DEFAULT_DEPLOY_ENV
    )
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False


COMMAND = Verb(
    ValidateOptions,
    help="""Each problem is shown with its JSON pointer and line. Exit codes: 0 valid, 2 invalid, 4 no
    configuration token (--remote).""",
    examples="""
        slackctl manifest validate
        slackctl manifest validate --remote --env prod
        slackctl manifest validate --json | jq '.errors'
        slackctl manifest validate ./other/manifest.json
    """,
)


def run(ctx: Context, opts: ValidateOptions) -> None:
    from slackctl.cli.output import report_problems
    from slackctl.core import deploy as dp
    from slackctl.core.project import check_env_name, find_project, resolve_manifest

    project = find_project(manifest=opts.file)
    check_env_name(opts.env)
    parsed = resolve_manifest(project, opts.env)  # unparseable: one UsageError line, before any JSON
    schema = "v2" if _major(parsed.data) == 2 else "v1"
    try:
        source = dp.local_manifest(project, opts.env)
        if not opts.json_out:
            ctx.io.success(f"{source.origin}: valid ({schema} schema)")
        if source.stripped:
            ctx.io.err(
                f"note: {', '.join(source.stripped)} left out, as Slack's CLI leaves them out of an "
                "SDK-generated manifest (the icon is uploaded apart; source_file is where the code lives)"
            )
        from slackctl.slack.manifest import url_warnings

        for warning in url_warnings(source.data, lines=source.lines):
            ctx.io.warn(str(warning))
        if opts.remote:
            target = dp.config_target(ctx, project, opts.env)
            record = project.app(opts.env, target.team_id)
            with ctx.client(target.token, profile=target.profile) as client:
                dp.check_remote(client, target.token, source, record.app_id if record else None)
            if not opts.json_out:
                ctx.io.success("Slack accepts it (apps.manifest.validate)")
    except dp.ManifestInvalid as exc:
        if opts.json_out:
            _print(ctx, opts, parsed.origin, schema, exc.problems, parsed.stripped)
        else:
            report_problems(ctx.io, exc)
        raise
    if opts.json_out:
        _print(ctx, opts, source.origin, schema, [], source.stripped)


def _print(ctx: Context, opts: ValidateOptions, origin: str, schema: str, problems: list, stripped: list[str]) -> None:
    """{"valid", "schema", "manifest", "remote", "errors": [{"pointer", "line", "message"}]} (README)."""
    from slackctl.cli.output import print_json

    print_json(
        ctx.io,
        {
            "valid": not problems,
            "schema": schema,
            "manifest": origin,
            "remote": opts.remote,
            "stripped": stripped,
            "errors": [{"pointer": p.pointer, "line": p.line, "message": p.message} for p in problems],
        },
    )


def _major(manifest: dict) -> int:
    meta = manifest.get("_metadata")
    return meta.get("major_version", 1) if isinstance(meta, dict) else 1
