"""Waiting for something to happen in the emulator (a reply, a view, a finished delivery): woken by bus facts rather
than polling, with a short re-check for the changes that publish none."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator

RECHECK = 0.05  # seconds: wait_for re-checks at least this often


def wait_for(emu: Emulator, predicate: Any, timeout: float = 5.0, what: str = "the condition") -> Any:
    """PREDICATE()'s first truthy result, re-checked whenever the workspace changes (a bus fact), not polled.
    TimeoutError after TIMEOUT seconds."""
    cond = threading.Condition()
    version = [0]

    def changed(kind: str, data: dict[str, Any]) -> None:
        with cond:
            version[0] += 1
            cond.notify_all()

    unsubscribe = emu.bus.subscribe(changed)
    deadline = time.monotonic() + timeout
    try:
        while True:
            with cond:
                seen = version[0]
            # The predicate runs outside `cond`: it takes the world lock, which publishers hold while notifying.
            result = predicate()
            if result:
                return result
            with cond:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"{what} did not happen within {timeout:g} s")
                if version[0] == seen:
                    # Woken by the next fact; the short cap re-checks anyway, for changes that publish none.
                    cond.wait(min(remaining, RECHECK))
    finally:
        unsubscribe()
