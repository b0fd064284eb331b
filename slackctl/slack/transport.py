"""The one HTTP transport of slackctl: every request the program makes goes through Transport.request.

It owns timeouts (a deadline for the whole response, not each read), TLS trust (a CA bundle, SSL_CERT_FILE /
SSL_CERT_DIR, else certifi's list), proxies (slack/proxy.py; https through CONNECT), the response size limit
(checked while reading, and again while gunzipping, so a gzip bomb stops at the same bound), the redirect policy
(none are followed unless asked; Authorization never goes to another origin) and the wording of every failure
(slack/errors.py's transport_error). Retry rules are the caller's: errors carry a `kind` saying whether the
server may have acted on the request.

Why the standard library's http.client and not httpx: `import httpx` costs ~28 ms on top of http.client and ssl
(`-X importtime`, best of 5), a third of a one-shot `slackctl api call`, whose budget is to be no slower than a
python-slack-sdk one-liner (which uses urllib).
http.client does small exchanges, streamed uploads (an iterable body with a Content-Length) and CONNECT tunnels.
The pool keeps connections alive across pages and retries and is shared by threads (`api batch`).
"""

from __future__ import annotations

import http.client
import io
import os
import select
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

from slackctl.slack import errors
from slackctl.slack.errors import NetworkError, UsageError, transport_error
from slackctl.slack.proxy import Proxy, ProxyRules
from slackctl.slack.response import CorruptGzip, Gunzip, Headers, Response, origin_of, size_label
from slackctl.slack.tls import check_ca_bundle, ssl_context, trust_source

__all__ = ["Headers", "Response", "Transport", "check_ca_bundle", "origin_of", "request", "ssl_context"]

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_BODY = 64 * 1024 * 1024
READ_SIZE = 256 * 1024
Body = bytes | Iterable[bytes] | None
Log = Callable[[str], None]


Origin = tuple[str, str, int, tuple[str, int, str] | None]


