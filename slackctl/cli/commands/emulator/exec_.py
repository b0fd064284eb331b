"""`slackctl emulator exec [--app APP] -- COMMAND [ARGS…]`: an unmodified app against the emulator (the proxy,
certificates and child process are devloop/exec.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import typer

from slackctl.cli.context import Context
from slackctl.cli.verb import Verb


@dataclass
class ExecOptions:
    """The options of `slackctl emulator exec`."""

    command: Annotated[list[str], typer.Argument(help="The command to run, after --.", metavar="-- COMMAND [ARGS]…")]
    app_ref: Annotated[
        str | None,
        typer.Option(
            "--app",
            help="App id or name in the emulator (default: the app installed from a manifest, else the default app).",
        ),
    ] = None


COMMAND = Verb(
    ExecOptions,
    help="""Its environment gets SLACK_BOT_TOKEN, SLACK_APP_TOKEN and SLACK_SIGNING_SECRET of APP, and HTTPS_PROXY
    pointing at slackctl's proxy, which answers for slack.com (and the Socket Mode hosts) with a certificate the
    child trusts through SSL_CERT_FILE, REQUESTS_CA_BUNDLE and NODE_EXTRA_CA_CERTS; other hosts are tunnelled. So
    App(token=...) with Slack's default URL and SocketModeHandler(...).start() talk to the emulator. Node apps
    (Bolt JS) too: NODE_OPTIONS gains --require of a preload that sends Slack's hosts through the proxy.
    Exit code: the command's own (128+N when a signal N ended it); 130 after Ctrl-C, which stops the command too.""",
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
    examples="""
        slackctl --slack-url http://127.0.0.1:8787 emulator exec -- .venv/bin/python app.py   # the project's Python
        slackctl emulator exec --app A0EMU00001 -- node app.js
        SLACKCTL_SLACK_URL=http://127.0.0.1:8787 slackctl emulator exec -- .venv/bin/python -m pytest tests/
    """,
)


def run(ctx: Context, opts: ExecOptions) -> int:
    """The command's exit code (128+N when a signal N ended it); 130 after Ctrl-C, which stops the command too."""
    from slackctl.devloop.exec import check_emulator_url, run_app

    command, app_ref = list(opts.command), opts.app_ref
    url = check_emulator_url(ctx.slack_url())
    if command and command[0] == "--":
        command = command[1:]

    def on_event(event: object) -> None:
        from slackctl.emulator.exec.intercept import ProxyEvent

        assert isinstance(event, ProxyEvent)
        if event.kind == "refused":
            ctx.io.warn(f"proxy: {event.host}:{event.port} is not Slack and cannot be reached ({event.detail})")
        elif event.kind == "denied":  # another program (or user) tried the proxy without its credential
            ctx.io.warn(f"proxy: refused a request from {event.host}:{event.port} without the proxy's credential")
        elif ctx.options.verbose:
            ctx.io.err(ctx.io.dim(f"proxy: {event.kind} {event.host}:{event.port} {event.detail}".rstrip()))

    def on_ready(app: object) -> None:
        ctx.io.err(ctx.io.dim(f"emulator exec: app {getattr(app, 'app_id', '?')} at {url}"))

    try:
        code = run_app(
            command,
            emulator_url=url,
            app_ref=app_ref,
            ca_file=ctx.options.ca_bundle,
            on_event=on_event,
            on_ready=on_ready,
        )
    except KeyboardInterrupt:
        ctx.io.err(f"interrupted: stopped {command[0] if command else 'the command'} and its process group")
        return 130
    return code
