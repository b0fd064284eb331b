"""The work behind `slackctl emulator start`: build, announce, serve until a signal, shut down cleanly."""

from __future__ import annotations

import errno
import signal
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.context import Context
from slackctl.cli.verb import Verb
from slackctl.errors import UsageError
from slackctl.settings import DEFAULT_EMULATOR_PORT

if TYPE_CHECKING:
    from slackctl.emulator import Emulator


@dataclass
class StartOptions:
    """The options of `slackctl emulator start`."""

    host: Annotated[
        str | None,
        typer.Option(
            "--host",
            help="Interface to bind (default 127.0.0.1). Binding beyond "
            "loopback exposes tokens and the control surface.",
        ),
    ] = None
    port: Annotated[int, typer.Option("--port", help="Port to listen on; 0 picks a free one.")] = DEFAULT_EMULATOR_PORT
    tls: Annotated[bool, typer.Option("--tls", help="Serve HTTPS with a locally generated CA (path printed).")] = False
    state: Annotated[
        Path | None, typer.Option("--state", help="Keep the emulator's state in this JSON file across restarts.")
    ] = None
    auto_approve: Annotated[bool, typer.Option("--auto-approve", help="Approve OAuth consent pages at once.")] = False
    seed: Annotated[Path | None, typer.Option("--seed", help="Seed data file (JSON or TOML).")] = None
    no_rate_limits: Annotated[bool, typer.Option("--no-rate-limits", help="Never answer 429.")] = False
    time_scale: Annotated[
        float,
        typer.Option(
            "--time-scale",
            help="Run rate-limit time (and event retry and Socket Mode refresh schedules) this many times faster.",
        ),
    ] = 1.0
    date_offset: Annotated[
        float,
        typer.Option(
            "--date-offset",
            help="Skew the Date header of every answer by this "
            "many seconds (to test clock checks such as "
            "slackctl doctor's).",
        ),
    ] = 0.0
    cert_dir: Annotated[
        Path | None,
        typer.Option("--cert-dir", help="Where the TLS CA and certificate are cached (default: the user cache dir)."),
    ] = None
    manifests: Annotated[
        list[Path],
        typer.Option(
            "--manifest",
            help="Install the app of this manifest (JSON or YAML; repeatable); its credentials are printed on stderr.",
        ),
    ] = field(default_factory=list)
    grid: Annotated[
        bool,
        typer.Option(
            "--grid",
            help="Run an Enterprise Grid org (E0EMU0001) owning two workspaces "
            "(T0EMU0001, T0EMU0002) with a shared channel; admin.* "
            "methods answer only then (same as the seed key "
            '"grid": true).',
        ),
    ] = False
    socket_refresh: Annotated[
        float | None,
        typer.Option(
            "--socket-refresh",
            help="Send Socket Mode connections `disconnect` (refresh_requested) after this many seconds.",
        ),
    ] = None
    allow_public_delivery: Annotated[
        bool,
        typer.Option(
            "--allow-public-delivery",
            help="Also deliver events, "
            "commands and interactions to request URLs on public "
            "addresses (by default only loopback and private ones get "
            "them).",
        ),
    ] = False

    @property
    def rate_limits(self) -> bool:
        return not self.no_rate_limits


COMMAND = Verb(
    StartOptions,
    examples="""
        slackctl emulator start
        slackctl emulator start --port 0 --manifest manifest.json --auto-approve
        slackctl emulator start --tls --state emulator-state.json --seed seed.toml
        slackctl emulator start --time-scale 60 --no-rate-limits
        slackctl emulator start --grid
    """,
)


