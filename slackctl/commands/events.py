"""`slackctl events`: sign and verify request bodies as Slack does, and forward Socket Mode envelopes to a URL."""

from __future__ import annotations

from typing import Annotated

import typer

from slackctl import settings
from slackctl.context import get_context

app = typer.Typer(help="Test an app's request handling: sign, verify and forward Slack's requests.",
                  no_args_is_help=True)
EnvOption = Annotated[str, typer.Option("--env", "-e", envvar=settings.ENV_DEPLOY_ENV,
                                        help="Environment whose deployed app's signing secret to use when "
                                             "SLACK_SIGNING_SECRET is not set.")]


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="events")


def _stdin_bytes(ctx: typer.Context) -> bytes:
    from slackctl.devloop.signcheck import read_body

    stdin = get_context(ctx).io.stdin
    return read_body(getattr(stdin, "buffer", stdin))


@app.command("sign")
def sign(
    ctx: typer.Context,
    timestamp: Annotated[str | None, typer.Option("--timestamp", "-t", help="Unix time to sign at "
                                                                            "(default: now).")] = None,
    env: EnvOption = settings.DEFAULT_DEPLOY_ENV,
) -> None:
    """Read a request body on stdin; print the X-Slack-Request-Timestamp and X-Slack-Signature header lines.

    The secret comes from SLACK_SIGNING_SECRET or the project's deployed app, never from argv.
    Example: printf '%s' "$BODY" | slackctl events sign | sed 's/^/-H /' …  Exit codes: 0 signed, 2 no secret.
    """
    from slackctl.devloop import signcheck
    from slackctl.devloop.secrets import signing_secret

    c = get_context(ctx)
    ts = signcheck.parse_timestamp(timestamp)
    secret = signing_secret(c, env)
    for line in signcheck.sign_lines(secret, _stdin_bytes(ctx), ts):
        c.io.out(line)


@app.command("verify")
def verify(
    ctx: typer.Context,
    timestamp: Annotated[str, typer.Option("--timestamp", "-t", help="The X-Slack-Request-Timestamp value.")],
    signature: Annotated[str, typer.Option("--signature", "-s", help="The X-Slack-Signature value (v0=…).")],
    max_age: Annotated[float, typer.Option("--max-age", help="Refuse timestamps further than this many seconds "
                                                             "from now (replay protection).")]
    = 300.0,
    env: EnvOption = settings.DEFAULT_DEPLOY_ENV,
) -> None:
    """Check that the body on stdin carries this signature. Exit codes: 0 it matches, 1 it does not (the reason
    on stderr: wrong secret or body, stale timestamp), 2 bad input or no secret."""
    from slackctl.devloop import signcheck
    from slackctl.devloop.secrets import signing_secret

    c = get_context(ctx)
    secret = signing_secret(c, env)
    signcheck.check(secret, _stdin_bytes(ctx), timestamp, signature, max_age)
    c.io.success("signature is valid")
