"""`slackctl auth token`: print the active profile's raw token for scripts: $(slackctl auth token)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import typer

from slackctl.cli.context import Context
from slackctl.cli.verb import Verb
from slackctl.credentials import TokenKind
from slackctl.errors import UsageError


@dataclass
class TokenOptions:
    """The options of `slackctl auth token`."""

    kind: Annotated[str | None, typer.Option("--kind", help="bot, user, app or config.")] = None


COMMAND = Verb(
    TokenOptions,
    examples="""
        curl -H "Authorization: Bearer $(slackctl auth token)" https://slack.com/api/auth.test
        slackctl auth token --kind user
    """,
)


def run(ctx: Context, opts: TokenOptions) -> None:
    if opts.kind is not None and TokenKind.parse(opts.kind) is None:
        raise UsageError(f"unknown --kind '{opts.kind}'", "use one of: " + TokenKind.names())
    resolved = ctx.resolve_token(opts.kind)
    if ctx.io.stdout_is_tty:
        ctx.io.err(f"{resolved.kind} token from {resolved.source}:")
    ctx.io.out(resolved.token)
