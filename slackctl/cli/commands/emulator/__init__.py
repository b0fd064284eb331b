"""`slackctl emulator start`: run the local Slack emulator in the foreground."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

DEFAULT_PORT = 8787

app = typer.Typer(help="Run a local fake Slack for offline development and tests.", no_args_is_help=True)


def register(root: typer.Typer) -> None:
    # The driver verbs (post, command, click, ...), exec and open: typer only at import, their work loaded when run.
    from slackctl.cli.commands.emulator import drive as emulator_drive
    from slackctl.cli.commands.emulator import exec_ as emulator_exec
    from slackctl.cli.commands.emulator import open_ as emulator_open

    emulator_drive.register(app)
    emulator_exec.register(app)
    emulator_open.register(app)
    root.add_typer(app, name="emulator")


@app.command("start")
def start_cmd(
    host: str | None = typer.Option(None, "--host", help="Interface to bind (default 127.0.0.1). "
                                       "Binding beyond loopback exposes tokens and the control surface."),
    port: int = typer.Option(DEFAULT_PORT, "--port", help="Port to listen on; 0 picks a free one."),
    tls: bool = typer.Option(False, "--tls", help="Serve HTTPS with a locally generated CA (path printed)."),
    state: Path | None = typer.Option(None, "--state", help="Keep the emulator's state in this JSON file "
                                         "across restarts."),
    auto_approve: bool = typer.Option(False, "--auto-approve", help="Approve OAuth consent pages at once."),
    seed: Path | None = typer.Option(None, "--seed", help="Seed data file (JSON or TOML)."),
    no_rate_limits: bool = typer.Option(False, "--no-rate-limits", help="Never answer 429."),
    time_scale: float = typer.Option(1.0, "--time-scale", help="Run rate-limit time (and event retry and Socket "
                                     "Mode refresh schedules) this many times faster."),
    cert_dir: Path | None = typer.Option(None, "--cert-dir", help="Where the TLS CA and certificate are "
                                            "cached (default: the user cache dir)."),
    manifest: list[Path] = typer.Option([], "--manifest", help="Install the app of this manifest (JSON or YAML; "
                                        "repeatable); its credentials are printed on stderr."),
    socket_refresh: float | None = typer.Option(None, "--socket-refresh", help="Send Socket Mode connections "
                                                "`disconnect` (refresh_requested) after this many seconds."),
) -> None:
    """Serve until Ctrl-C or SIGTERM. Prints the base URL (and with --tls the CA file) on stdout."""
    from slackctl.cli.commands.emulator.start import run

    code = run(host=host, port=port, tls=tls, state=state, auto_approve=auto_approve, seed=seed,
               rate_limits=not no_rate_limits, time_scale=time_scale, cert_dir=cert_dir, manifests=manifest,
               socket_refresh=socket_refresh)
    if code:
        sys.exit(code)
