"""`slackctl datastore count`: how many items an expression matches (all items without one)."""

# ruff: noqa: E501 - an example is one whole command line, however long Slack's JSON makes it

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from slackctl.cli.commands.datastore.common import AUTH_HELP, DatastoreOptions, connect
from slackctl.cli.verb import Verb

if TYPE_CHECKING:
    from slackctl.cli.context import Context


@dataclass
class CountOptions(DatastoreOptions):
    """The options of `slackctl datastore count`."""


COMMAND = Verb(
    CountOptions,
    help="Prints the number. Expressions are Slack's (DynamoDB filter syntax), see `datastore query --help`."
    "\n\n" + AUTH_HELP,
    examples="""
        slackctl datastore count '{"datastore": "tasks"}'
        slackctl datastore count '{"datastore": "tasks", "expression": "#status = :s", "expression_attributes": {"#status": "status"}, "expression_values": {":s": "open"}}'
    """,
)


def run(ctx: Context, opts: CountOptions) -> None:
    from slackctl.cli.output import print_json
    from slackctl.core.datastore import parse_request

    body = parse_request(opts.request, opts.datastore)
    answer = connect(ctx, opts.app, opts.env).call("apps.datastore.count", body)
    if opts.json_out:
        print_json(ctx.io, answer)
    else:
        ctx.io.out_data(str(answer.get("count", 0)))
