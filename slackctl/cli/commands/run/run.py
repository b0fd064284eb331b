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


def run(ctx: Context, opts: RunOptions) -> int:
    """The exit code: 0 after SIGTERM or SIGHUP, 130 after Ctrl-C, the app's own with --no-reload."""
    import signal

    from slackctl.devloop import run as devloop_run

    loops: list[object] = []

    def on_sigterm(signum: int, frame: object) -> None:
        if not loops:  # still deploying or starting the emulator: stop there, as Ctrl-C would (deploy rolls back)
            raise KeyboardInterrupt
        for loop in loops:
            loop.terminate()  # type: ignore[attr-defined]

    # SIGHUP (the terminal closed) stops the app as SIGTERM does; nohup's SIG_IGN stays.
    stops = [signal.SIGTERM]
    if hasattr(signal, "SIGHUP") and signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN:
        stops.append(signal.SIGHUP)
    previous = {sig: signal.signal(sig, on_sigterm) for sig in stops}
    try:
        return devloop_run.run_project(
            ctx, devloop_run.RunOptions(env=opts.env, emulator=opts.emulator, reload=not opts.no_reload),
            report=lambda text: ctx.io.err(ctx.io.dim(f"[run] {text}")), on_url=ctx.io.out, on_loop=loops.append)
    except KeyboardInterrupt:
        ctx.io.err("interrupted: the app and its process group are stopped")
        return 130
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
