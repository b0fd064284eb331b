"""The emulator's one way of sending HTTP to an app (event, command and interaction deliveries).

Nothing leaves the machine unless asked: `check_destination` resolves a request URL's host first and refuses,
before any connection, one that resolves to anything but a loopback or private address (the emulator was started
without --allow-public-delivery). An app's manifest may name its real public URL; the emulator must not send it
test traffic, signed with the emulator's secrets.

Sent through the project's one transport (slackctl/slack/transport.py), with the environment's proxy and CA
variables ignored: an app on this machine must not be reached through a corporate proxy. Failures are reported in
Slack's own retry-reason words (X-Slack-Retry-Reason), which is what delivery needs.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import urllib.parse
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

    def __init__(self, reason: str, detail: str, status: int | None = None) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
        self.status = status  # the app's HTTP status, when it answered one


class NotDelivered(DeliveryFailure):
    """Refused before anything was sent (a public destination): never retried, journalled as not delivered."""


# Where the emulator delivers without --allow-public-delivery: this machine and private networks (RFC 1918, IPv6
# unique local). Not link-local (169.254.0.0/16 holds cloud metadata services), not CGNAT, not 0.0.0.0.
LOCAL_NETWORKS = tuple(
    ipaddress.ip_network(net)
    for net in ("127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "::1/128", "fc00::/7")
)


def is_local_address(ip: str) -> bool:
    """IP (as getaddrinfo gives it, maybe with a %zone) is loopback or private; IPv4-mapped IPv6 counts as IPv4."""
    addr = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return any(addr in net for net in LOCAL_NETWORKS)


def check_destination(url: str, allow_public: bool) -> None:
    """Raise NotDelivered unless every address URL's host resolves to is local (see LOCAL_NETWORKS); resolving is
    all it does, so a refused URL never sees a connection. Every address counts: the connect may pick any."""
    if allow_public:
        return
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError) as exc:
        raise DeliveryFailure("connection_failed", f"cannot resolve {host or url!r}: {exc}") from None
    public = sorted({str(info[4][0]) for info in infos if not is_local_address(str(info[4][0]))})
    if public:
        raise NotDelivered(
            "public_address",
            f"{host} is {public[0]}, not a loopback or private address: the emulator sends "
            "nothing off this machine (start it with --allow-public-delivery to allow it)",
        )


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
        response = _shared().request("POST", url, headers, body, what="delivery", timeout=timeout, retry_stale=True)
    except UsageError as exc:
        raise DeliveryFailure("unknown_error", exc.message) from None
    except NetworkError as exc:
        detail = exc.message
        if "ConnectionRefusedError" in detail or "Connection refused" in detail:
            detail = f"connection refused: nothing listens at {url}"  # the app is not running (yet)
        raise DeliveryFailure(_RETRY_REASON.get(exc.kind, "unknown_error"), detail) from None
    if 300 <= response.status_code < 400:
        raise DeliveryFailure("too_many_redirects", f"answered {response.status_code} (redirects are not followed)")
    return Answer(response.status_code, dict(response.headers.items()), response.content)
