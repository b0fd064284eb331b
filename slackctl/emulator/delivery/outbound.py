"""The emulator's one way of sending HTTP to an app (event, command and interaction deliveries).

Sent through the project's one transport (slackctl/slack/transport.py), with the environment's proxy and CA
variables ignored: an app on this machine must not be reached through a corporate proxy. Failures are reported in
Slack's own retry-reason words (X-Slack-Retry-Reason), which is what delivery needs.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from slackctl.slack import errors
from slackctl.slack.errors import NetworkError, UsageError
from slackctl.slack.transport import Transport

MAX_RESPONSE = 1024 * 1024  # an app's answer (a command or view_submission response) is small

# The transport's kinds of failure, in the words Slack puts in X-Slack-Retry-Reason.
_RETRY_REASON = {
    errors.TIMEOUT: "http_timeout",
    errors.CONNECT: "connection_failed",
    errors.DROPPED: "connection_failed",
    errors.PROXY: "connection_failed",
    errors.TLS_VERIFY: "ssl_error",
}


@dataclass
class Answer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""


class DeliveryFailure(Exception):
    """No usable answer; `reason` is one of Slack's retry reasons (http_timeout, connection_failed, ...)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


# One transport for every delivery, so connections to an app server are kept alive between deliveries.
_transport: Transport | None = None
_lock = threading.Lock()


def _shared() -> Transport:
    global _transport
    with _lock:
        if _transport is None:
            _transport = Transport(env={}, max_body=MAX_RESPONSE)
        return _transport


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> Answer:
    """POST BODY to URL and read the answer within TIMEOUT seconds (redirects are not followed, as Slack)."""
    try:
        # Slack retries deliveries itself, so an app tolerates a duplicate: resend once on a stale connection.
        response = _shared().request("POST", url, headers, body, what="delivery", timeout=timeout,
                                     retry_stale=True)
    except UsageError as exc:
        raise DeliveryFailure("unknown_error", exc.message) from None
    except NetworkError as exc:
        raise DeliveryFailure(_RETRY_REASON.get(exc.kind, "unknown_error"), exc.message) from None
    if 300 <= response.status_code < 400:
        raise DeliveryFailure("too_many_redirects",
                              f"answered {response.status_code} (redirects are not followed)")
    return Answer(response.status_code, dict(response.headers.items()), response.content)
