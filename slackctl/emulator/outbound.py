"""The emulator's one way of sending HTTP to an app (event, command and interaction deliveries).

Standard library only for now, behind one function, so the project's transport can replace it in one place.
Failures are reported in Slack's own retry-reason words (X-Slack-Retry-Reason), which is what delivery needs.
"""

from __future__ import annotations

import http.client
import ssl
import threading
import urllib.parse
from dataclasses import dataclass, field

MAX_RESPONSE = 1024 * 1024  # an app's answer (a command or view_submission response) is small


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


_idle: dict[tuple[str, str, int | None], list[http.client.HTTPConnection]] = {}
_idle_lock = threading.Lock()
MAX_IDLE = 8  # kept-alive connections per app server


def _take(key: tuple[str, str, int | None]) -> http.client.HTTPConnection | None:
    with _idle_lock:
        conns = _idle.get(key)
        return conns.pop() if conns else None


def _give(key: tuple[str, str, int | None], conn: http.client.HTTPConnection) -> None:
    with _idle_lock:
        conns = _idle.setdefault(key, [])
        if len(conns) < MAX_IDLE:
            conns.append(conn)
            return
    conn.close()


def post(url: str, body: bytes, headers: dict[str, str], timeout: float,
         ssl_context: ssl.SSLContext | None = None) -> Answer:
    """POST BODY to URL and read the answer within TIMEOUT seconds (redirects are not followed, as Slack).
    Connections are kept alive per app server; one the server has closed meanwhile is replaced once."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DeliveryFailure("unknown_error", f"not an http(s) URL: {parts.scheme}://{parts.hostname or ''}")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    key = (parts.scheme, parts.hostname, parts.port)
    conn = _take(key)
    if conn is not None:
        try:
            return _exchange(key, conn, target, body, headers, timeout)
        except _Stale:
            pass  # the app server closed the idle connection: a fresh one below
    conn = _connect(parts, timeout, ssl_context)
    try:
        return _exchange(key, conn, target, body, headers, timeout)
    except _Stale as stale:
        raise DeliveryFailure("connection_failed", f"the connection closed: {stale}") from None


class _Stale(Exception):
    """A kept-alive connection turned out closed before any answer came."""


def _connect(parts: urllib.parse.SplitResult, timeout: float,
             ssl_context: ssl.SSLContext | None) -> http.client.HTTPConnection:
    assert parts.hostname is not None
    if parts.scheme == "https":
        return http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout,
                                           context=ssl_context or ssl.create_default_context())
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)


def _exchange(key: tuple[str, str, int | None], conn: http.client.HTTPConnection, target: str, body: bytes,
              headers: dict[str, str], timeout: float) -> Answer:
    keep = False
    try:
        if conn.sock is not None:
            conn.sock.settimeout(timeout)
        try:
            conn.request("POST", target, body=body, headers={"Content-Length": str(len(body)), **headers})
            resp = conn.getresponse()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
            raise _Stale(type(exc).__name__) from None
        data = resp.read(MAX_RESPONSE)
        answer = Answer(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data)
        keep = not resp.will_close and resp.isclosed()
    except TimeoutError:
        raise DeliveryFailure("http_timeout", f"no answer within {timeout:g} s") from None
    except ssl.SSLError as exc:
        raise DeliveryFailure("ssl_error", f"TLS failed: {exc.reason or exc}") from None
    except (ConnectionError, OSError) as exc:
        raise DeliveryFailure("connection_failed", f"cannot connect: {exc.strerror or exc}") from None
    except http.client.HTTPException as exc:
        raise DeliveryFailure("unknown_error", f"bad HTTP answer: {type(exc).__name__}") from None
    finally:
        if keep:
            _give(key, conn)
        else:
            conn.close()
    if 300 <= answer.status < 400:
        raise DeliveryFailure("too_many_redirects", f"answered {answer.status} (redirects are not followed)")
    return answer
