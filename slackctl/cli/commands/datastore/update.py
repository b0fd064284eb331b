"""`slackctl datastore update`: create an item or merge attributes into it (apps.datastore.update)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from slackctl.cli.commands.datastore.common import AUTH_HELP, DatastoreOptions, connect, show
from slackctl.cli.verb import Verb

if TYPE_CHECKING:
    from slackctl.cli.context import Context

EXAMPLE = '{"datastore": "tasks", "item": {"id": "1", "status": "done"}}'


@dataclass
class UpdateOptions(DatastoreOptions):
    """The options of `slackctl datastore update`."""


COMMAND = Verb(
    UpdateOptions,
    help="Attributes the JSON leaves out keep their values; an item that does not exist is created.\n\n" + AUTH_HELP,
    examples="""
        slackctl datastore update '{"datastore": "tasks", "item": {"id": "1", "status": "done"}}'
        slackctl datastore update --datastore tasks '{"item": {"id": "2", "points": 3}}' --json
    """,
)


def run(ctx: Context, opts: UpdateOptions) -> None:
    from slackctl.core.datastore import parse_request, require

    body = parse_request(opts.request, opts.datastore)
    item = require(body, "item", dict, EXAMPLE)
    answer = connect(ctx, opts.app, opts.env).call("apps.datastore.update", body)
    show(ctx, opts.json_out, answer, answer.get("item", item), f"updated in {body['datastore']}")
