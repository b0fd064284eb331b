"""`slackctl run`: start the project's app with its tokens, restart it on changes, against Slack or an emulator."""

from __future__ import annotations

from typing import Annotated

import typer

from slackctl import settings
from slackctl.cli.context import get_context


def register(root: typer.Typer) -> None:
    root.command("run")(run)


def run(
    ctx: typer.Context,
    emulator: Annotated[bool, typer.Option("--emulator", help="Run against a Slack emulator started here, with "
                                                              "the project's manifest installed (offline).")]
    = False,
    no_reload: Annotated[bool, typer.Option("--no-reload", help="Do not restart the app when files change.")]
    = False,
    env: Annotated[str, typer.Option("--env", "-e", envvar=settings.ENV_DEPLOY_ENV,
                                     help="Environment whose app to run (its manifest is deployed first when it "
                                          "changed).")] = settings.DEFAULT_DEPLOY_ENV,
) -> None:
    """Run the project's app: the start hook of .slack/hooks.json, else app.py (or python -m PACKAGE), with the
    project's .venv.

    Tokens come from the profile (the keyring) and the environment, and are passed in the app's environment only;
    .env is read too. The manifest is deployed to the environment's app first when it changed. With --emulator,
    an emulator is started on a free port (its URL is the first line on stdout) and the app talks to it unchanged,
    as under `slackctl emulator exec`. File changes restart the app (ignoring .venv, .git and caches); a manifest
    change redeploys. Exit codes: 0 after SIGTERM, 130 after Ctrl-C, the app's own with --no-reload.
    """
    import signal

    from slackctl.devloop.run import RunOptions, run_project

    c = get_context(ctx)
    loops: list[object] = []

    def on_sigterm(signum: int, frame: object) -> None:
        if not loops:  # still deploying or starting the emulator: stop there, as Ctrl-C would (deploy rolls back)
            raise KeyboardInterrupt
        for loop in loops:
            loop.terminate()  # type: ignore[attr-defined]

    previous = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        code = run_project(c, RunOptions(env=env, emulator=emulator, reload=not no_reload),
                           report=lambda text: c.io.err(c.io.dim(f"[run] {text}")), on_url=c.io.out,
                           on_loop=loops.append)
    except KeyboardInterrupt:
        c.io.err("interrupted: the app and its process group are stopped")
        raise typer.Exit(130) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    raise typer.Exit(code)
