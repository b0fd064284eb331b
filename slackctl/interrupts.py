"""Let a write to Slack that is in flight finish when Ctrl-C or SIGTERM arrives (for a bounded time), then
raise the interrupt, so the caller can record what the write created or roll back what it changed.

Without this, KeyboardInterrupt lands in the middle of the request: the app may exist at Slack (or carry the new
manifest) while slackctl never saw the answer, and its credentials are lost.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from slackctl import settings


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM arrived during a shielded write; `str()` says what was done about it (may be empty)."""


@dataclass
class Shield:
    """State of one shielded section: `pending` is the signal that arrived, `note` what the caller did about
    it (shown with the exit), `abandoned` true when the grace ran out or a second interrupt came."""

    pending: int | None = None
    note: str = ""
    abandoned: bool = False
    idle: bool = False  # in a back-off wait between attempts: nothing is in flight, an interrupt ends it at once

    @property
    def interrupted(self) -> bool:
        return self.pending is not None


_active: Shield | None = None  # shielded sections nest: only the outermost installs handlers and raises


@contextlib.contextmanager
def shielded(
    what: str, *, grace: float = settings.WRITE_GRACE_SECONDS, notify: Callable[[str], None] | None = None
) -> Iterator[Shield]:
    """Run the body with SIGINT/SIGTERM deferred. The first interrupt is remembered (and `notify` told that
    slackctl waits for `what`); the body goes on for at most `grace` seconds more, after which — or on a second
    interrupt — KeyboardInterrupt is raised inside the body as usual. When the body ends normally after an
    interrupt, Interrupted(shield.note) is raised. Nested, it yields the outer section's shield; outside the
    main thread (where signals cannot be handled) a shield that never fires."""
    global _active
    if _active is not None:
        yield _active
        return
    shield = Shield()
    if threading.current_thread() is not threading.main_thread():
        yield shield
        return
    main_ident = threading.main_thread().ident
    lock = threading.Lock()
    closed = False
    timer: threading.Timer | None = None

    def expire() -> None:
        with lock:
            if closed:
                return
            shield.abandoned = True
        # Wake the main thread out of its blocking read (EINTR), so the handler below runs and raises.
        if hasattr(signal, "pthread_kill") and main_ident is not None:
            signal.pthread_kill(main_ident, signal.SIGINT)
        else:  # pragma: no cover - Windows
            import _thread

            _thread.interrupt_main()

    def handler(signum: int, frame: object) -> None:
        nonlocal timer
        if shield.pending is not None or shield.abandoned or shield.idle:
            shield.abandoned = True
            raise KeyboardInterrupt
        shield.pending = signum
        if notify is not None:
            with contextlib.suppress(Exception):  # a message must never break the write it protects
                notify(f"interrupted: waiting up to {grace:g}s for {what} to finish (interrupt again to stop waiting)")
        timer = threading.Timer(grace, expire)
        timer.daemon = True
        timer.start()

    # A signal the user chose to ignore (nohup, a background job's SIGINT) stays ignored.
    hangup = (signal.SIGHUP,) if hasattr(signal, "SIGHUP") else ()
    previous = {
        sig: signal.signal(sig, handler)
        for sig in (signal.SIGINT, signal.SIGTERM, *hangup)
        if signal.getsignal(sig) is not signal.SIG_IGN
    }
    _active = shield
    try:
        yield shield
    finally:
        _active = None
        with lock:
            closed = True
        if timer is not None:
            timer.cancel()
        for sig, old in previous.items():
            signal.signal(sig, old)
    if shield.pending is not None:
        raise Interrupted(shield.note)


@contextlib.contextmanager
def idle() -> Iterator[None]:
    """Mark a wait between attempts (a Retry-After, a back-off): no request is in flight, so an interrupt stops it
    at once — also inside a shielded section, where it would otherwise wait out the grace (the write was not sent:
    a 429 means Slack did nothing). An interrupt that came before the wait stops it before it starts."""
    shield = _active
    if shield is None:
        yield
        return
    if shield.pending is not None:
        shield.abandoned = True
        raise KeyboardInterrupt
    shield.idle = True
    try:
        yield
    finally:
        shield.idle = False
