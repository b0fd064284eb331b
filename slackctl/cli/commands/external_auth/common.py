"""What the `slackctl external-auth` verbs share: where they act (the project, hosted or local mode, the app)."""

from __future__ import annotations

from dataclasses import dataclass

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