class Transport:
    """Keep-alive connections per origin (and proxy), and the rules every request follows."""

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        connect_timeout: float | None = None,
        ca_bundle: str | None = None,
        proxy: str | None = None,
        env: Mapping[str, str] | None = None,
        max_body: int = DEFAULT_MAX_BODY,
        log: Log | None = None,
    ) -> None:
        check_ca_bundle(ca_bundle)
        self.timeout = timeout
        self.connect_timeout = connect_timeout if connect_timeout is not None else min(timeout, 10.0)
        self.max_body = max_body
        self.log = log
        self._env = os.environ if env is None else env
        self._ca_bundle = ca_bundle
        self._proxies = ProxyRules(self._env, proxy)
        self._tls: ssl.SSLContext | None = None
        self._idle: dict[Origin, list[http.client.HTTPConnection]] = {}
        self._lock = threading.Lock()
        self.connections_opened = 0

    @property
    def secrets(self) -> list[str]:
        """Proxy credentials, for callers that scrub their own logs."""
        return [secret for proxy in self._proxies.proxies for secret in proxy.secrets]

    def route(self, url: str) -> tuple[str | None, str]:
        """(the proxy a request to `url` would go through, redacted, or None for direct; the CAs it would trust):
        what a `doctor` check or a log line names, without sending anything."""
        parts = urlsplit(url)
        proxy = self._proxies.for_url(parts.scheme, parts.hostname or "")
        via = f"{proxy.redacted()} (from {proxy.source})" if proxy else None
        return via, trust_source(self._ca_bundle, self._env)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, {}
        for connections in idle.values():
            for conn in connections:
                conn.close()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None = None,
        body: Body = None,
        *,
        what: str = "request",
        timeout: float | None = None,
        max_body: int | None = None,
        follow_redirects: int = 0,
        repeatable: bool = False,
        retry_stale: bool = False,
    ) -> Response:
        """Send one request and read its whole answer within `timeout` seconds of sending it.

        Raises NetworkError (kind from slack/errors.py) for anything but an HTTP answer; `repeatable` says the
        request is safe to send again (a read), so a failure after sending it is not worded as "may have acted".
        `retry_stale` sends it once more on a new connection when a kept-alive one turns out to have been closed
        by the server before any byte of an answer came (the race _still_open cannot close): for callers whose
        receivers tolerate a duplicate, such as the emulator's deliveries (Slack itself retries those).
        Redirects are returned as they are unless `follow_redirects` allows that many; a followed redirect to
        another origin drops Authorization and Cookie, and 303 (or 301/302 after a POST) becomes a GET."""
        headers = dict(headers or {})
        for _ in range(follow_redirects + 1):
            response = self._exchange(
                method,
                url,
                headers,
                body,
                what,
                timeout or self.timeout,
                self.max_body if max_body is None else max_body,
                not repeatable,
                retry_stale,
            )
            location = response.headers.get("location")
            if follow_redirects <= 0 or response.status_code not in (301, 302, 303, 307, 308) or not location:
                return response
            follow_redirects -= 1
            target = urljoin(url, location)
            if origin_of(target) != origin_of(url):
                headers = {k: v for k, v in headers.items() if k.lower() not in ("authorization", "cookie")}
            if response.status_code == 303 or (response.status_code in (301, 302) and method == "POST"):
                method, body = "GET", None
                headers = {k: v for k, v in headers.items() if k.lower() not in ("content-type", "content-length")}
            url = target
        return response

    # -- one exchange -----------------------------------------------------------------------------
    def _exchange(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: Body,
        what: str,
        timeout: float,
        max_body: int,
        acted: bool,
        retry_stale: bool = False,
    ) -> Response:
        parts = urlsplit(url)
        scheme, host = parts.scheme, parts.hostname or ""
        if scheme not in ("http", "https") or not host:
            raise UsageError(f"{what}: not an http(s) URL: {origin_of(url)}", "check the URL")
        port = parts.port or (443 if scheme == "https" else 80)
        proxy = self._proxies.for_url(scheme, host)
        key: Origin = (scheme, host, port, proxy.key if proxy else None)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if proxy and scheme == "http":
            # Plain http through a proxy: the absolute URL goes to the proxy, with its credentials.
            target = f"http://{host}:{port}{target}"
            auth = proxy.authorization()
            if auth:
                headers = dict(headers, **{"Proxy-Authorization": auth})
        where = origin_of(url)
        conn, reused = self._take(key, proxy, what, where)
        response: http.client.HTTPResponse | None = None
        try:
            if conn.sock is not None:  # a reused connection still has the last read's shortened timeout
                conn.sock.settimeout(timeout)
            try:
                conn.request(method, target, body=body, headers=headers)
            except (BrokenPipeError, ConnectionResetError):
                # A server may answer before reading the whole body (413 for a body too large) and close its
                # side: its answer is what the user needs, so read it if it is there.
                pass
            # From here the server may have acted: the deadline covers the status line, headers and body (every
            # read of the response waits only until then: see _DeadlineReader).
            conn.deadline = time.monotonic() + timeout  # type: ignore[attr-defined]
            response = conn.getresponse()
            content = _read_body(response, max_body, what, where, acted)
        except NetworkError:
            conn.close()
            raise
        except TimeoutError:
            conn.close()
            if response is not None:
                # The answer was still arriving at the deadline (an endless or very slow body): repeating it
                # would take as long again, so callers do not retry this one.
                error = transport_error(
                    errors.TIMEOUT,
                    origin=where,
                    what=what,
                    may_have_acted=acted,
                    detail=f"{timeout:g}s; the body was still arriving",
                )
                error.streaming = True
                raise error from None
            raise transport_error(
                errors.TIMEOUT, origin=where, what=what, detail=f"{timeout:g}s", may_have_acted=acted
            ) from None
        except (http.client.HTTPException, OSError) as exc:
            conn.close()
            stale = isinstance(exc, (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError))
            if retry_stale and reused and response is None and stale and (body is None or isinstance(body, bytes)):
                return self._exchange(method, url, headers, body, what, timeout, max_body, acted)
            raise transport_error(
                errors.DROPPED, origin=where, what=what, detail=type(exc).__name__, may_have_acted=acted
            ) from None
        if response.will_close:
            conn.close()
        else:
            self._give_back(key, conn)
        version = "HTTP/1.0" if response.version == 10 else "HTTP/1.1"
        return Response(response.status, response.reason, Headers(response.getheaders()), content, version, url)

    # -- connections ------------------------------------------------------------------------------
    def _take(self, key: Origin, proxy: Proxy | None, what: str, where: str) -> tuple[http.client.HTTPConnection, bool]:
        """A connection for `key`, and whether it was kept alive from an earlier request."""
        with self._lock:
            idle = self._idle.get(key) or []
            while idle:
                conn = idle.pop()
                if _still_open(conn):
                    return conn, True
                conn.close()
        return self._open(key, proxy, what, where), False

    def _give_back(self, key: Origin, conn: http.client.HTTPConnection) -> None:
        with self._lock:
            self._idle.setdefault(key, []).append(conn)

    def _open(self, key: Origin, proxy: Proxy | None, what: str, where: str) -> http.client.HTTPConnection:
        scheme, host, port, _ = key
        address = (proxy.host, proxy.port) if proxy else (host, port)
        if proxy and self.log:
            self.log(f"* {where} through proxy {proxy.redacted()} (from {proxy.source})")
        conn: http.client.HTTPConnection
        try:
            # The CONNECT answer is read with the same deadline reader: it gets the connect timeout.
            deadline = time.monotonic() + self.connect_timeout
            if scheme == "https":
                if self._tls is None:
                    self._tls = ssl_context(self._ca_bundle, self._env)
                    if self.log:
                        self.log(f"* TLS: trusting {trust_source(self._ca_bundle, self._env)}")
                conn = http.client.HTTPSConnection(*address, timeout=self.connect_timeout, context=self._tls)
                if proxy:
                    auth = proxy.authorization()
                    conn.set_tunnel(host, port, headers={"Proxy-Authorization": auth} if auth else None)
            else:
                conn = http.client.HTTPConnection(*address, timeout=self.connect_timeout)
            conn.deadline = deadline  # type: ignore[attr-defined]
            conn.response_class = _deadline_response(conn)  # type: ignore[assignment]
            conn.connect()
        except ssl.SSLCertVerificationError as exc:
            raise transport_error(errors.TLS_VERIFY, origin=where, what=what, detail=str(exc)) from None
        except OSError as exc:
            if proxy and str(exc).startswith("Tunnel connection failed"):
                # http.client's words for a CONNECT the proxy answered with something other than 200.
                status = str(exc).split(":", 1)[-1].strip()
                raise transport_error(
                    errors.PROXY,
                    origin=where,
                    what=what,
                    detail=f"the proxy {proxy.redacted()} refused the tunnel to {host}:{port}: {status}",
                ) from None
            if proxy:
                raise transport_error(
                    errors.PROXY,
                    origin=where,
                    what=what,
                    detail=f"cannot reach the proxy {proxy.redacted()} (from {proxy.source}) "
                    f"for {where}: {type(exc).__name__}",
                ) from None
            # Refused, unreachable, DNS, connect timeout, handshake failure: the request was never sent.
            detail = f"{type(exc).__name__}: {exc}"
            error = transport_error(errors.CONNECT, origin=where, what=what, detail=detail)
            from slackctl.slack.httpserver import is_loopback_host  # only on this failure: off the start-up path

            if isinstance(exc, ConnectionRefusedError) and is_loopback_host(host):
                # Nothing listens on that port of this machine: no network blip that a retry would ride out.
                error.refused_here = True
                error.hint_key = "connect_refused_here"
            raise error from None
        assert conn.sock is not None
        conn.sock.settimeout(self.timeout)
        # Requests are written in one piece; don't let Nagle hold the last segment back.
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.connections_opened += 1
        return conn


