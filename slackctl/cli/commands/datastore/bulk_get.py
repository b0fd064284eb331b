"""`slackctl datastore bulk-get`: many items by their primary keys, in batches, resending what Slack answers
partial_failure for."""

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
class BulkGetOptions(BulkOptions):
    """The options of `slackctl datastore bulk-get`."""


COMMAND = Verb(
    BulkGetOptions,
    help=with_auth("""The ids come from the JSON's "ids", or one a line (a JSON string, or an item whose primary key is
    read) from --from-file or stdin. Found items are printed as a JSON array; ids the datastore does not hold are
    left out.
    """),
    examples="""
        slackctl datastore bulk-get '{"datastore": "tasks", "ids": ["1", "2"]}'
        slackctl datastore bulk-get '{"datastore": "tasks"}' --from-file ids.jsonl --json
    """,
)


def run(ctx: Context, opts: BulkGetOptions) -> int:
    from slackctl.cli.commands.datastore.common import bulk_ids

    body, ids = bulk_ids(ctx, opts.request, opts.datastore, opts.from_file)
    result = connect(ctx, opts.app, opts.env).bulk("apps.datastore.bulkGet", body, "ids", ids)
    return finish_bulk(ctx, opts.json_out, result, "found", {"items": result.items})
