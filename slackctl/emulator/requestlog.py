"""The bounded request log (secrets redacted before anything is stored) (the injected faults are in faults.py)."""

from __future__ import annotations

import collections
import re
import threading
import time
from typing import Any

LOG_SIZE = 5000
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


class RequestLog:
    def __init__(self, size: int = LOG_SIZE) -> None:
        self._entries: collections.deque[dict[str, Any]] = collections.deque(maxlen=size)
        self._lock = threading.Lock()

    def add(self, entry: dict[str, Any]) -> None:
        entry.setdefault("time", time.time())
        with self._lock:
            self._entries.append(entry)

    def list(self, method: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            entries = list(self._entries)
        return [e for e in entries if method is None or e["method"] == method]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


