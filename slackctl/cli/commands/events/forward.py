"""`slackctl events forward`: credentials, the Socket Mode URL from Slack, and where each delivery's line goes;
the relaying itself is slackctl/devloop/forward.py."""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass
from typing import Annotated

import typer

from slackctl.cli.context import Context
from slackctl.cli.options import env_option
from slackctl.cli.verb import Verb
from slackctl.errors import UsageError
from slackctl.settings import DEFAULT_DEPLOY_ENV


@dataclass
class ForwardOptions:
    """The options of `slackctl events forward`."""

    to: Annotated[str, typer.Option("--to", help="Your app's request URL, e.g. http://localhost:3000/slack/events.")]
    env: Annotated[
        str, env_option("Environment whose deployed app's signing secret to use when SLACK_SIGNING_SECRET is not set.")
    ] = DEFAULT_DEPLOY_ENV
    json_lines: Annotated[bool, typer.Option("--json", help="One JSON object per delivery on stdout.")] = False


COMMAND = Verb(
    ForwardOptions,
    help="""slackctl holds a Socket Mode connection with the app-level token (SLACK_APP_TOKEN, else the profile's app
    token) and POSTs each envelope to --to as Slack would have (events as JSON, commands and interactions
    form-encoded), signed with the signing secret (SLACK_SIGNING_SECRET, else the project's deployed app). The
    app's 2xx answer is the acknowledgement (its body the response payload); other answers are not acknowledged,
    so Slack retries. One line per delivery on stderr (time, kind, type, status, latency), or --json on stdout.
    Works against Slack and the emulator (--slack-url). Exit codes: 130 after Ctrl-C, 2 bad input, 4 no token.""",
    examples="""
        slackctl events forward --to http://127.0.0.1:3000/slack/events
        slackctl events forward --to http://localhost:3000/slack/events --env staging --json
    """,
)


def check_target(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--to {url!r} is not an http(s) URL", "e.g. --to http://localhost:3000/slack/events")
    return url


def run(ctx: Context, opts: ForwardOptions) -> int:
    """Forward until Ctrl-C or SIGTERM; 130 after Ctrl-C (KeyboardInterrupt)."""
    try:
        forward_until_interrupted(ctx, to=opts.to, json_lines=opts.json_lines, env=opts.env)
    except KeyboardInterrupt:
        ctx.io.err("interrupted: stopped forwarding")
        return 130
    return 0


def forward_until_interrupted(c: Context, *, to: str, json_lines: bool, env: str) -> None:
    """Run the forwarder until Ctrl-C or SIGTERM (KeyboardInterrupt, which run() turns into exit 130)."""
    import ssl

    import certifi

    from slackctl.devloop.forward import Delivery, Forwarder
    from slackctl.devloop.secrets import app_token, signing_secret

    check_target(to)
    secret = signing_secret(c, env)
    token = app_token(c)
    client = c.client(token)

    def open_url() -> str:
        response = client.call("apps.connections.open", {}, token=token, idempotent=True)
        return str(response.data["url"])

    def on_delivery(delivery: Delivery) -> None:
        if json_lines:
            c.io.out(json.dumps(delivery.to_json(), separators=(",", ":")))
        else:
            c.io.err(delivery.line())

    ca = c.options.ca_bundle
    context = ssl.create_default_context(cafile=ca or certifi.where())
    forwarder = Forwarder(
        open_url=open_url,
        to=to,
        secret=secret,
        on_delivery=on_delivery,
        on_status=lambda text: c.io.err(c.io.dim(f"[forward] {text}")),
        ssl_context=context,
    )
    try:
        with client:
            forwarder.run()
    finally:
        forwarder.stop.set()
