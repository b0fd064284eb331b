"""`slackctl datastore get`: one item by its primary key; Slack answers an empty item for an unknown id."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from slackctl.cli.commands.datastore.common import AUTH_HELP, DatastoreOptions, connect
from slackctl.cli.verb import Verb

if TYPE_CHECKING:
    from slackctl.cli.context import Context


@dataclass
class GetOptions(DatastoreOptions):
    """The options of `slackctl datastore get`."""


COMMAND = Verb(
    GetOptions,
    help="The item is printed as JSON; an id the datastore does not hold prints nothing (exit 0), as Slack "
    "answers it with an empty item.\n\n" + AUTH_HELP,
    examples="""
        slackctl datastore get '{"datastore": "tasks", "id": "1"}'
        slackctl datastore get --datastore tasks '{"id": "1"}' --json
    """,
)


def run(ctx: Context, opts: GetOptions) -> None:
    from slackctl.cli.output import print_json
    from slackctl.core.datastore import parse_request, require

    body = parse_request(opts.request, opts.datastore)
    key = require(body, "id", str, '{"datastore": "tasks", "id": "1"}')
    answer = connect(ctx, opts.app, opts.env).call("apps.datastore.get", body)
    if opts.json_out:
        print_json(ctx.io, answer)
    elif answer.get("item"):
        print_json(ctx.io, answer["item"])
    else:
        ctx.io.err(f"no item '{key}' in {body['datastore']}")
