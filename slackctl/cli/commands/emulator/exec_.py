"""`slackctl emulator exec [--app APP] -- COMMAND [ARGS…]`: an unmodified app against the emulator."""

from __future__ import annotations

from typing import Annotated

import typer

from slackctl.cli.context import get_context


def register(app: typer.Typer) -> None:
    app.command("exec", context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})(
        exec_command)


def exec_command(
    ctx: typer.Context,
    command: Annotated[list[str], typer.Argument(help="The command to run, after --.", metavar="-- COMMAND [ARGS]…")],
    app_ref: Annotated[str | None, typer.Option("--app", help="App id or name in the emulator (default: the app "
                                                              "installed from a manifest, else the default app).")]
    = None,
) -> None:
    """Run COMMAND against the emulator at --slack-url / SLACKCTL_SLACK_URL, unchanged.

    Its environment gets SLACK_BOT_TOKEN, SLACK_APP_TOKEN and SLACK_SIGNING_SECRET of APP, and HTTPS_PROXY pointing
    at slackctl's proxy, which answers for slack.com (and the Socket Mode hosts) with a certificate the child trusts
    through SSL_CERT_FILE, REQUESTS_CA_BUNDLE and NODE_EXTRA_CA_CERTS; other hosts are tunnelled. So
    App(token=...) with Slack's default URL and SocketModeHandler(...).start() talk to the emulator.
    Exit code: the command's own (128+N when a signal N ended it); 130 after Ctrl-C, which stops the command too.
    """
    from slackctl.devloop.exec import check_emulator_url, run_app

    c = get_context(ctx)
    url = check_emulator_url(c.slack_url())
    if command and command[0] == "--":
        command = command[1:]

    def on_event(event: object) -> None:
        from slackctl.emulator.proxy import ProxyEvent

        assert isinstance(event, ProxyEvent)
        if event.kind == "refused":
            c.io.warn(f"proxy: {event.host}:{event.port} is not Slack and cannot be reached ({event.detail})")
        elif c.options.verbose:
            c.io.err(c.io.dim(f"proxy: {event.kind} {event.host}:{event.port} {event.detail}".rstrip()))

    def on_ready(app: object) -> None:
        c.io.err(c.io.dim(f"emulator exec: app {getattr(app, 'app_id', '?')} at {url}"))

    try:
        code = run_app(command, emulator_url=url, app_ref=app_ref, ca_file=c.options.ca_bundle, on_event=on_event,
                       on_ready=on_ready)
    except KeyboardInterrupt:
        c.io.err(f"interrupted: stopped {command[0] if command else 'the command'} and its process group")
        raise typer.Exit(130) from None
    raise typer.Exit(code)
