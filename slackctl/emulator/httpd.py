"""The HTTP layer: a keep-alive ThreadingHTTPServer (optionally TLS) handing Request objects to the emulator."""

from __future__ import annotations

import json
import logging
import selectors
import socket
import ssl
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

from slackctl.slack.httpserver import LoopbackHTTPServer

log = logging.getLogger("slackctl.emulator")
MAX_BODY = 32 * 1024 * 1024  # API bodies are read into memory (multipart streams); uploads stream, no limit
JSON_TYPE = "application/json; charset=utf-8"


class BodyTooLarge(Exception):
    pass


class Request:
    def __init__(self, handler: BaseHTTPRequestHandler) -> None:
        self._handler = handler
        self.http_method = handler.command
        split = urllib.parse.urlsplit(handler.path)
        self.path = split.path
        self.query = dict(urllib.parse.parse_qsl(split.query, keep_blank_values=True))
        self.headers = handler.headers
        self.client_host = handler.client_address[0]
        self._body: bytes | None = None
        self._consumed = False

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "") or ""

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name, default) or default

    def stream(self, chunk_size: int = 65536) -> Iterator[bytes]:
        """The body in chunks (Content-Length or chunked transfer encoding), read once."""
        if self._consumed:
            if self._body:
                yield self._body
            return
        self._consumed = True
        rfile = self._handler.rfile
        if "chunked" in self.header("Transfer-Encoding").lower():
            while True:
                size_line = rfile.readline(1024)
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    return
                remaining = size
                while remaining:
                    chunk = rfile.read(min(chunk_size, remaining))
                    if not chunk:
                        return
                    remaining -= len(chunk)
                    yield chunk
                rfile.readline(1024)
        else:
            remaining = int(self.header("Content-Length", "0") or 0)
            while remaining > 0:
                chunk = rfile.read(min(chunk_size, remaining))
                if not chunk:
                    return
                remaining -= len(chunk)
                yield chunk

    def limited_stream(self) -> Iterator[bytes]:
        """stream(), raising BodyTooLarge past MAX_BODY (the Web API's limit)."""
        total = 0
        for chunk in self.stream():
            total += len(chunk)
            if total > MAX_BODY:
                raise BodyTooLarge()
            yield chunk

    def body(self) -> bytes:
        if self._body is None:
            self._body = b"".join(list(self.limited_stream()))
        return self._body

    def drain(self) -> None:
        if not self._consumed:
            for _ in self.stream():
                pass

    def header_dict(self) -> dict[str, str]:
        return {k: v for k, v in self.headers.items()}


class RawJSON:
    """Already-encoded JSON (UTF-8 fragments, joined as they are). As a top-level value of a Response.json object it
    is spliced in verbatim: large arrays (users.list pages) are encoded once, cheaply, not by json.dumps per call."""

    __slots__ = ("parts",)

    def __init__(self, parts: list[bytes]) -> None:
        self.parts = parts


def encode_json_parts(data: Any) -> list[bytes]:
    """Compact JSON (RawJSON values of a top-level object inserted verbatim) as fragments, joined only once, when
    written (with the response head): each join or concatenation of a page-sized buffer is a fresh large
    allocation, ~30-70 µs of page faults in a new thread."""
    if isinstance(data, dict) and any(type(v) is RawJSON for v in data.values()):
        enc = _ENCODER.encode
        out: list[bytes] = []
        for k, v in data.items():
            out.append(f"{',' if out else '{'}{enc(str(k))}:".encode())
            if type(v) is RawJSON:
                out.extend(v.parts)
            else:
                out.append(enc(v).encode())
        out.append(b"}")
        return out
    return [_ENCODER.encode(data).encode()]


_ENCODER = json.JSONEncoder(separators=(",", ":"))


