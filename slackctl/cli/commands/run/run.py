"""`slackctl run`: run the project's app with its tokens (devloop/run.py), stopping cleanly on SIGTERM or Ctrl-C."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.context import Context
from slackctl.cli.options import env_option
from slackctl.cli.verb import Verb
from slackctl.settings import DEFAULT_DEPLOY_ENV

if TYPE_CHECKING:
    from slackctl.devloop.reload import Loop


@dataclass
class RunOptions:
    """The options of `slackctl run`."""

    env: Annotated[
        str, env_option("Environment whose app to run (its manifest is deployed first when it changed).")
    ] = DEFAULT_DEPLOY_ENV
    emulator: Annotated[
        bool,
        typer.Option(
            "--emulator",
            help="Run against a Slack emulator started here, with the project's manifest installed (offline).",
        ),
    ] = False
    no_reload: Annotated[bool, typer.Option("--no-reload", help="Do not restart the app when files change.")] = False
    app_path: Annotated[
        str | None,
        typer.Argument(
            help="The app's entry point, for the start hook (SLACK_APP_PATH, SLACK_CLI_CUSTOM_FILE_PATH), e.g. "
            "src/app.py.",
            show_default=False,
        ),
    ] = None


COMMAND = Verb(
    RunOptions,
    help="""Slack's hooks protocol is honoured: a get-hooks hook (as in Slack's templates) names the SDK's start
    hook, protocol (message boundaries) and watch paths (config.watch); Node projects without hooks start through
    package.json (its start script, else its main). The project's .venv and node_modules/.bin come first on PATH.
    Tokens come from the profile (the keyring) and the environment, and are passed in the app's environment
    only; .env is read too. The manifest is deployed to the environment's app first when it changed. With --emulator,
    an emulator is started on a free port (its URL is the first line on stdout) and the app talks to it unchanged,
    as under `slackctl emulator exec`. The app's Python is the project's .venv, else the active environment
    ($VIRTUAL_ENV, $CONDA_PREFIX), else the python3 on PATH. File changes restart the app (ignoring .venv, caches,
    git-ignored files, editors' temporary files and files its output is redirected to); a manifest change
    redeploys. Exit codes: 0 after SIGTERM, 130 after Ctrl-C, the app's own with --no-reload.""",
    examples="""
        slackctl run
        slackctl run --emulator
        slackctl run --env staging --no-reload
        slackctl run src/app.py              # a custom entry point for the SDK's start hook
    """,
)


def run(ctx: Context, opts: RunOptions) -> int:
    """The exit code: 0 after SIGTERM or SIGHUP, 130 after Ctrl-C, the app's own with --no-reload."""
    import signal

    from slackctl.cli.output import report_problems
    from slackctl.core.deploy import ManifestInvalid
    from slackctl.devloop import run as devloop_run

    loops: list[Loop] = []

    def on_sigterm(signum: int, frame: object) -> None:
        if not loops:  # still deploying or starting the emulator: stop there, as Ctrl-C would (deploy rolls back)
            raise KeyboardInterrupt
        for loop in loops:
            loop.terminate()

    # SIGHUP (the terminal closed) stops the app as SIGTERM does; nohup's SIG_IGN stays.
    stops = [signal.SIGTERM]
    if hasattr(signal, "SIGHUP") and signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN:
        stops.append(signal.SIGHUP)
    previous = {sig: signal.signal(sig, on_sigterm) for sig in stops}
    try:
        return devloop_run.run_project(
            ctx,
            env=opts.env,
            emulator=opts.emulator,
            reload=not opts.no_reload,
            app_path=opts.app_path,
            report=lambda text: ctx.io.err(ctx.io.dim(f"[run] {text}")),
            on_url=ctx.io.out,
            on_loop=loops.append,
        )
    except KeyboardInterrupt:
        ctx.io.err("interrupted: the app and its process group are stopped")
        return 130
    except ManifestInvalid as exc:
        report_problems(ctx.io, exc)  # each problem with its pointer and line, as manifest validate lists them
        raise
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
