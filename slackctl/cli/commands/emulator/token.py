"""`slackctl emulator token [--kind config|bot|user|app] [--app APP] [--json]`: a token of the running emulator, on
stdout only (it is a secret, as with `auth token`), for `SLACK_CONFIG_TOKEN=$(slackctl emulator token)` and
friends. The work is devloop/emulated.py's token()."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import typer

from slackctl.cli.context import Context
from slackctl.cli.verb import Verb


@dataclass
class TokenOptions:
    """The options of `slackctl emulator token`."""

    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="config (an app configuration token, for deploy, manifest and "
            "app), bot, user (ada's) or app (app-level, xapp-).",
        ),
    ] = "config"
    app_ref: Annotated[
        str | None,
        typer.Option(
            "--app", help="App id or name (default: the app installed from a manifest, else the default app)."
        ),
    ] = None
    json: Annotated[
        bool, typer.Option("--json", help="Print JSON with the token, its app, user and (for config) refresh token.")
    ] = False


COMMAND = Verb(
    TokenOptions,
    help="""The emulator is the one at --slack-url / SLACKCTL_SLACK_URL, default http://127.0.0.1:8787. The token
goes to stdout and nowhere else: it is a secret, as with `auth token`. A config token is minted fresh (it rotates:
--json carries its refresh token); bot and app tokens are the app's own.""",
    examples="""
        SLACK_CONFIG_TOKEN=$(slackctl emulator token) slackctl deploy --slack-url http://127.0.0.1:8787
        slackctl emulator token --kind bot --app my-app
        slackctl emulator token --kind config --json
    """,
)


def run(ctx: Context, opts: TokenOptions) -> None:
    import json

    from slackctl import settings
    from slackctl.devloop.emulated import token
    from slackctl.errors import UsageError

    # As the driver verbs: --slack-url / SLACKCTL_SLACK_URL, else where `emulator start` listens by default.
    url = (ctx.options.slack_url or settings.DEFAULT_EMULATOR_URL).rstrip("/")
    if url == settings.DEFAULT_SLACK_URL:
        raise UsageError(
            "emulator token reads a token from an emulator, not from Slack itself",
            f"pass the emulator's URL: --slack-url {settings.DEFAULT_EMULATOR_URL} (or run: slackctl auth token)",
        )
    found = token(url, opts.kind, opts.app_ref, ca_file=ctx.options.ca_bundle)
    if opts.json:
        ctx.io.out_data(json.dumps(found))
        return
    if ctx.io.stdout_is_tty:
        ctx.io.err(
            f"{opts.kind} token of the emulator at {url}"
            + (f" (app {found['app_id']})" if "app_id" in found else "")
            + ":"
        )
    ctx.io.out(found["token"])
