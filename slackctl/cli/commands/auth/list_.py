"""`slackctl auth list`: the stored profiles, the active one marked (no network)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import typer

from slackctl.cli.context import Context
from slackctl.cli.output import print_json, print_table, storage_label
from slackctl.cli.verb import Verb


@dataclass
class ListOptions:
    """The options of `slackctl auth list`."""

    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False


COMMAND = Verb(
    ListOptions,
    examples="""
        slackctl auth list
        slackctl auth list --json
    """,
)


def run(ctx: Context, opts: ListOptions) -> None:
    config = ctx.config  # an unknown --profile is refused here (Session.config)
    active = config.active  # -p selects the profile to show; only `auth switch` moves the active marker
    rows = []
    data = []
    for name, p in sorted(config.profiles.items()):
        if ctx.options.profile and name != ctx.options.profile:
            continue
        data.append(
            {
                "profile": name,
                "active": name == active,
                "team_id": p.team_id,
                "team": p.team_name,
                "user_id": p.user_id,
                "user": p.user_name or p.user_id,
                "kinds": p.kinds,
                "storage": p.storage,
                "slack_url": p.slack_url,
            }
        )
        rows.append(
            [
                ("* " if name == active else "  ") + name,
                p.team_name or p.team_id,
                p.user_name or p.user_id,
                ",".join(p.kinds),
                storage_label(p.storage),
            ]
        )
    if opts.json_out:
        print_json(ctx.io, data)
        return
    if not rows:
        ctx.io.err("no profiles — run: slackctl auth login")
        return
    print_table(ctx.io, ["profile", "workspace", "user", "tokens", "storage"], rows)
