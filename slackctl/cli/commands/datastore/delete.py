"""`slackctl datastore delete`: one item by its primary key (Slack answers ok whether or not it was there)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from slackctl.cli.commands.datastore.common import AUTH_HELP, DatastoreOptions, connect, show
from slackctl.cli.verb import Verb

if TYPE_CHECKING:
    from slackctl.cli.context import Context


@dataclass
class DeleteOptions(DatastoreOptions):
    """The options of `slackctl datastore delete`."""


COMMAND = Verb(
    DeleteOptions,
    help=AUTH_HELP,
    examples="""
        slackctl datastore delete '{"datastore": "tasks", "id": "1"}'
        slackctl datastore delete --datastore tasks '{"id": "1"}' --json
    """,
)


def run(ctx: Context, opts: DeleteOptions) -> None:
    from slackctl.core.datastore import parse_request, require

    body = parse_request(opts.request, opts.datastore)
    key = require(body, "id", str, '{"datastore": "tasks", "id": "1"}')
    answer = connect(ctx, opts.app, opts.env).call("apps.datastore.delete", body)
    show(ctx, opts.json_out, answer, None, f"deleted '{key}' from {body['datastore']}")
