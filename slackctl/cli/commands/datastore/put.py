"""`slackctl datastore put`: create or replace one item (apps.datastore.put replaces the whole item)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from slackctl.cli.commands.datastore.common import AUTH_HELP, DatastoreOptions, connect, show
from slackctl.cli.verb import Verb

if TYPE_CHECKING:
    from slackctl.cli.context import Context

EXAMPLE = '{"datastore": "tasks", "item": {"id": "1", "title": "Write docs"}}'


@dataclass
class PutOptions(DatastoreOptions):
    """The options of `slackctl datastore put`."""


COMMAND = Verb(
    PutOptions,
    help="Attributes the JSON leaves out are gone afterwards: `datastore update` merges instead.\n\n" + AUTH_HELP,
    examples="""
        slackctl datastore put '{"datastore": "tasks", "item": {"id": "1", "title": "Write docs", "status": "open"}}'
        slackctl datastore put --datastore tasks '{"item": {"id": "2", "title": "Review"}}' --json
    """,
)


def run(ctx: Context, opts: PutOptions) -> None:
    from slackctl.core.datastore import parse_request, require

    body = parse_request(opts.request, opts.datastore)
    item = require(body, "item", dict, EXAMPLE)
    answer = connect(ctx, opts.app, opts.env).call("apps.datastore.put", body)
    show(ctx, opts.json_out, answer, answer.get("item", item), f"stored in {body['datastore']}")
