"""`slackctl run`: run the project's app with its tokens (devloop/run.py), stopping cleanly on SIGTERM or Ctrl-C."""

from __future__ import annotations

from dataclasses import dataclass

from slackctl.cli.context import Context


@dataclass
class RunOptions:
    """The options of `slackctl run`."""

    env: str
    emulator: bool = False
    no_reload: bool = False
    app_path: str | None = None


def run(ctx: Context, opts: RunOptions) -> int:
    """The exit code: 0 after SIGTERM, 130 after Ctrl-C, the app's own with --no-reload."""
    import signal

    from slackctl.devloop import run as devloop_run

    loops: list[object] = []

    def on_sigterm(signum: int, frame: object) -> None:
        if not loops:  # still deploying or starting the emulator: stop there, as Ctrl-C would (deploy rolls back)
            raise KeyboardInterrupt
        for loop in loops:
            loop.terminate()  # type: ignore[attr-defined]

    previous = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        return devloop_run.run_project(
            ctx, devloop_run.RunOptions(env=opts.env, emulator=opts.emulator, reload=not opts.no_reload,
                                                    app_path=opts.app_path),
            report=lambda text: ctx.io.err(ctx.io.dim(f"[run] {text}")), on_url=ctx.io.out, on_loop=loops.append)
    except KeyboardInterrupt:
        ctx.io.err("interrupted: the app and its process group are stopped")
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
