"""`slackctl events sign`: print the X-Slack-Request-Timestamp and X-Slack-Signature lines for a body on stdin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slackctl.cli.context import Context


@dataclass
class SignOptions:
    """The options of `slackctl events sign`."""

    env: str
    timestamp: str | None = None


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
