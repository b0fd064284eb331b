"""`slackctl emulator post|command|shortcut|click|submit|close-view|open-home|assistant-thread|react|messages|views`:
drive a user of a running emulator (at --slack-url / SLACKCTL_SLACK_URL) through its control surface; JSON on stdout."""

from __future__ import annotations

from typing import Any

import typer

APP = typer.Option(None, "--app", help="App id or name (default: the one app with an App Home).")
AS_USER = typer.Option("ada", "--as", help="The user acting: a name (ada) or an id (U0EMU00001).")
DEFAULT_URL = "http://127.0.0.1:8787"


def drive(url: str | None, verb: str, body: dict[str, Any]) -> Any:
    """POST /_emulator/drive/VERB; the result, or a SlackctlError (exit 1 not acknowledged, 2 bad input, 3 no
    emulator)."""
    import json

    from slackctl.errors import ExitCode, NetworkError, SlackctlError, UsageError
    from slackctl.slack.transport import request

    base = (url or DEFAULT_URL).rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise UsageError(f"--slack-url {base} is not an http(s) URL", "for example --slack-url http://127.0.0.1:8787")
    data = json.dumps({k: v for k, v in body.items() if v is not None}).encode()
    try:
        # The emulator runs on this machine: no corporate proxy in between (trust_env=False).
        resp = request("POST", f"{base}/_emulator/drive/{verb}", headers={"Content-Type": "application/json"},
                       body=data, timeout=15, what="the emulator's control surface", trust_env=False)
    except NetworkError as exc:
        raise NetworkError(f"cannot reach the emulator at {base}: {exc.message}",
                           "start it with: slackctl emulator start (or pass --slack-url)") from None
    try:
        answer = json.loads(resp.content)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise NetworkError(f"the emulator at {base} answered HTTP {resp.status_code}, not JSON",
                           "is it a slackctl emulator? start one: slackctl emulator start")
    if not answer.get("ok"):
        message = str(answer.get("message") or answer.get("error") or "the emulator refused the request")
        if answer.get("error") == "not_acknowledged":
            raise SlackctlError(message, "check the app's logs; GET /_emulator/deliveries shows each attempt",
                                exit_code=ExitCode.API_ERROR)
        raise UsageError(message, f"see: slackctl emulator {verb} --help")
    return answer["result"]


def _url(ctx: typer.Context) -> str | None:
    """The global --slack-url / SLACKCTL_SLACK_URL (hoisted to the root command by argv.py)."""
    from slackctl.cli.context import get_context

    return get_context(ctx).options.slack_url


def _print(value: Any) -> None:
    import json

    typer.echo(json.dumps(value, ensure_ascii=False))


def register(app: typer.Typer) -> None:
    @app.command("post")
    def post(ctx: typer.Context,
             channel: str = typer.Argument(..., help="#name, an id, or @NAME for a DM with NAME (or the app)."),
             text: str = typer.Argument(...), as_user: str = AS_USER,
             thread: str | None = typer.Option(None, "--thread", help="Reply in the thread of this ts.")) -> None:
        """Post TEXT as the user; prints the message (with ts) once the apps acknowledged the events."""
        _print(drive(_url(ctx), "post", {"user": as_user, "channel": channel, "text": text, "thread": thread}))

    @app.command("command")
    def command(ctx: typer.Context, name: str = typer.Argument(..., help="The slash command, e.g. /deploy."),
                text: str = typer.Argument("", help="The text after the command."),
                channel: str = typer.Option("#general", "--channel"), as_user: str = AS_USER) -> None:
        """Run a slash command; prints the app's acknowledgement and response."""
        _print(drive(_url(ctx), "command", {"user": as_user, "name": name, "text": text, "channel": channel}))

    @app.command("shortcut")
    def shortcut(ctx: typer.Context, callback_id: str = typer.Argument(...),
                 message: str | None = typer.Option(None, "--message", help="CHANNEL:TS for a message shortcut."),
                 as_user: str = AS_USER) -> None:
        """Use a global shortcut (or a message shortcut with --message)."""
        _print(drive(_url(ctx), "shortcut", {"user": as_user, "callback_id": callback_id, "message": message}))

    @app.command("click")
    def click(ctx: typer.Context, action_id: str = typer.Argument(...),
              message: str | None = typer.Option(None, "--message", help="CHANNEL:TS of the message."),
              view: str | None = typer.Option(None, "--view", help="The view's id (V...)."),
              value: str | None = typer.Option(None, "--value", help="The value picked (selects, buttons)."),
              as_user: str = AS_USER) -> None:
        """Click a button (or pick in a select) in a message or a view."""
        _print(drive(_url(ctx), "click", {"user": as_user, "action_id": action_id, "message": message,
                                          "view": view, "value": value}))

    @app.command("submit")
    def submit(ctx: typer.Context, view_id: str = typer.Argument(...),
               value: list[str] = typer.Option([], "--value", help="BLOCK_ID.ACTION_ID=VALUE (repeatable)."),
               as_user: str = AS_USER) -> None:
        """Submit a modal with the given input values."""
        from slackctl.errors import UsageError

        values = {}
        for item in value:
            key, sep, val = item.partition("=")
            if not sep or not key:
                raise UsageError(f"--value {item!r} must be BLOCK_ID.ACTION_ID=VALUE", "e.g. --value title.t=Hi")
            values[key] = val
        _print(drive(_url(ctx), "submit", {"user": as_user, "view_id": view_id, "values": values}))

    @app.command("close-view")
    def close_view(ctx: typer.Context, view_id: str = typer.Argument(...), as_user: str = AS_USER) -> None:
        """Close a modal as the user would (view_closed for notify_on_close views)."""
        _print(drive(_url(ctx), "close-view", {"user": as_user, "view_id": view_id}))

    @app.command("open-home")
    def open_home(ctx: typer.Context, as_user: str = AS_USER, app_ref: str | None = APP) -> None:
        """Open the app's App Home (app_home_opened)."""
        _print(drive(_url(ctx), "open-home", {"user": as_user, "app": app_ref}))

    @app.command("assistant-thread")
    def assistant_thread(ctx: typer.Context, as_user: str = AS_USER, app_ref: str | None = APP,
                         context: str | None = typer.Option(None, "--context", help="The channel the user is in.")
                         ) -> None:
        """Start a thread in the app's assistant container (assistant_thread_started)."""
        _print(drive(_url(ctx), "assistant-thread", {"user": as_user, "app": app_ref, "context_channel": context}))

    @app.command("react")
    def react(ctx: typer.Context, channel: str = typer.Argument(...), ts: str = typer.Argument(...),
              name: str = typer.Argument(...),
              as_user: str = AS_USER) -> None:
        """Add reaction NAME to the message at TS."""
        _print(drive(_url(ctx), "react", {"user": as_user, "channel": channel, "ts": ts, "name": name}))

    @app.command("messages")
    def messages(ctx: typer.Context, channel: str = typer.Argument(...), as_user: str = AS_USER) -> None:
        """What the user sees in CHANNEL: one JSON object a line, oldest first (ephemeral ones marked)."""
        for message in drive(_url(ctx), "messages", {"user": as_user, "channel": channel}):
            _print(message)

    @app.command("views")
    def views(ctx: typer.Context, as_user: str = AS_USER, app_ref: str | None = APP) -> None:
        """The user's App Home and open modals: {"home": VIEW|null, "modals": [...]} (top last)."""
        _print(drive(_url(ctx), "views", {"user": as_user, "app": app_ref}))
