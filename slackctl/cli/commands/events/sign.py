"""`slackctl events sign`: print the X-Slack-Request-Timestamp and X-Slack-Signature lines for a body on stdin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import typer

from slackctl.cli.context import Context
from slackctl.cli.options import env_option
from slackctl.cli.verb import Verb
from slackctl.settings import DEFAULT_DEPLOY_ENV


@dataclass
class SignOptions:
    """The options of `slackctl events sign`."""

    env: Annotated[
        str, env_option("Environment whose deployed app's signing secret to use when SLACK_SIGNING_SECRET is not set.")
    ] = DEFAULT_DEPLOY_ENV
    timestamp: Annotated[str | None, typer.Option("--timestamp", "-t", help="Unix time to sign at (default: now).")] = (
        None
    )


COMMAND = Verb(
    SignOptions,
    help="""The secret comes from SLACK_SIGNING_SECRET or the project's deployed app, never from argv.
    Exit codes: 0 signed, 2 no secret.""",
    examples="""
        printf '%s' "$BODY" | slackctl events sign
        printf '%s' "$BODY" | slackctl events sign --timestamp 1700000000 --env staging
    """,
)


def stdin_bytes(ctx: Context) -> bytes:
    """The request body on stdin, as bytes (the signature covers the exact bytes)."""
    from slackctl.devloop.signcheck import read_body

    stdin: Any = ctx.io.stdin
    return read_body(stdin.buffer if hasattr(stdin, "buffer") else stdin)


def run(ctx: Context, opts: SignOptions) -> None:
    """The secret comes from SLACK_SIGNING_SECRET or the project's deployed app, never from argv."""
    from slackctl.devloop import signcheck
    from slackctl.devloop.secrets import signing_secret

    ts = signcheck.parse_timestamp(opts.timestamp)
    secret = signing_secret(ctx, opts.env)
    for line in signcheck.sign_lines(secret, stdin_bytes(ctx), ts):
        ctx.io.out(line)
