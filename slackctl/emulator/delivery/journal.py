"""The delivery journal behind GET /_emulator/deliveries: every event, command and interaction sent to an app, its
transport, attempts, outcome and ack latency — with secrets (verification token, response_url) redacted."""

from __future__ import annotations

import copy
import itertools
import threading
import time
from collections import deque
from typing import Any

MAX_ENTRIES = 10000  # a long-running emulator keeps the newest ones
_SECRET_KEYS = {"bot_access_token", "token", "response_url", "response_urls", "challenge"}


def redacted(payload: Any) -> Any:
    """A copy of PAYLOAD with secret-bearing fields replaced (nested dicts and lists included)."""
    if isinstance(payload, dict):
        return {k: ("[redacted]" if k in _SECRET_KEYS and v else redacted(v)) for k, v in payload.items()}
    if isinstance(payload, list):
        return [redacted(v) for v in payload]
    return payload


class Journal:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: deque[dict[str, Any]] = deque(maxlen=MAX_ENTRIES)
        self._ids = itertools.count(1)

    def open(
        self, *, kind: str, app_id: str, transport: str, type_: str, delivery_id: str, payload: Any
    ) -> dict[str, Any]:
        entry = {
            "id": next(self._ids),
            "delivery_id": delivery_id,
            "kind": kind,
            "app_id": app_id,
            "transport": transport,
            "type": type_,
            "status": "pending",
            "attempts": [],
            "ack_latency": None,
            "created": time.time(),
            "payload": payload,
        }
        with self._lock:
            self._entries.append(entry)
        return entry

    def attempt(self, entry: dict[str, Any], **fields: Any) -> None:
        with self._lock:
            entry["attempts"].append(fields)

    def finish(self, entry: dict[str, Any], status: str, latency: float | None = None, **extra: Any) -> None:
        with self._lock:
            entry["status"] = status
            entry["ack_latency"] = latency
            entry.update(extra)

    def list(self, app_id: str | None = None, kind: str | None = None) -> list[dict[str, Any]]:
        """Copies of the entries, payloads redacted. Redacting here, when someone reads the journal, rather than
        for each delivery: a message's blocks made it the costliest step of delivering an event."""
        with self._lock:
            return [
                {**copy.deepcopy({k: v for k, v in e.items() if k != "payload"}), "payload": redacted(e["payload"])}
                for e in self._entries
                if (app_id is None or e["app_id"] == app_id) and (kind is None or e["kind"] == kind)
            ]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
