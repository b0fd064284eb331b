"""`slackctl api describe`: one method of the catalog: verb, arguments, scopes, rate tier, docs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import typer

from slackctl.cli.commands.api.common import method_argument
from slackctl.cli.context import Context
from slackctl.cli.output import print_json
from slackctl.cli.verb import Verb
from slackctl.core.api_call import lookup


@dataclass
class DescribeOptions:
    """The options of `slackctl api describe`."""

    name: Annotated[str, method_argument("Web API method.", metavar="METHOD")]
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False


COMMAND = Verb(
    DescribeOptions,
    examples="""
        slackctl api describe chat.postMessage
        slackctl api describe conversations.history --json
    """,
)


def run(ctx: Context, opts: DescribeOptions) -> None:
    info = lookup(opts.name)
    if opts.json_out:
        print_json(ctx.io, info.to_dict())
        return

    def args(spec: dict[str, str]) -> str:
        return ", ".join(f"{n} ({t})" if t else n for n, t in spec.items()) or "none"

    scopes = "; ".join(f"{kind}: {', '.join(s)}" for kind, s in info.scopes.items())
    lines = [
        info.name + ("  [deprecated]" if info.deprecated else ""),
        f"  http:      {info.http_method}" + (" (JSON body accepted)" if info.json_body else " (form or query)"),
        f"  token:     {'required' if info.auth else 'none'}" + (f" — {scopes}" if scopes else ""),
        f"  rate:      {info.tier_label}",
        f"  required:  {args(info.required)}",
        f"  optional:  {args(info.optional)}",
        f"  paginated: {'yes (cursor)' if info.paginated else 'no'}",
        f"  errors:    {', '.join(info.errors) or '-'}",
        f"  docs:      {info.docs_url}",
    ]
    for line in lines:
        ctx.io.out(line)
