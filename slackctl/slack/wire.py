"""HTTP/1.1 for Web API calls over the standard library's http.client, with a small keep-alive pool.

Why not httpx here: importing httpx and httpcore costs ~40 ms, about a third of a one-shot `slackctl api call` and
more than the budget leaves (no slower than a python-slack-sdk one-liner, which uses urllib). Web API calls are
small request/response exchanges that http.client does well; httpx stays for streamed uploads (slack/upload.py)
and the OAuth helpers. The pool keeps connections alive across pages and retries, and is shared by threads
(`api batch`): each request takes an idle connection or opens one, and gives it back when the body is read.

No CLI code here: errors are WireError with a kind the client's retry rules understand.
"""

from __future__ import annotations

import http.client
import select
import socket
import ssl
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

# Why a request failed, which decides whether repeating it could duplicate a write.
CONNECT = "connect"  # never reached the server: always safe to repeat
TLS_VERIFY = "tls_verify"  # the certificate is not trusted: repeating cannot help
TIMEOUT = "timeout"  # sent, no answer in time: the server may have acted on it
DROPPED = "dropped"  # sent, connection lost before a whole response: the server may have acted on it


class WireError(Exception):
    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


class Headers:
    """Response headers: case-insensitive look-up, names lower-cased (as HTTP/2 and httpx present them)."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._pairs = [(name.lower(), value) for name, value in pairs]
        self._map: dict[str, str] = {}
        for name, value in self._pairs:
            # Repeated headers join with a comma (RFC 9110 5.3), except Set-Cookie, which we never read.
            self._map[name] = f"{self._map[name]}, {value}" if name in self._map else value

    def get(self, name: str, default: str | None = None) -> str | None:
        return self._map.get(name.lower(), default)

    def __getitem__(self, name: str) -> str:
        return self._map[name.lower()]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._map

    def items(self) -> list[tuple[str, str]]:
        return list(self._pairs)


@dataclass
class WireResponse:
    status_code: int
    reason: str
    headers: Headers
    content: bytes
    http_version: str
    url: str


class Pool:
    """Idle keep-alive connections per origin (scheme, host, port)."""

    def __init__(self, *, timeout: float, connect_timeout: float,
                 tls_context: Callable[[], ssl.SSLContext]) -> None:
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self._tls_context = tls_context
        self._tls: ssl.SSLContext | None = None
        self._idle: dict[tuple[str, str, int], list[http.client.HTTPConnection]] = {}
        self._lock = threading.Lock()
        self.connections_opened = 0

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, {}
        for connections in idle.values():
            for conn in connections:
                conn.close()

    def request(self, method: str, url: str, headers: dict[str, str], body: bytes | None) -> WireResponse:
        parts = urlsplit(url)
        scheme = parts.scheme
        host = parts.hostname or ""
        port = parts.port or (443 if scheme == "https" else 80)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        origin = (scheme, host, port)
        conn = self._take(origin)
        try:
            try:
                conn.request(method, target, body=body, headers=headers)
            except (BrokenPipeError, ConnectionResetError):
                # A server may answer before reading the whole body (413 for a body too large) and close its
                # side: its answer is what the user needs, so read it if it is there.
                pass
            response = conn.getresponse()
            content = response.read()
        except TimeoutError as exc:
            conn.close()
            raise WireError(TIMEOUT, f"timed out ({exc})") from None
        except (http.client.HTTPException, OSError) as exc:
            conn.close()
            raise WireError(DROPPED, f"{type(exc).__name__}: {exc}") from None
        if response.getheader("content-encoding", "").lower() == "gzip":
            try:
                content = zlib.decompress(content, 16 + zlib.MAX_WBITS)
            except zlib.error:
                conn.close()
                raise WireError(DROPPED, "a gzip response body was cut short or corrupt") from None
        if response.will_close:
            conn.close()
        else:
            self._give_back(origin, conn)
        version = "HTTP/1.0" if response.version == 10 else "HTTP/1.1"
        return WireResponse(response.status, response.reason, Headers(response.getheaders()), content, version, url)

    # -- connections ------------------------------------------------------------------------------
    def _take(self, origin: tuple[str, str, int]) -> http.client.HTTPConnection:
        with self._lock:
            idle = self._idle.get(origin) or []
            while idle:
                conn = idle.pop()
                if _still_open(conn):
                    return conn
                conn.close()
        return self._open(origin)

    def _give_back(self, origin: tuple[str, str, int], conn: http.client.HTTPConnection) -> None:
        with self._lock:
            self._idle.setdefault(origin, []).append(conn)

    def _open(self, origin: tuple[str, str, int]) -> http.client.HTTPConnection:
        scheme, host, port = origin
        conn: http.client.HTTPConnection
        try:
            if scheme == "https":
                if self._tls is None:
                    self._tls = self._tls_context()
                conn = http.client.HTTPSConnection(host, port, timeout=self.connect_timeout, context=self._tls)
            else:
                conn = http.client.HTTPConnection(host, port, timeout=self.connect_timeout)
            conn.connect()
        except ssl.SSLCertVerificationError as exc:
            raise WireError(TLS_VERIFY, str(exc)) from None
        except (OSError, ssl.SSLError) as exc:  # refused, unreachable, DNS, connect timeout, handshake failure
            raise WireError(CONNECT, f"{type(exc).__name__}: {exc}") from None
        assert conn.sock is not None
        conn.sock.settimeout(self.timeout)
        # Requests are written in one piece; don't let Nagle hold the last segment back.
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.connections_opened += 1
        return conn


def _still_open(conn: http.client.HTTPConnection) -> bool:
    """An idle connection the server has closed (or sent something on, which HTTP/1.1 never does unasked) reads
    as ready: reusing it would fail on the next request, and for a write we could not tell whether it arrived."""
    sock = conn.sock
    if sock is None:
        return False
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable
