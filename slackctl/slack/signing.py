"""Slack's request signing (v0): sign a request body as Slack does, and verify one as an app must.

Base string `v0:{timestamp}:{raw body}`, HMAC-SHA256 keyed by the app's signing secret, hex digest prefixed `v0=`.
Used by the emulator (signing what it delivers to apps) and by `slackctl events sign/verify/forward`. Pure: no I/O,
nothing else of slackctl.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

VERSION = "v0"
TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
SIGNATURE_HEADER = "X-Slack-Signature"
# Slack documents rejecting requests whose timestamp is more than five minutes from now (replay protection).
DEFAULT_MAX_AGE = 300


def signature(secret: str, timestamp: int | str, body: bytes) -> str:
    """The `X-Slack-Signature` value for BODY sent at TIMESTAMP."""
    base = f"{VERSION}:{timestamp}:".encode() + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return f"{VERSION}={digest}"


def headers(secret: str, body: bytes, *, timestamp: int | None = None) -> dict[str, str]:
    """The two headers Slack adds to a request it sends to an app."""
    ts = int(time.time()) if timestamp is None else timestamp
    return {TIMESTAMP_HEADER: str(ts), SIGNATURE_HEADER: signature(secret, ts, body)}


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str = ""


def verify(
    secret: str, timestamp: str, sig: str, body: bytes, *, now: float | None = None, max_age: float = DEFAULT_MAX_AGE
) -> Verdict:
    """Check a request as an app should: a well-formed, fresh timestamp and a matching signature (constant time)."""
    try:
        ts = int(timestamp.strip())
    except ValueError:
        return Verdict(False, f"timestamp {timestamp!r} is not a whole number of seconds")
    current = time.time() if now is None else now
    if abs(current - ts) > max_age:
        return Verdict(
            False,
            f"timestamp is {abs(current - ts):.0f} s from now (more than {max_age:.0f} s: "
            "a replay, or a clock out of sync)",
        )
    if not sig.startswith(f"{VERSION}="):
        return Verdict(False, f"signature does not start with {VERSION}=")
    if not hmac.compare_digest(signature(secret, ts, body), sig.strip()):
        return Verdict(False, "signature does not match the body (wrong signing secret, or the body was changed)")
    return Verdict(True)
