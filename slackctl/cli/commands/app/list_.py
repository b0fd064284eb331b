"""`slackctl app list`: list the apps recorded in .slack/apps.json (no network)."""

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
        rows.append({"env": r.env, "app_id": r.app_id, "name": r.name, "team_id": r.team_id,
                     "client_id": r.client_id, "deployed_at": r.deployed_at,
                     "credentials": app_profile(r.app_id) if r.app_id in known else ""})
    if opts.json_out:
        print_json(ctx.io, rows)
        return
    if not rows:
        ctx.io.err(f"no deployed apps in {project.apps_path}; deploy one: slackctl deploy")
        return
    print_table(ctx.io, ["env", "app id", "name", "team", "deployed", "credentials"],
                [[r["env"], r["app_id"], r["name"], r["team_id"], r["deployed_at"] or "-",
                  "stored" if r["credentials"] else "-"] for r in rows])
