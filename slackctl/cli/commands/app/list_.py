"""`slackctl app list`: the project's apps per environment and workspace, and whether each is installed (asked
of Slack with the app's own token, when one is stored)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.verb import Verb

if TYPE_CHECKING:
    from slackctl.cli.context import Context


@dataclass
class ListOptions:
    """The options of `slackctl app list`."""

    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False


COMMAND = Verb(
    ListOptions,
    help="""Installed: `yes` when auth.test accepts a token stored for that app (a profile installed by `slackctl
    auth login` with its app id), `no` when Slack refuses it as revoked or uninstalled, `unknown` when no token of
    that app is stored (nothing is sent then).""",
    examples="""
        slackctl app list
        slackctl app list --json
    """,
)


def run(ctx: Context, opts: ListOptions) -> None:
    from slackctl.cli.output import print_json, print_table
    from slackctl.core.project import app_profile, find_project, known_apps

    project = find_project()
    records = sorted(project.apps(), key=lambda r: (r.env, r.team_id))
    known = known_apps(ctx)
    rows = []
    for r in records:
        rows.append(
            {
                "env": r.env,
                "app_id": r.app_id,
                "name": r.name,
                "team_id": r.team_id,
                "client_id": r.client_id,
                "deployed_at": r.deployed_at,
                "credentials": app_profile(r.app_id) if r.app_id in known else "",
                "installed": _installed(ctx, r.app_id, r.team_id),
            }
        )
    if opts.json_out:
        print_json(ctx.io, rows)
        return
    if not rows:
        ctx.io.err(f"no deployed apps in {project.apps_path}; deploy one: slackctl deploy")
        return
    print_table(
        ctx.io,
        ["env", "app id", "name", "team", "deployed", "credentials", "installed"],
        [
            [
                r["env"],
                r["app_id"],
                r["name"],
                r["team_id"],
                r["deployed_at"] or "-",
                "stored" if r["credentials"] else "-",
                r["installed"],
            ]
            for r in rows
        ],
    )


# Errors with which Slack refuses the token of an app that is no longer installed.
_UNINSTALLED = {"invalid_auth", "token_revoked", "account_inactive", "not_authed", "app_uninstalled"}


def _installed(ctx: Context, app_id: str, team_id: str) -> str:
    """yes / no / unknown, from auth.test with a token stored for this app in this workspace."""
    from slackctl.errors import SlackctlError

    for profile in ctx.config.profiles.values():
        if profile.app_id != app_id or profile.team_id != team_id:
            continue
        for kind in ("bot", "user"):
            if kind not in profile.kinds:
                continue
            try:
                token = ctx.refreshed_token(profile, kind)
                if not token:
                    continue
                with ctx.client(token, profile=profile) as client:
                    answer = client.call("auth.test", {}, token=token, idempotent=True, raise_on_error=False)
            except SlackctlError:
                return "unknown"
            if answer.ok:
                return "yes"
            return "no" if answer.data.get("error") in _UNINSTALLED else "unknown"
    return "unknown"
