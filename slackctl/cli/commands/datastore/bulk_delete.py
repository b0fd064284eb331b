"""`slackctl datastore bulk-delete`: delete many items by their primary keys, in batches, resending what Slack answers
partial_failure for."""

# ruff: noqa: E501 - an example is one whole command line, however long Slack's JSON makes it

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from slackctl.cli.commands.datastore.common import (
    BulkOptions,
    connect,
    finish_bulk,
    with_auth,
)
from slackctl.cli.verb import Verb

if TYPE_CHECKING:
    from slackctl.cli.context import Context


@dataclass
class BulkDeleteOptions(BulkOptions):
    """The options of `slackctl datastore bulk-delete`."""


COMMAND = Verb(
    BulkDeleteOptions,
    help=with_auth("""The ids come from the JSON's "ids", or one a line (a JSON string, or an item whose primary key is
    read) from --from-file or stdin, so `datastore query --jsonl` output can be deleted. Ids the datastore does
    not hold are fine.
    """),
    examples="""
        slackctl datastore bulk-delete '{"datastore": "tasks", "ids": ["1", "2"]}'
        # delete every closed task
        slackctl datastore query '{"datastore": "tasks", "expression": "#s = :s", "expression_attributes": {"#s": "status"}, "expression_values": {":s": "closed"}}' --jsonl | slackctl datastore bulk-delete --datastore tasks
    """,
)


def run(ctx: Context, opts: BulkDeleteOptions) -> int:
    from slackctl.cli.commands.datastore.common import bulk_ids

    body, ids = bulk_ids(ctx, opts.request, opts.datastore, opts.from_file)
    result = connect(ctx, opts.app, opts.env).bulk("apps.datastore.bulkDelete", body, "ids", ids)
    return finish_bulk(ctx, opts.json_out, result, "deleted")
