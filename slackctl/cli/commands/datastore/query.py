"""`slackctl datastore query`: items an expression matches, one page (Slack's answer) or every page (--jsonl)."""

# ruff: noqa: E501 - an example is one whole command line, however long Slack's JSON makes it

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.commands.datastore.common import DatastoreOptions, connect, with_auth
from slackctl.cli.verb import Verb

if TYPE_CHECKING:
    from slackctl.cli.context import Context


@dataclass
class QueryOptions(DatastoreOptions):
    """The options of `slackctl datastore query`."""

    jsonl: Annotated[
        bool,
        typer.Option(
            "--jsonl", help="Follow next_cursor to the end, printing each item as one JSON line as pages arrive."
        ),
    ] = False


COMMAND = Verb(
    QueryOptions,
    help=with_auth("""Expressions are DynamoDB filter expressions: =, <>, <, <=, >, >=, BETWEEN :a AND :b, IN (...),
    begins_with(#n, :v), contains(#n, :v), attribute_exists(#n), attribute_not_exists(#n), size(#n), NOT, AND, OR
    and parentheses, with #names from expression_attributes and :values from expression_values. A query scans
    `limit` items (default 100) and filters them, so a page can hold fewer matches and still have a next_cursor:
    --jsonl follows it to the end.
    """),
    examples="""
        slackctl datastore query '{"datastore": "tasks", "expression": "#status = :s", "expression_attributes": {"#status": "status"}, "expression_values": {":s": "open"}}'
        slackctl datastore query '{"datastore": "tasks", "limit": 10}' --json
        slackctl datastore query '{"datastore": "tasks"}' --jsonl > tasks.jsonl
    """,
)


def run(ctx: Context, opts: QueryOptions) -> None:
    from slackctl.cli.output import dumps_compact, print_json
    from slackctl.core.datastore import parse_request
    from slackctl.errors import UsageError

    if opts.jsonl and opts.json_out:
        raise UsageError("--json and --jsonl cannot be combined", "--jsonl prints every item, one a line")
    body = parse_request(opts.request, opts.datastore)
    datastore = connect(ctx, opts.app, opts.env)
    if opts.jsonl:
        total = 0
        for page in datastore.query_pages(body):
            for item in page.get("items") or []:
                ctx.io.out_data(dumps_compact(item))
                total += 1
        ctx.io.success(f"{total} items from {body['datastore']}")
        return
    answer = datastore.call("apps.datastore.query", body)
    if opts.json_out:
        print_json(ctx.io, answer)
        return
    items = answer.get("items") or []
    print_json(ctx.io, items)
    ctx.io.success(f"{len(items)} items from {body['datastore']}")
    cursor = (answer.get("response_metadata") or {}).get("next_cursor")
    if cursor:
        ctx.io.err(f'more pages: add "cursor": "{cursor}" to the JSON, or use --jsonl for every item')
