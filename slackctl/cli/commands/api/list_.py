"""`slackctl api list`: the Web API methods of the catalog, optionally of one group."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated

import typer

from slackctl.cli.context import Context
from slackctl.cli.output import print_table
from slackctl.cli.verb import Verb
from slackctl.errors import UsageError
from slackctl.slack import catalog


@dataclass
class ListOptions:
    """The options of `slackctl api list`."""

    group: Annotated[
        str | None, typer.Argument(help="Only this group, e.g. chat or admin.users.", show_default=False)
    ] = None
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False


COMMAND = Verb(
    ListOptions,
    examples="""
        slackctl api list
        slackctl api list chat
        slackctl api list admin.users --json | jq -r '.[].name'
    """,
)


def run(ctx: Context, opts: ListOptions) -> None:
    methods = catalog.in_group(opts.group)
    if not methods:
        groups = catalog.groups()
        import difflib

        close = difflib.get_close_matches(opts.group or "", groups, n=3)
        raise UsageError(
            f"no methods in group '{opts.group}'",
            (f"did you mean {' or '.join(close)}? " if close else "") + "groups: " + ", ".join(groups),
        )
    if opts.json_out:
        ctx.io.out_data(json.dumps([m.to_dict() for m in methods], separators=(",", ":")))
        return
    rows = [
        [
            m.name + (" (deprecated)" if m.deprecated else ""),
            m.http_method,
            "yes" if m.json_body else "no",
            m.tier_label,
            ",".join(m.scopes) or ("none" if not m.auth else "-"),
        ]
        for m in methods
    ]
    print_table(ctx.io, ["method", "http", "json", "rate", "tokens"], rows)
