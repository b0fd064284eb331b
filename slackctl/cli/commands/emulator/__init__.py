"""`slackctl emulator`: the Typer declarations of start, the driver verbs (post, command, click, ...), exec and
open; each verb's work is emulator/<verb>.py (the driver verbs share drive.py), imported when it runs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.context import get_context
from slackctl.settings import DEFAULT_EMULATOR_PORT

if TYPE_CHECKING:
    from slackctl.cli.commands.emulator.drive import DriveOptions


app = typer.Typer(help="Run a local fake Slack for offline development and tests.", no_args_is_help=True)
APP = typer.Option(None, "--app", help="App id or name (default: the one app with an App Home).")
AS_USER = typer.Option("ada", "--as", help="The user acting: a name (ada) or an id (U0EMU00001).")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="emulator")


@app.command("start")
def start_cmd(
    ctx: typer.Context,
    host: str | None = typer.Option(None, "--host", help="Interface to bind (default 127.0.0.1). "
                                       "Binding beyond loopback exposes tokens and the control surface."),
    port: int = typer.Option(DEFAULT_EMULATOR_PORT, "--port", help="Port to listen on; 0 picks a free one."),
    tls: bool = typer.Option(False, "--tls", help="Serve HTTPS with a locally generated CA (path printed)."),
    state: Path | None = typer.Option(None, "--state", help="Keep the emulator's state in this JSON file "
                                         "across restarts."),
    auto_approve: bool = typer.Option(False, "--auto-approve", help="Approve OAuth consent pages at once."),
    seed: Path | None = typer.Option(None, "--seed", help="Seed data file (JSON or TOML)."),
    no_rate_limits: bool = typer.Option(False, "--no-rate-limits", help="Never answer 429."),
    time_scale: float = typer.Option(1.0, "--time-scale", help="Run rate-limit time (and event retry and Socket "
                                     "Mode refresh schedules) this many times faster."),
    date_offset: float = typer.Option(0.0, "--date-offset", help="Skew the Date header of every answer by this "
                                      "many seconds (to test clock checks such as slackctl doctor's)."),
    cert_dir: Path | None = typer.Option(None, "--cert-dir", help="Where the TLS CA and certificate are "
                                            "cached (default: the user cache dir)."),
    manifest: list[Path] = typer.Option([], "--manifest", help="Install the app of this manifest (JSON or YAML; "
                                        "repeatable); its credentials are printed on stderr."),
    socket_refresh: float | None = typer.Option(None, "--socket-refresh", help="Send Socket Mode connections "
                                                "`disconnect` (refresh_requested) after this many seconds."),
) -> None:
    """Serve until Ctrl-C or SIGTERM. Prints the base URL (and with --tls the CA file) on stdout."""
    from slackctl.cli.commands.emulator.start import StartOptions, run
    from slackctl.cli.context import get_context

    opts = StartOptions(host=host, port=port, tls=tls, state=state, auto_approve=auto_approve, seed=seed,
                        rate_limits=not no_rate_limits, time_scale=time_scale, cert_dir=cert_dir,
                        manifests=list(manifest), socket_refresh=socket_refresh, date_offset=date_offset)
    code = run(get_context(ctx), opts)
    if code:
        sys.exit(code)


# The driver verbs: a user of the running emulator acts; each verb's body is a dataclass of emulator/drive.py.
def _drive(ctx: typer.Context, opts: DriveOptions) -> None:
    from slackctl.cli.commands.emulator.drive import run

    run(get_context(ctx), opts)


@app.command("post")
def post_cmd(ctx: typer.Context,
             channel: str = typer.Argument(..., help="#name, an id, or @NAME for a DM with NAME (or the app)."),
             text: str = typer.Argument(...), as_user: str = AS_USER,
             thread: str | None = typer.Option(None, "--thread", help="Reply in the thread of this ts.")) -> None:
    """Post TEXT as the user; prints the message (with ts) once the apps acknowledged the events."""
    from slackctl.cli.commands.emulator.drive import PostOptions

    _drive(ctx, PostOptions(channel=channel, text=text, as_user=as_user, thread=thread))


@app.command("command")
def command_cmd(ctx: typer.Context, name: str = typer.Argument(..., help="The slash command, e.g. /deploy."),
                text: str = typer.Argument("", help="The text after the command."),
                channel: str = typer.Option("#general", "--channel"), as_user: str = AS_USER) -> None:
    """Run a slash command; prints the app's acknowledgement and response."""
    from slackctl.cli.commands.emulator.drive import CommandOptions

    _drive(ctx, CommandOptions(name=name, text=text, channel=channel, as_user=as_user))


@app.command("shortcut")
def shortcut_cmd(ctx: typer.Context, callback_id: str = typer.Argument(...),
                 message: str | None = typer.Option(None, "--message", help="CHANNEL:TS for a message shortcut."),
                 as_user: str = AS_USER) -> None:
    """Use a global shortcut (or a message shortcut with --message)."""
    from slackctl.cli.commands.emulator.drive import ShortcutOptions

    _drive(ctx, ShortcutOptions(callback_id=callback_id, message=message, as_user=as_user))


