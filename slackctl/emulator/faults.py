"""Injected faults waiting to be served: one queue class for the Web API's faults (per method, Emulator.faults)
and the deliveries' (per app, Deliverer.faults), with one validation.

A fault is for one target (a method name, an app id) or for any (target None); first in, first served, each
`count` times. `take` returns a copy of the fault it served.
"""

from __future__ import annotations

import threading
from typing import Any

# The Web API's: an HTTP 429 with Retry-After, a 500 or 503, a dropped connection, a slow answer; and `partial`,
# served by the handler itself: a bulk datastore call fails half its items (webapi/apps/datastore.py).
API_FAULT_KINDS = ("429", "500", "503", "drop", "slow", "partial")
HANDLER_FAULT_KINDS = ("partial",)
# The deliveries': drop (never sent), delay (sent late), 500 (counted as the app answering 500), disconnect (the
# app's Socket Mode connections are cut first).
DELIVERY_FAULT_KINDS = ("drop", "delay", "500", "disconnect")


class FaultQueue:
    def __init__(self, kinds: tuple[str, ...], what: str, held: tuple[str, ...] = ()) -> None:
        self.kinds = kinds
        self.held = held  # kinds only a handler serves, taking them by name: take() alone skips them
        self.what = what  # how an error names this queue's faults ("fault kind", "delivery fault")
        self._queue: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def add(self, kind: str, *, target: str | None = None, count: int = 1, delay: float = 0.0, **extra: Any) -> None:
        """Queue a fault; ValueError (the control surface's 400) for an unknown kind, count < 1 or delay < 0."""
        kind = str(kind)
        if kind not in self.kinds:
            raise ValueError(f"unknown {self.what} {kind!r}: use one of {', '.join(self.kinds)}")
        if int(count) < 1:
            raise ValueError("count must be at least 1")
        if float(delay) < 0:
            raise ValueError("delay must not be negative")
        with self._lock:
            self._queue.append(
                {**extra, "kind": kind, "target": target, "remaining": int(count), "delay": float(delay)}
            )

    def take(self, target: str, kinds: tuple[str, ...] | None = None) -> dict[str, Any] | None:
        """The next fault for TARGET of one of KINDS (default: every kind but the held ones), counted as served."""
        wanted = kinds if kinds is not None else tuple(k for k in self.kinds if k not in self.held)
        with self._lock:
            for fault in self._queue:
                if fault["target"] in (None, target) and fault["kind"] in wanted:
                    fault["remaining"] -= 1
                    if fault["remaining"] <= 0:
                        self._queue.remove(fault)
                    return dict(fault)
        return None

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()
