"""The bounded request log (secrets redacted before anything is stored) (the injected faults are in faults.py)."""

from __future__ import annotations

import collections
import re
import threading
import time
from typing import Any

LOG_SIZE = 5000
# What the log keeps, whoever sends: each string value at most STRING_BYTES characters, each entry about
# ENTRY_BYTES, all entries about TOTAL_BYTES (the oldest go first). A 20 MB form post costs the log 16 KB.
STRING_BYTES = 4096
ENTRY_BYTES = 16 * 1024
TOTAL_BYTES = 16 * 1024 * 1024
SECRET_PARAMS = frozenset(
    {"token", "client_secret", "code_verifier", "refresh_token", "code", "access_token", "id_token"}
)
_TOKEN_RE = re.compile(r"((?:xoxe\.)?xox[abpcdeors]-|xapp-|xoxe-|xwfp-)[A-Za-z0-9.\-]{6,}")
_AUTH_RE = re.compile(r"^(\s*\w+\s+)(.+)$")


def redact_value(value: str) -> str:
    """`xoxb-…REDACTED`: enough to see which kind of secret it was, nothing usable."""
    m = _TOKEN_RE.match(value)
    return f"{m.group(1)}…REDACTED" if m else "…REDACTED"


def redact_text(text: str) -> str:
    if "xox" not in text and "xapp-" not in text and "xwfp-" not in text:
        return text  # substring tests scan megabytes in microseconds; the regex takes a second for 4 MB
    return _TOKEN_RE.sub(lambda m: f"{m.group(1)}…REDACTED", text)


def redact_params(params: Any) -> Any:
    if isinstance(params, dict):
        out = {}
        for key, value in params.items():
            if key in SECRET_PARAMS and isinstance(value, str) and value:
                out[key] = redact_value(value)
            else:
                out[key] = redact_params(value)
        return out
    if isinstance(params, list):
        return [redact_params(v) for v in params]
    if isinstance(params, str):
        return redact_text(params)
    return params


def redact_headers(headers: dict[str, str]) -> dict[str, str]:
    out = {}
    for key, value in headers.items():
        if key.lower() in ("authorization", "proxy-authorization"):
            m = _AUTH_RE.match(value)
            scheme = m.group(1) if m else ""
            secret = m.group(2) if m else value
            out[key] = scheme + redact_value(secret.strip())
        elif key.lower() == "cookie":
            out[key] = "…REDACTED"
        else:
            out[key] = redact_text(value)
    return out


def bounded(value: Any, budget: int) -> tuple[Any, int]:
    """VALUE copied within about BUDGET characters (long strings cut, the tail of long dicts and lists replaced by
    a note of how much was left out), and what the copy costs. Sizes are JSON-ish estimates, cheap to compute."""
    if isinstance(value, str):
        keep = max(0, min(len(value), STRING_BYTES, budget))
        if keep == len(value):
            return value, len(value) + 2
        return f"{value[:keep]}…({len(value) - keep} more characters)", keep + 30
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        used = 2
        for i, (key, item) in enumerate(value.items()):
            if used >= budget:
                out["…"] = f"({len(value) - i} more fields)"
                return out, used + 30
            name, cost = bounded(str(key), budget - used)
            copy, more = bounded(item, budget - used - cost)
            out[name] = copy
            used += cost + more + 2
        return out, used
    if isinstance(value, list | tuple):
        items: list[Any] = []
        used = 2
        for i, item in enumerate(value):
            if used >= budget:
                items.append(f"…({len(value) - i} more items)")
                return items, used + 30
            copy, more = bounded(item, budget - used)
            items.append(copy)
            used += more + 1
        return items, used
    return value, 8


class RequestLog:
    """The last LOG_SIZE requests, each bounded (see `bounded`), within TOTAL_BYTES all together."""

    def __init__(self, size: int = LOG_SIZE, total_bytes: int = TOTAL_BYTES) -> None:
        self._entries: collections.deque[tuple[dict[str, Any], int]] = collections.deque()
        self._size = size
        self._total_bytes = total_bytes
        self._bytes = 0
        self._lock = threading.Lock()

    def add(self, entry: dict[str, Any]) -> None:
        """Keep ENTRY, bounded; its first fields survive a cut (headers and body go last)."""
        kept, cost = bounded({"time": entry.get("time", time.time()), **entry}, ENTRY_BYTES)
        with self._lock:
            self._entries.append((kept, cost))
            self._bytes += cost
            while len(self._entries) > self._size or (self._bytes > self._total_bytes and len(self._entries) > 1):
                self._bytes -= self._entries.popleft()[1]

    def list(self, method: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            entries = [e for e, _ in self._entries]
        return [e for e in entries if method is None or e["method"] == method]

    def held_bytes(self) -> int:
        """What the entries cost, as `bounded` counts it."""
        with self._lock:
            return self._bytes

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
