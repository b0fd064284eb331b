"""Verify that a request really comes from Slack: HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping

# Slack's advice: refuse requests whose timestamp is more than five minutes away (replayed requests).
MAX_AGE_SECONDS = 60 * 5


def compute_signature(signing_secret: str, timestamp: str, body: bytes | str) -> str:
    """The `v0=…` signature Slack sends in X-Slack-Signature for this timestamp and raw body."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    base = b"v0:" + timestamp.encode("ascii") + b":" + raw
    return "v0=" + hmac.new(signing_secret.encode("utf-8"), base, hashlib.sha256).hexdigest()


def verify_signature(signing_secret: str, timestamp: str | None, body: bytes | str, signature: str | None,
                     *, now: float | None = None) -> bool:
    """True when `signature` matches and `timestamp` is recent; compared in constant time."""
    if not signing_secret or not timestamp or not signature:
        return False
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    current = time.time() if now is None else now
    if abs(current - sent_at) > MAX_AGE_SECONDS:
        return False
    expected = compute_signature(signing_secret, timestamp, body)
    return hmac.compare_digest(expected, signature)


def header(headers: Mapping[str, object], name: str) -> str | None:
    """A header value, whatever its case; frameworks give a str or a list of str."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            if isinstance(value, list | tuple):
                return str(value[0]) if value else None
            return str(value)
    return None


def verify_request(signing_secret: str, headers: Mapping[str, object], body: bytes | str,
                   *, now: float | None = None) -> bool:
    """verify_signature() reading X-Slack-Request-Timestamp and X-Slack-Signature from `headers`."""
    return verify_signature(signing_secret, header(headers, "X-Slack-Request-Timestamp"), body,
                            header(headers, "X-Slack-Signature"), now=now)
