"""`slackctl events verify`: check that the body on stdin carries a given Slack request signature."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import typer

from slackctl.cli.context import Context
from slackctl.cli.options import env_option
from slackctl.cli.verb import Verb
from slackctl.settings import DEFAULT_DEPLOY_ENV


@dataclass
class VerifyOptions:
    """The options of `slackctl events verify`."""

    timestamp: Annotated[str, typer.Option("--timestamp", "-t", help="The X-Slack-Request-Timestamp value.")]
    signature: Annotated[str, typer.Option("--signature", "-s", help="The X-Slack-Signature value (v0=…).")]
    env: Annotated[
        str, env_option("Environment whose deployed app's signing secret to use when SLACK_SIGNING_SECRET is not set.")
    ] = DEFAULT_DEPLOY_ENV
    max_age: Annotated[
        float,
        typer.Option(
            "--max-age", help="Refuse timestamps further than this many seconds from now (replay protection)."
        ),
    ] = 300.0


COMMAND = Verb(
    VerifyOptions,
    examples="""
        printf '%s' "$BODY" | slackctl events verify --timestamp "$TS" --signature "$SIG"
        slackctl events verify -t 1700000000 -s v0=1a2b... --max-age 0 < body.json
    """,
)


def run(ctx: Context, opts: VerifyOptions) -> None:
    """A mismatch or a stale timestamp raises (exit 1); a missing secret or bad input is exit 2."""
    from slackctl.cli.commands.events.sign import stdin_bytes
    from slackctl.devloop import signcheck
    from slackctl.devloop.secrets import signing_secret

    secret = signing_secret(ctx, opts.env)
    signcheck.check(secret, stdin_bytes(ctx), opts.timestamp, opts.signature, opts.max_age)
    ctx.io.success("signature is valid")
