"""`slackctl emulator exec [--app APP] -- COMMAND [ARGS…]`: an unmodified app against the emulator (the proxy,
certificates and child process are devloop/exec.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from slackctl.cli.context import Context


@dataclass
class ExecOptions:
    """The options of `slackctl emulator exec`."""

    command: list[str] = field(default_factory=list)
    app_ref: str | None = None


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
        elif ctx.options.verbose:
            ctx.io.err(ctx.io.dim(f"proxy: {event.kind} {event.host}:{event.port} {event.detail}".rstrip()))

    def on_ready(app: object) -> None:
        ctx.io.err(ctx.io.dim(f"emulator exec: app {getattr(app, 'app_id', '?')} at {url}"))

    try:
        code = run_app(command, emulator_url=url, app_ref=app_ref, ca_file=ctx.options.ca_bundle, on_event=on_event,
                       on_ready=on_ready)
    except KeyboardInterrupt:
        ctx.io.err(f"interrupted: stopped {command[0] if command else 'the command'} and its process group")
        return 130
    return code
