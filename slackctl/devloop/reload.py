"""The run loop: start the app, restart it when project files change (debounced), stop it on request.

Everything that decides *what* happens on a change (redeploy the manifest, rebuild the environment) comes in
as callbacks, so the loop itself only knows processes, files and time. Progress goes to `report` (no printing).
"""

from __future__ import annotations

import signal
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from slackctl.devloop import child

if TYPE_CHECKING:
    from slackctl.devloop.ignore import Ignore

# watchfiles waits this long for a burst of saves to end before it reports (an editor writes several files).
DEBOUNCE_MS = 150
STEP_MS = 30


@dataclass
class Loop:
    root: Path
    argv: list[str]
    environment: Callable[[], dict[str, str]]  # built again for every start
    report: Callable[[str], None]
    on_changes: Callable[[set[str]], None] = lambda paths: None  # e.g. redeploy when the manifest changed
    ignore: Ignore | None = None  # what changes do not restart the app (devloop/ignore.py)
    reload: bool = True
    on_start: Callable[[subprocess.Popen[bytes]], None] = lambda proc: None
    on_exit: Callable[[int], None] = lambda status: None  # the app exited by itself, with this status
    _wake: threading.Event = field(default_factory=threading.Event)
    _stop: threading.Event = field(default_factory=threading.Event)
    _terminated: threading.Event = field(default_factory=threading.Event)
    _changes: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _proc: subprocess.Popen[bytes] | None = None

    def terminate(self) -> None:
        """Ask the loop to stop the app and return 0 (signal-handler safe: only sets events)."""
        self._terminated.set()
        self._wake.set()

    def run(self) -> int:
        """Until SIGTERM (0), Ctrl-C (KeyboardInterrupt after the app is stopped with SIGTERM) or, without
        reload, the app's own exit (its status)."""
        watcher = None
        if self.reload:
            watcher = threading.Thread(target=self._watch, name="slackctl-watch", daemon=True)
            watcher.start()
        try:
            self._start()
            return self._loop()
        finally:
            self._stop.set()
            if self._proc is not None and self._proc.poll() is None:
                # SIGTERM, not the SIGINT Ctrl-C would have sent the app in a terminal: Python dies of SIGTERM
                # quietly, where SIGINT makes it print a KeyboardInterrupt traceback for nothing.
                child.stop(self._proc, first=signal.SIGTERM)
            if watcher is not None:
                watcher.join(timeout=2)

    # ---- internals --------------------------------------------------------------------------------------
    def _start(self) -> None:
        proc = child.start(self.argv, self.environment(), self.root)
        self._proc = proc
        self.on_start(proc)
        threading.Thread(target=self._await_exit, args=(proc,), daemon=True, name="slackctl-app-wait").start()

    def _await_exit(self, proc: subprocess.Popen[bytes]) -> None:
        proc.wait()
        self._wake.set()

    def _loop(self) -> int:
        waiting_for_change = False
        while True:
            self._wake.wait(0.5)  # timed, so Ctrl-C is seen at once on every platform
            self._wake.clear()
            if self._terminated.is_set():
                assert self._proc is not None
                child.stop(self._proc, first=signal.SIGTERM)
                return 0
            with self._lock:
                changes, self._changes = self._changes, set()
            proc = self._proc
            assert proc is not None
            if changes:
                names = sorted({Path(p).name for p in changes})
                shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
                self.on_changes(changes)
                self.report(f"{shown} changed: restarting the app")
                if proc.poll() is None:
                    child.stop(proc, first=signal.SIGTERM)
                self._start()
                waiting_for_change = False
                continue
            if proc.poll() is not None and not waiting_for_change:
                code = child.exit_status(proc.returncode)
                self.on_exit(code)
                if not self.reload:
                    return code
                self.report(f"the app exited ({code}); waiting for a file change to start it again")
                waiting_for_change = True

    def _watch(self) -> None:
        import watchfiles

        for batch in watchfiles.watch(
            self.root,
            watch_filter=self.ignore,
            debounce=DEBOUNCE_MS,
            step=STEP_MS,
            stop_event=self._stop,
            raise_interrupt=False,
        ):
            paths = {path for _, path in batch}
            if self.ignore is not None:
                proc = self._proc
                paths = self.ignore.keep(paths, proc.pid if proc is not None else None)
            if not paths:
                continue
            with self._lock:
                self._changes.update(paths)
            self._wake.set()
