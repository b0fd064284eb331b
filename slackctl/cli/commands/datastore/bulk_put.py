"""`slackctl datastore bulk-put`: create or replace many items, in batches of 25, resending what Slack answers
partial_failure for."""

# ruff: noqa: E501 - an example is one whole command line, however long Slack's JSON makes it

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from slackctl.cli.commands.datastore.common import (
    BulkOptions,
    connect,
    finish_bulk,
    lines_or_stdin,
    with_auth,
)
from slackctl.cli.verb import Verb

if TYPE_CHECKING:
    from slackctl.cli.context import Context


@dataclass
class BulkPutOptions(BulkOptions):
    """The options of `slackctl datastore bulk-put`."""


COMMAND = Verb(
    BulkPutOptions,
    help=with_auth("""The items come from the JSON's "items", or one a line from --from-file or stdin (so `datastore query
    --jsonl` output can be put back). Items Slack still refuses after retries are printed one a line on stdout
    (exit 1).
    """),
    examples="""
        slackctl datastore bulk-put '{"datastore": "tasks", "items": [{"id": "1", "title": "Write docs"}, {"id": "2", "title": "Review"}]}'
        slackctl datastore bulk-put '{"datastore": "tasks"}' --from-file tasks.jsonl
        # copy one datastore into another
        slackctl datastore query '{"datastore": "tasks"}' --jsonl | slackctl datastore bulk-put --datastore archive
    """,
)


def run(ctx: Context, opts: BulkPutOptions) -> int:
    from slackctl.core.datastore import parse_request
    from slackctl.errors import UsageError

    body = parse_request(opts.request, opts.datastore)
    items = body.pop("items", None)
    if items is not None and opts.from_file:
        raise UsageError('give the items once: in "items" or with --from-file', "drop one of them")
    if items is None:
        items = lines_or_stdin(ctx, opts.from_file)
    if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
        raise UsageError(
            "no items to put (a list of JSON objects)",
            'add "items": [...] to the JSON, or give JSON lines with --from-file or on stdin',
        )
    result = connect(ctx, opts.app, opts.env).bulk("apps.datastore.bulkPut", body, "items", items)
    return finish_bulk(ctx, opts.json_out, result, "stored")
