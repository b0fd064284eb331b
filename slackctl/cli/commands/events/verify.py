"""`slackctl events verify`: check that the body on stdin carries a given Slack request signature."""

from __future__ import annotations

from dataclasses import dataclass

from slackctl.cli.context import Context


@dataclass
class VerifyOptions:
    """The options of `slackctl events verify`."""

    timestamp: str
    signature: str
    env: str
    max_age: float = 300.0


def run(ctx: Context, opts: VerifyOptions) -> None:
    """A mismatch or a stale timestamp raises (exit 1); a missing secret or bad input is exit 2."""
    from slackctl.cli.commands.events.sign import stdin_bytes
    from slackctl.devloop import signcheck
    from slackctl.devloop.secrets import signing_secret

    secret = signing_secret(ctx, opts.env)
    signcheck.check(secret, stdin_bytes(ctx), opts.timestamp, opts.signature, opts.max_age)
    ctx.io.success("signature is valid")
