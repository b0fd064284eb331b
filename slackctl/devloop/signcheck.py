"""`events sign` / `events verify` as plain functions: read a body, make or check Slack's v0 signature."""

from __future__ import annotations

import time
from typing import BinaryIO

from slackctl.errors import ExitCode, SlackctlError, UsageError
from slackctl.slack import signing

# A request body Slack sends is small (events, forms); a bigger stdin is a mistake, not a body to hash.
MAX_BODY = 16 * 1024 * 1024


def read_body(stream: BinaryIO) -> bytes:
    """stdin exactly as sent (no newline added or stripped: the signature covers every byte)."""
    data = stream.read(MAX_BODY + 1)
    if len(data) > MAX_BODY:
        raise UsageError(
            f"the body on stdin is larger than {MAX_BODY // (1024 * 1024)} MiB", "pipe in the raw request body only"
        )
    return data


def parse_timestamp(value: str | None) -> int:
    if value is None:
        return int(time.time())
    try:
        return int(value.strip())
    except ValueError:
        raise UsageError(
            f"--timestamp {value!r} is not a whole number of seconds", "pass Unix time, e.g. --timestamp $(date +%s)"
        ) from None


def sign_lines(secret: str, body: bytes, timestamp: int) -> list[str]:
    hdrs = signing.headers(secret, body, timestamp=timestamp)
    return [f"{name}: {hdrs[name]}" for name in (signing.TIMESTAMP_HEADER, signing.SIGNATURE_HEADER)]


def check(secret: str, body: bytes, timestamp: str, sig: str, max_age: float) -> None:
    """Return when the signature is good; raise (exit 1) with the one-line reason when it is not."""
    if max_age < 0:
        raise UsageError("--max-age must be zero or more seconds", "the default is 300 (Slack's five minutes)")
    verdict = signing.verify(secret, timestamp, sig, body, max_age=max_age)
    if not verdict.ok:
        raise SlackctlError(
            f"signature check failed: {verdict.reason}",
            "check the signing secret, and sign the exact bytes that were sent",
            exit_code=ExitCode.API_ERROR,
        )