def _read_body(response: http.client.HTTPResponse, limit: int, what: str, where: str, acted: bool) -> bytes:
    """The body, read in pieces (each waits only until the connection's deadline), and neither the bytes on the
    wire nor (for gzip) the bytes they inflate to may pass `limit`: never more than the limit plus one read."""
    gzip = (response.getheader("content-encoding") or "").strip().lower() == "gzip"
    too_large = transport_error(errors.TOO_LARGE, origin=where, what=what, detail=size_label(limit))
    if response.length is not None and response.length > limit and not gzip:
        raise too_large  # said up front: nothing is read
    inflate = Gunzip(limit) if gzip else None
    out = bytearray()
    while True:
        # read1: at most one read from the socket, so a trickling server cannot hold us past the deadline.
        chunk = response.read1(READ_SIZE)
        if not chunk:
            if response.length:  # read1 reports a connection closed before Content-Length as a plain end
                raise http.client.IncompleteRead(b"", response.length)
            response.read()  # marks the response done (read1 never does at an exact Content-Length end)
            break
        try:
            if inflate is None:
                out += chunk
            else:
                inflate.feed(chunk, out)
        except CorruptGzip:
            inflate = None
            break
        if len(out) > limit:
            raise too_large
    if gzip and (inflate is None or not inflate.complete):
        raise transport_error(
            errors.DROPPED,
            origin=where,
            what=what,
            detail="a gzip response body was cut short or corrupt",
            may_have_acted=acted,
        )
    return bytes(out)