def run(ctx: Context, opts: StartOptions) -> int:
    """Serve in the foreground; the exit code (0 on SIGTERM, 130 on Ctrl-C). The URL and summary are written
    directly to stdout/stderr: they must be flushed the moment the server listens, for supervisors reading them."""
    from slackctl.emulator import Emulator
    from slackctl.emulator.exec import servercerts as tls_mod
    from slackctl.emulator.world.appinstall import ManifestError
    from slackctl.emulator.world.seeds import SeedError

    host, port, tls, state, seed = opts.host, opts.port, opts.tls, opts.state, opts.seed
    time_scale, socket_refresh, cert_dir = opts.time_scale, opts.socket_refresh, opts.cert_dir
    bind = host or "127.0.0.1"
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port} is not a port number", "use 1-65535, or 0 for a free port")
    if time_scale <= 0:
        raise UsageError("--time-scale must be positive", "for example --time-scale 60 makes a minute last 1 s")
    if socket_refresh is not None and socket_refresh <= 0:
        raise UsageError("--socket-refresh must be positive", "for example --socket-refresh 60")
    if seed is not None and not seed.is_file():
        raise UsageError(f"seed file {seed} does not exist", "pass a JSON or TOML file to --seed")
    try:
        emu = Emulator(
            host=bind,
            port=port,
            tls=tls,
            auto_approve=opts.auto_approve,
            rate_limits=opts.rate_limits,
            time_scale=time_scale,
            seed=seed,
            state_file=state,
            cert_dir=cert_dir or (tls_mod.default_cli_dir() if tls else None),
            manifests=list(opts.manifests),
            socket_refresh=socket_refresh,
            date_offset=opts.date_offset,
            allow_public_delivery=opts.allow_public_delivery,
            grid=opts.grid,
        )
    except ManifestError as exc:
        raise UsageError(str(exc), "check it with: slackctl manifest validate FILE") from None
    except SeedError as exc:
        raise UsageError(str(exc), "see the seed format in docs/emulator.md (Seed files)") from None
    except ValueError as exc:
        raise UsageError(f"cannot load state file {state}: {exc}", "delete it or pass another --state") from None
    # SIGTERM is handled from before the URL is announced: a supervisor may stop us the moment it reads it.
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    try:
        return _start_and_serve(emu, bind, port, stop)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _start_and_serve(emu: Emulator, bind: str, port: int, stop: threading.Event) -> int:
    # Set before start(): a --manifest app's url_verification runs during it and may fail at once.
    emu.on_note = lambda text: (sys.stderr.write(f"note: {text}\n"), sys.stderr.flush())
    try:
        emu.start()
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(
                f"port {port} on {bind} is already in use",
                "stop the other process, or pick another port: --port 0 chooses a free one",
            ) from None
        if exc.errno in (errno.EADDRNOTAVAIL, errno.EACCES) or isinstance(exc, PermissionError):
            raise UsageError(
                f"cannot listen on {bind}:{port}: {exc.strerror}", "use --host 127.0.0.1 and a port above 1023"
            ) from None
        raise UsageError(f"cannot start the emulator on {bind}:{port}: {exc}", "try --port 0") from None
    print(emu.url, flush=True)  # noqa: T201 - the URL is this command's data (first stdout line)
    if emu.ca_file:
        print(emu.ca_file, flush=True)  # noqa: T201
    _summary(emu, bind)
    return _serve(emu, stop)


def _summary(emu: Emulator, bind: str) -> None:
    err = sys.stderr
    app = emu.default_app
    bot = emu.mint_token("bot")["token"]
    user = emu.mint_token("user")["token"]
    team = emu.team
    lines = [
        f"Slack emulator listening on {emu.url}  (Web API: {emu.url}/api/METHOD)",
        f"  workspace      {team['name']} ({team['id']}, domain {team['domain']})",
        *_grid_lines(emu),
        f"  default app    {app['app_id']}  bot user {app['bot_user_id']}  client id {app['client_id']}",
        f"                 client secret {app['client_secret']}",
        f"  bot token      {bot}",
        f"  user token     {user}",
        f"  try:           SLACK_TOKEN={bot} slackctl api call auth.test --slack-url {emu.url}",
        f"  config token   slackctl emulator token --kind config --slack-url {emu.url}  (for deploy, manifest, app)",
        f"  control        {emu.url}/_emulator/  (reset, seed, requests, faults, tokens, apps, messages)",
    ]
    for installed in emu.apps():
        if installed["app_id"] == app["app_id"]:
            continue
        lines += [
            f"  app            {installed['name']} ({installed['app_id']}, bot user {installed['bot_user_id']})",
            f"                 bot token {installed['bot_token']}",
            f"                 app token {installed['app_token']}",
            f"                 signing secret {installed['signing_secret']}",
            f"                 client id {installed['client_id']}  client secret {installed['client_secret']}",
        ]
    if emu.ca_file:
        lines.append(f"  CA file        {emu.ca_file}  (trust it: SLACKCTL_CA_BUNDLE={emu.ca_file})")
    if emu.state_file:
        lines.append(f"  state file     {emu.state_file}")
    from slackctl.slack.httpserver import is_loopback_host

    if not is_loopback_host(bind):
        lines.insert(
            0,
            f"warning: listening on {bind}: other machines can reach this emulator and use its "
            "tokens (the /_emulator/ control surface still answers loopback clients only).",
        )
    lines.append("Press Ctrl-C to stop.")
    err.write("\n".join(lines) + "\n")
    err.flush()


def _grid_lines(emu: Emulator) -> list[str]:
    with emu.world.lock:
        org, teams = emu.world.enterprise, list(emu.world.teams.values())
    if org is None:
        return []
    return [
        f"  org            {org['name']} ({org['id']}, Enterprise Grid; org admin {org['admins'][0]})",
        *(f"  workspace      {t['name']} ({t['id']}, domain {t['domain']}, admin {t['admins'][0]})" for t in teams[1:]),
    ]


def _serve(emu: Emulator, stop: threading.Event) -> int:
    code = 0
    try:
        while not stop.wait(0.5):  # a timed wait so Ctrl-C (KeyboardInterrupt) is seen promptly
            pass
    except KeyboardInterrupt:
        code = 130
    finally:
        emu.stop()
        sys.stderr.write("Slack emulator stopped.\n")
        sys.stderr.flush()
    return code
