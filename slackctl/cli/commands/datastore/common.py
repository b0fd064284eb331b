"""What the `slackctl datastore` verbs share: their options (declared once here, named in each verb's
dataclass), opening the app's datastores, and writing results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

from slackctl.cli.options import env_option
from slackctl.settings import DEFAULT_DEPLOY_ENV

if TYPE_CHECKING:
    from slackctl.cli.context import Context
    from slackctl.core.datastore import BulkResult, Datastore

Request = Annotated[
    str | None,
    typer.Argument(
        metavar="JSON",
        show_default=False,
        help="Slack's request as one JSON object, as Slack's CLI takes it: datastore, item / items / id / ids, "
        "expression, expression_attributes, expression_values, limit, cursor.",
    ),
]
DatastoreName = Annotated[
    str | None, typer.Option("--datastore", help="The datastore, when the JSON does not name it.")
]
AppId = Annotated[
    str | None,
    typer.Option("--app", help="The app's id (default: the project's deployed app for --env; a user token needs it)."),
]
Env = Annotated[str, env_option("The project environment whose deployed app to use.")]
JsonOut = Annotated[bool, typer.Option("--json", help="Print Slack's whole answer as JSON.")]
FromFile = Annotated[
    str | None,
    typer.Option("--from-file", help="Read JSON lines from this file (default: stdin, when it is not a terminal)."),
]


@dataclass
class DatastoreOptions:
    """The options every datastore verb takes: Slack CLI's JSON argument, the datastore, and which app."""

    request: Request = None
    datastore: DatastoreName = None
    app: AppId = None
    env: Env = DEFAULT_DEPLOY_ENV
    json_out: JsonOut = False


@dataclass
class BulkOptions(DatastoreOptions):
    """The bulk verbs' options: also JSON lines from a file (or stdin)."""

    from_file: FromFile = None


AUTH_HELP = """Authentication: SLACK_TOKEN or SLACK_BOT_TOKEN (a bot token with datastore:read / datastore:write),
else the profile's bot token; a user token needs the app (--app, or the project's deployed app). Datastores
exist only for apps on Slack's runtime (function_runtime: slack): other apps get app_not_hosted. Exit codes: 0
done, 1 Slack refused (or items still failed after retries), 2 bad argument, 3 network, 4 authentication."""


def with_auth(text: str) -> str:
    """A verb's own help followed by what every datastore verb says about authentication and exit codes."""
    import inspect

    return inspect.cleandoc(text) + "\n\n" + AUTH_HELP


def connect(ctx: Context, app_id: str | None, env: str) -> Datastore:
    from slackctl.core.datastore import open_datastore

    datastore = open_datastore(ctx, app_id, env)
    datastore.on_retry = lambda count, method: ctx.io.warn(
        f"Slack answered partial_failure: sending {count} item{'s' if count != 1 else ''} again ({method})"
    )
    return datastore


def lines_or_stdin(ctx: Context, from_file: str | None) -> list[Any]:
    """JSON lines from --from-file, else from stdin when something is piped in; [] otherwise."""
    from slackctl.core.datastore import read_file_lines, read_lines

    if from_file:
        return read_file_lines(from_file)
    if ctx.io.stdin_is_tty:
        return []
    return read_lines(ctx.io.stdin, "stdin")


def show(ctx: Context, json_out: bool, answer: dict[str, Any], data: Any, message: str) -> None:
    """--json: Slack's answer; else the data on stdout (when there is some) and MESSAGE for people."""
    from slackctl.cli.output import print_json

    if json_out:
        print_json(ctx.io, answer)
        return
    if data is not None:
        print_json(ctx.io, data)
    ctx.io.success(message)


def finish_bulk(
    ctx: Context, json_out: bool, result: BulkResult, done: str, extra: dict[str, Any] | None = None
) -> int:
    """Report a bulk call: exit 1 with the items Slack refused or that still failed (on stdout, one JSON line
    each, ready for --from-file once fixed), their reasons on stderr."""
    from slackctl.cli.output import dumps_compact, print_json
    from slackctl.core.datastore import ATTEMPTS

    refused = [item for item, _reason in result.refused]
    if json_out:
        print_json(
            ctx.io,
            {
                "datastore": result.datastore,
                **(extra or {}),
                "failed_items": result.failed,
                "refused": [{"item": item, "reason": reason} for item, reason in result.refused],
            },
        )
    elif extra:
        for value in extra.values():
            print_json(ctx.io, value)
    if result.done or not (result.failed or refused):
        ctx.io.success(f"{done} {result.done} in {result.datastore}")
    if not json_out:
        for value in refused + result.failed:
            ctx.io.out_data(dumps_compact(value))
    for item, reason in result.refused[:3]:
        ctx.io.error(f"refused {dumps_compact(item)[:80]}: {reason}")
    if len(result.refused) > 3:
        ctx.io.error(f"… and {len(result.refused) - 3} more refused")
    if result.failed:
        ctx.io.error(
            f"{len(result.failed)} still failed after {ATTEMPTS} attempts (partial_failure); they are on "
            "stdout: send them again with --from-file"
        )
    return 1 if result.failed or refused else 0


def bulk_ids(
    ctx: Context, request: str | None, datastore: str | None, from_file: str | None
) -> tuple[dict[str, Any], list[str]]:
    """The request body and the ids: the JSON's "ids", else JSON lines (ids, or items read by primary key)."""
    from slackctl.core.datastore import keys_of, parse_request, primary_key
    from slackctl.errors import UsageError

    body = parse_request(request, datastore)
    ids = body.pop("ids", None)
    if ids is not None and from_file:
        raise UsageError('give the ids once: in "ids" or with --from-file', "drop one of them")
    if ids is None:
        lines = lines_or_stdin(ctx, from_file)
        ids = keys_of(lines, primary_key(body["datastore"])) if lines else []
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i for i in ids):
        raise UsageError(
            "no ids (a list of strings)",
            'add "ids": ["1", "2"] to the JSON, or give JSON lines with --from-file or on stdin',
        )
    return body, ids
