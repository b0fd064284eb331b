"""`slackctl events`: the Typer declarations of sign, verify and forward; each verb is events/<verb>.py."""

from __future__ import annotations

from typing import Annotated

import typer

from slackctl import settings
from slackctl.cli.context import get_context

app = typer.Typer(help="Test an app's request handling: sign, verify and forward Slack's requests.",
                  no_args_is_help=True)
EnvOption = Annotated[str, typer.Option("--env", "-e", envvar=settings.ENV_DEPLOY_ENV,
                                        help="Environment whose deployed app's signing secret to use when "
                                             "SLACK_SIGNING_SECRET is not set.")]


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="events")


@app.command("sign")
def sign_cmd(
    ctx: typer.Context,
    timestamp: Annotated[str | None, typer.Option("--timestamp", "-t", help="Unix time to sign at "
                                                                            "(default: now).")] = None,
    env: EnvOption = settings.DEFAULT_DEPLOY_ENV,
) -> None:
    """Read a request body on stdin; print the X-Slack-Request-Timestamp and X-Slack-Signature header lines.

    The secret comes from SLACK_SIGNING_SECRET or the project's deployed app, never from argv.
    Example: printf '%s' "$BODY" | slackctl events sign | sed 's/^/-H /' …  Exit codes: 0 signed, 2 no secret.
    """
    from slackctl.cli.commands.events.sign import SignOptions, run

    run(get_context(ctx), SignOptions(env=env, timestamp=timestamp))


@app.command("verify")
def verify_cmd(
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
    from slackctl.cli.commands.events.verify import VerifyOptions, run

    run(get_context(ctx), VerifyOptions(timestamp=timestamp, signature=signature, env=env, max_age=max_age))


@app.command("forward")
def forward_cmd(
    ctx: typer.Context,
    to: Annotated[str, typer.Option("--to", help="Your app's request URL, e.g. http://localhost:3000/slack/events.")],
    json_lines: Annotated[bool, typer.Option("--json", help="One JSON object per delivery on stdout.")] = False,
    env: EnvOption = settings.DEFAULT_DEPLOY_ENV,
) -> None:
    """Relay Slack's events, slash commands and interactions to a local HTTP app, without a public URL.

    slackctl holds a Socket Mode connection with the app-level token (SLACK_APP_TOKEN, else the profile's app
    token) and POSTs each envelope to --to as Slack would have (events as JSON, commands and interactions
    form-encoded), signed with the signing secret (SLACK_SIGNING_SECRET, else the project's deployed app). The
    app's 2xx answer is the acknowledgement (its body the response payload); other answers are not acknowledged,
    so Slack retries. One line per delivery on stderr (time, kind, type, status, latency), or --json on stdout.
    Works against Slack and the emulator (--slack-url). Exit codes: 130 after Ctrl-C, 2 bad input, 4 no token.
    """
    from slackctl.cli.commands.events.forward import ForwardOptions, run

    code = run(get_context(ctx), ForwardOptions(to=to, env=env, json_lines=json_lines))
    if code:
        raise typer.Exit(code)