class _DeadlineReader(io.RawIOBase):
    """The response's view of the socket: before each read the socket timeout becomes the time left until the
    connection's deadline, so a status line, headers or body trickled byte by byte still end at the deadline."""

    def __init__(self, sock: socket.socket, conn: http.client.HTTPConnection) -> None:
        super().__init__()
        self._sock = sock
        # makefile's raw SocketIO keeps the socket open while the response reads, even after http.client closes
        # the connection object (it does that at once for a response that ends with the connection).
        self._raw = sock.makefile("rb", buffering=0)
        self._conn = conn

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        remaining = self._conn.deadline - time.monotonic()  # type: ignore[attr-defined]
        if remaining <= 0:
            raise TimeoutError("deadline passed")
        self._sock.settimeout(remaining)
        return self._raw.readinto(buffer)

    def close(self) -> None:
        self._raw.close()
        super().close()


def _deadline_response(conn: http.client.HTTPConnection) -> Callable[..., http.client.HTTPResponse]:
    def make(sock: socket.socket, *args: Any, **kwargs: Any) -> http.client.HTTPResponse:
        response = http.client.HTTPResponse(sock, *args, **kwargs)
        response.fp.close()  # the plain makefile reader it opened, replaced by one that keeps the deadline
        response.fp = io.BufferedReader(_DeadlineReader(sock, conn), READ_SIZE)
        return response

    return make


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


def request(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    body: Body = None,
    timeout: float = 10.0,
    ca_bundle: str | None = None,
    proxy: str | None = None,
    max_body: int = DEFAULT_MAX_BODY,
    what: str = "request",
    trust_env: bool = True,
    repeatable: bool = False,
) -> Response:
    """One request on a connection of its own, with the same rules as Transport.request: for code that makes a
    request now and then, such as the emulator's calls to providers and (event, interactivity) deliveries to
    apps. `trust_env=False` ignores the *_PROXY and SSL_CERT_* variables: deliveries to an app on this machine
    must not be sent to a corporate proxy."""
    env: Mapping[str, str] | None = None if trust_env else {}
    with Transport(timeout=timeout, ca_bundle=ca_bundle, proxy=proxy, max_body=max_body, env=env) as transport:
        return transport.request(method, url, headers, body, what=what, repeatable=repeatable)