class Response:
    DROP: Response  # sentinel: close the connection without answering

    def __init__(
        self,
        status: int = 200,
        body: bytes | list[bytes] = b"",
        content_type: str = JSON_TYPE,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.status = status
        self.parts = body if isinstance(body, list) else [body]  # the body, in fragments
        self.content_type = content_type
        self.headers = dict(headers or {})
        self.log_body: Any = None
        self.stream: Iterator[bytes] | None = None  # a body of unknown length, written as it comes (SSE)
        self.stream_write_timeout: float | None = None  # seconds one write of the stream may take
        self.stream_send_buffer: int | None = None  # SO_SNDBUF for the stream's socket (a stalled reader shows soon)

    @property
    def body(self) -> bytes:
        return b"".join(self.parts)

    @property
    def content_length(self) -> int:
        return sum(map(len, self.parts))

    @classmethod
    def json(cls, data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
        return cls(status, encode_json_parts(data), JSON_TYPE, headers)

    @classmethod
    def html(cls, text: str, status: int = 200) -> Response:
        return cls(status, text.encode(), "text/html; charset=utf-8")

    @classmethod
    def text(cls, text: str, status: int = 200) -> Response:
        return cls(status, text.encode(), "text/plain; charset=utf-8")

    @classmethod
    def streaming(cls, chunks: Iterator[bytes], content_type: str, status: int = 200) -> Response:
        """A body written chunk by chunk as CHUNKS yields them, then the connection closes (server-sent events)."""
        resp = cls(status, b"", content_type)
        resp.stream = chunks
        return resp

    @classmethod
    def redirect(cls, location: str) -> Response:
        return cls(302, b"", "text/plain; charset=utf-8", {"Location": location})


Response.DROP = Response(0)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "slackctl-emulator"
    sys_version = ""
    timeout = 300  # idle keep-alive connections go away eventually

    def setup(self) -> None:
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def _handle(self) -> None:
        req = Request(self)
        try:
            resp = self.server.app(req)  # type: ignore[attr-defined]
        except BodyTooLarge:
            resp = Response.json({"ok": False, "error": "request_too_large"}, 413)
            self.close_connection = True
        except Exception:
            log.exception("emulator error on %s %s", req.http_method, req.path)
            resp = Response.json({"ok": False, "error": "internal_error"}, 500)
        try:
            req.drain()
        except (OSError, ValueError):
            self.close_connection = True
        if resp is Response.DROP:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if resp.stream is not None:
            self._write_stream(resp)
            return
        head = [
            f"HTTP/1.1 {resp.status} {self.responses.get(resp.status, ('',))[0]}",
            f"Content-Type: {resp.content_type}",
            f"Content-Length: {resp.content_length}",
            "Server: slackctl-emulator",
        ]
        head += [f"{k}: {v}" for k, v in resp.headers.items()]
        if self.close_connection:
            head.append("Connection: close")
        head.append("\r\n")
        payload = "\r\n".join(head).encode("latin-1")
        if self.command != "HEAD":
            # One buffer, one write: one run of TLS records and no tiny header packet of its own.
            payload = b"".join([payload, *resp.parts])
        self.wfile.write(payload)

    def _write_stream(self, resp: Response) -> None:
        self.close_connection = True  # no length: the end of the body is the end of the connection
        head = [
            f"HTTP/1.1 {resp.status} {self.responses.get(resp.status, ('',))[0]}",
            f"Content-Type: {resp.content_type}",
            "Server: slackctl-emulator",
            "Connection: close",
            *(f"{k}: {v}" for k, v in resp.headers.items()),
            "\r\n",
        ]
        assert resp.stream is not None
        try:
            if resp.stream_send_buffer:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, resp.stream_send_buffer)
            if resp.stream_write_timeout:
                self.connection.settimeout(resp.stream_write_timeout)
            self.wfile.write("\r\n".join(head).encode("latin-1"))
            if self.command == "HEAD":
                return
            for chunk in resp.stream:
                self.wfile.write(chunk)
                self.wfile.flush()
        except OSError:
            pass  # the client went away (a closed tab) or the emulator is stopping
        finally:
            close = getattr(resp.stream, "close", None)
            if close is not None:
                close()  # runs the generator's cleanup (unsubscribing from the bus) now, not at GC

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _handle

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


class Server(LoopbackHTTPServer):
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(
        self, address: tuple[str, int], app: Callable[[Request], Response], ssl_context: ssl.SSLContext | None = None
    ) -> None:
        self.app = app
        self._wake_r, self._wake_w = socket.socketpair()
        self._stop_requested = False
        self._loop_done = threading.Event()
        super().__init__(address, _Handler, ssl_context=ssl_context)

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Like socketserver's, but stop() wakes the loop through a socket pair instead of waiting a poll
        interval: stopping an emulator takes microseconds, which matters to test suites."""
        self._loop_done.clear()
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(self, selectors.EVENT_READ)
                selector.register(self._wake_r, selectors.EVENT_READ)
                while not self._stop_requested:
                    ready = selector.select(poll_interval)
                    if self._stop_requested:
                        break
                    if any(key.fileobj is self for key, _ in ready):
                        # socketserver's own per-request step (what serve_forever calls); typeshed omits it.
                        self._handle_request_noblock()  # type: ignore[attr-defined]
        finally:
            self._loop_done.set()

    def shutdown(self) -> None:
        self._stop_requested = True
        try:
            self._wake_w.send(b"x")
        except OSError:
            pass
        self._loop_done.wait()

    def server_close(self) -> None:
        super().server_close()
        self._wake_r.close()
        self._wake_w.close()