@app.command("click")
def click_cmd(ctx: typer.Context, action_id: str = typer.Argument(...),
              message: str | None = typer.Option(None, "--message", help="CHANNEL:TS of the message."),
              view: str | None = typer.Option(None, "--view", help="The view's id (V...)."),
              value: str | None = typer.Option(None, "--value", help="The value picked (selects, buttons)."),
              as_user: str = AS_USER) -> None:
    """Click a button (or pick in a select) in a message or a view."""
    from slackctl.cli.commands.emulator.drive import ClickOptions

    _drive(ctx, ClickOptions(action_id=action_id, message=message, view=view, value=value, as_user=as_user))


@app.command("submit")
def submit_cmd(ctx: typer.Context, view_id: str = typer.Argument(...),
               value: list[str] = typer.Option([], "--value", help="BLOCK_ID.ACTION_ID=VALUE (repeatable)."),
               as_user: str = AS_USER) -> None:
    """Submit a modal with the given input values."""
    from slackctl.cli.commands.emulator.drive import SubmitOptions

    _drive(ctx, SubmitOptions(view_id=view_id, value=list(value), as_user=as_user))


@app.command("close-view")
def close_view_cmd(ctx: typer.Context, view_id: str = typer.Argument(...), as_user: str = AS_USER) -> None:
    """Close a modal as the user would (view_closed for notify_on_close views)."""
    from slackctl.cli.commands.emulator.drive import CloseViewOptions

    _drive(ctx, CloseViewOptions(view_id=view_id, as_user=as_user))


@app.command("open-home")
def open_home_cmd(ctx: typer.Context, as_user: str = AS_USER, app_ref: str | None = APP) -> None:
    """Open the app's App Home (app_home_opened)."""
    from slackctl.cli.commands.emulator.drive import OpenHomeOptions

    _drive(ctx, OpenHomeOptions(as_user=as_user, app_ref=app_ref))


@app.command("assistant-thread")
def assistant_thread_cmd(ctx: typer.Context, as_user: str = AS_USER, app_ref: str | None = APP,
                         context: str | None = typer.Option(None, "--context", help="The channel the user is in.")
                         ) -> None:
    """Start a thread in the app's assistant container (assistant_thread_started)."""
    from slackctl.cli.commands.emulator.drive import AssistantThreadOptions

    _drive(ctx, AssistantThreadOptions(as_user=as_user, app_ref=app_ref, context=context))


@app.command("react")
def react_cmd(ctx: typer.Context, channel: str = typer.Argument(...), ts: str = typer.Argument(...),
              name: str = typer.Argument(...),
              as_user: str = AS_USER) -> None:
    """Add reaction NAME to the message at TS."""
    from slackctl.cli.commands.emulator.drive import ReactOptions

    _drive(ctx, ReactOptions(channel=channel, ts=ts, name=name, as_user=as_user))


@app.command("messages")
def messages_cmd(ctx: typer.Context, channel: str = typer.Argument(...), as_user: str = AS_USER) -> None:
    """What the user sees in CHANNEL: one JSON object a line, oldest first (ephemeral ones marked)."""
    from slackctl.cli.commands.emulator.drive import MessagesOptions

    _drive(ctx, MessagesOptions(channel=channel, as_user=as_user))


@app.command("views")
def views_cmd(ctx: typer.Context, as_user: str = AS_USER, app_ref: str | None = APP) -> None:
    """The user's App Home and open modals: {"home": VIEW|null, "modals": [...]} (top last)."""
    from slackctl.cli.commands.emulator.drive import ViewsOptions

    _drive(ctx, ViewsOptions(as_user=as_user, app_ref=app_ref))


@app.command("exec", context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
def exec_cmd(
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
    App(token=...) with Slack's default URL and SocketModeHandler(...).start() talk to the emulator. Node apps
    (Bolt JS) too: NODE_OPTIONS gains --require of a preload that sends Slack's hosts through the proxy.
    Exit code: the command's own (128+N when a signal N ended it); 130 after Ctrl-C, which stops the command too.
    """
    from slackctl.cli.commands.emulator.exec_ import ExecOptions, run

    raise typer.Exit(run(get_context(ctx), ExecOptions(command=command, app_ref=app_ref)))


@app.command("open")
def open_cmd(ctx: typer.Context,
             print_url: bool = typer.Option(False, "--print-url", help="Print the URL on stdout instead of "
                                            "opening a browser."),
             as_user: str | None = typer.Option(None, "--as", help="Show the page as this user (ada, grace, …)."),
             channel: str | None = typer.Option(None, "--channel", help="Open this channel (#name or id).")
             ) -> None:
    """Open the web UI of the emulator at --slack-url / SLACKCTL_SLACK_URL (default http://127.0.0.1:8787)."""
    from slackctl.cli.commands.emulator.open_ import OpenOptions, run

    run(get_context(ctx), OpenOptions(print_url=print_url, as_user=as_user, channel=channel))
