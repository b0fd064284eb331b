"""Tiny real servers on loopback for what the emulator does not do: hostile HTTP answers (huge, endless, gzip
bombs, deep JSON, odd Retry-After) and an HTTP CONNECT proxy that can be the only route to a TLS server."""

from __future__ import annotations

import base64
import select
import socket
import socketserver
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

# handler(request_head, wfile) writes a whole HTTP answer (status line, headers, body) to the client.
Answer = Callable[[bytes, Any], None]


class _Quiet(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:  # a client hanging up is expected
        pass


def _read_head(rfile: Any) -> bytes:
    head = b""
    while not head.endswith(b"\r\n\r\n"):
        line = rfile.readline(65537)
        if not line:
            break
        head += line
    return head


def _body_length(head: bytes) -> int:
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


@contextmanager
def answering(answer: Answer) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 answering every request with `answer`; yields its base URL."""

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            head = _read_head(self.rfile)
            if not head:
                return
            self.rfile.read(_body_length(head))
            try:
                answer(head, self.wfile)
                self.wfile.flush()
            except OSError:
                pass  # the client gave up (what most hostile answers are for)

    server = _Quiet(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def json_answer(body: bytes, status: str = "200 OK", headers: dict[str, str] | None = None) -> Answer:
    def answer(head: bytes, wfile: Any) -> None:
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        # One answer per connection (the server closes after it), and it says so: no keep-alive race.
        wfile.write(
            f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            f"Connection: close\r\n{extra}\r\n".encode()
            + body
        )

    return answer


class ConnectProxy:
    """An HTTP proxy: CONNECT tunnels (for https) and absolute-form requests (for http). `routes` maps the
    host:port a client asks for to where the proxy really connects, so a name or port that leads nowhere
    directly is reachable only through it. With `credentials` ("user:pass") it answers 407 without them."""

    def __init__(self, routes: dict[str, tuple[str, int]] | None = None, credentials: str | None = None) -> None:
        self.routes = dict(routes or {})
        self.credentials = credentials
        self.tunnels: list[str] = []  # host:port of every CONNECT accepted
        self.forwarded: list[str] = []  # absolute URLs of plain-http requests forwarded
        self.refused: list[str] = []  # requests answered 407
        self.heads: list[bytes] = []
        proxy = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                proxy._handle(self)

        self._server = _Quiet(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> ConnectProxy:
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _route(self, authority: str) -> tuple[str, int]:
        if authority in self.routes:
            return self.routes[authority]
        host, _, port = authority.rpartition(":")
        return host.strip("[]"), int(port)

    def _authorized(self, head: bytes) -> bool:
        if not self.credentials:
            return True
        want = "Basic " + base64.b64encode(self.credentials.encode()).decode()
        for line in head.decode("latin-1").split("\r\n")[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "proxy-authorization" and value.strip() == want:
                return True
        return False

    def _handle(self, h: socketserver.StreamRequestHandler) -> None:
        head = _read_head(h.rfile)
        if not head:
            return
        self.heads.append(head)
        method, target, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
        if not self._authorized(head):
            self.refused.append(target)
            h.wfile.write(
                b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n"
                b"Content-Length: 0\r\nConnection: close\r\n\r\n"
            )
            return
        if method == "CONNECT":
            try:
                upstream = socket.create_connection(self._route(target), timeout=10)
            except OSError:
                h.wfile.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                return
            self.tunnels.append(target)
            h.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            h.wfile.flush()
            _pipe(h.connection, upstream, h.rfile)
            return
        # Absolute-form plain http: forward this one request and its answer, then close.
        self.forwarded.append(target)
        rest = target.split("://", 1)[1]
        authority, _, path = rest.partition("/")
        upstream = socket.create_connection(self._route(authority), timeout=10)
        lines = head.decode("latin-1").split("\r\n")
        kept = [ln for ln in lines[1:] if ln and not ln.lower().startswith(("proxy-", "connection:"))]
        body = h.rfile.read(_body_length(head))
        upstream.sendall(
            (f"{method} /{path} HTTP/1.1\r\n" + "\r\n".join(kept) + "\r\nConnection: close\r\n\r\n").encode("latin-1")
            + body
        )
        while chunk := upstream.recv(65536):
            h.wfile.write(chunk)
        upstream.close()


def _pipe(client: socket.socket, upstream: socket.socket, rfile: Any) -> None:
    """Copy bytes both ways until either side closes (what a CONNECT tunnel is)."""
    buffered = rfile.peek() if hasattr(rfile, "peek") else b""
    if buffered:
        upstream.sendall(rfile.read(len(buffered)))
    try:
        while True:
            readable, _, _ = select.select([client, upstream], [], [], 30)
            if not readable:
                return
            for sock in readable:
                data = sock.recv(65536)
                if not data:
                    return
                (upstream if sock is client else client).sendall(data)
    except OSError:
        pass
    finally:
        upstream.close()


def free_port() -> int:
    """A loopback port with nothing listening on it (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
