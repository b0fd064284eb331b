"""What the `slackctl external-auth` verbs share: where they act (the project, hosted or local mode, the app)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import typer

from slackctl.cli.context import Context
from slackctl.core.extauth import hosted
from slackctl.core.extauth.providers import (
    HOSTED,
    Project,
    find_project,
    resolve_mode,
)


@dataclass
class Target:
    """Where a command acts: the project, the mode, and (hosted) the app."""

    project: Project
    mode: str
    app_id: str | None = None


@dataclass
class Where:
    """The options every external-auth verb takes: --local/--hosted, --manifest, --env, --app."""

    local: bool = False
    hosted: bool = False
    manifest: str | None = None
    env: str | None = None
    app_id: str | None = None


# Options several external-auth verbs take.
PROVIDER = typer.Option("--provider", help="Provider key from external_auth_providers.oauth2.")
INSECURE_STORAGE = typer.Option(
    "--insecure-storage", help="Local: keep secrets in a 0600 plaintext file instead of the OS keyring."
)


@dataclass(kw_only=True)
class WhereOptions:
    """--local/--hosted, --manifest and --env, which every external-auth verb takes; `where` bundles them."""

    local: Annotated[
        bool,
        typer.Option(
            "--local",
            help="Local mode: slackctl runs the OAuth2 flow and keeps the "
            "tokens (default unless settings.function_runtime is "
            "slack).",
        ),
    ] = False
    hosted: Annotated[bool, typer.Option("--hosted", help="Hosted mode: Slack runs the flow and keeps the tokens.")] = (
        False
    )
    manifest: Annotated[
        str | None, typer.Option("--manifest", help="Path of the manifest (default: the project's).")
    ] = None
    env: Annotated[str | None, typer.Option("--env", help="Environment (manifest overrides, deployed app).")] = None

    def app(self) -> str | None:
        return None

    @property
    def where(self) -> Where:
        return Where(local=self.local, hosted=self.hosted, manifest=self.manifest, env=self.env, app_id=self.app())


@dataclass(kw_only=True)
class AppWhereOptions(WhereOptions):
    """WhereOptions and --app, for the verbs that can act on a hosted app."""

    app_id: Annotated[
        str | None, typer.Option("--app", help="Hosted: the app id (default: this project's deployed app).")
    ] = None

    def app(self) -> str | None:
        return self.app_id


def target(ctx: Context, where: Where, *, announce: bool = True) -> Target:
    """Find the project, decide the mode (and say why, on stderr, unless `announce` is off: `token` runs in
    scripts, over and over, and says it only with --verbose), and in hosted mode the app."""
    project = find_project(manifest=where.manifest, env=where.env)
    mode, why = resolve_mode(project.manifest, where.local, where.hosted)
    app_id = where.app_id
    if announce or ctx.options.verbose:
        ctx.io.err(f"external-auth: {mode} mode ({why})")
    found = Target(project, mode)
    if mode == HOSTED:
        found.app_id = hosted.app_id_for(ctx, project, app_id)
    return found


# -- list -------------------------------------------------------------------------------------------------------


# -- add-secret ---------------------------------------------------------------------------------------------------


# -- add ------------------------------------------------------------------------------------------------------------


# -- remove / select-auth / token -------------------------------------------------------------------------------
