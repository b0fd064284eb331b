"""Fault sources the emulator's count-based fault queue cannot express: a seeded 429 storm hitting a share of
calls at random, and a loopback proxy that cuts responses off half-way through the body."""

from __future__ import annotations

import http.client
import random
import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


class Storm:
    """Answer a seeded-random share of the calls to `methods` with 429 (Retry-After: 0, so tests stay fast).

    Installed in front of the emulator's own fault queue: the 429 is still the emulator's real HTTP answer,
    only the choice of which request gets it is ours. `hits` counts the storm's answers."""

    def __init__(self, emulator: Any, methods: set[str], share: float, seed: int = 9) -> None:
        self.methods, self.share, self.hits, self.calls = methods, share, 0, 0
        self._rng = random.Random(seed)
        self._take = emulator.faults.take
        self._lock = threading.Lock()

    def take(self, method: str) -> dict[str, Any] | None:
        if method in self.methods:
            with self._lock:
                self.calls += 1
                if self._rng.random() < self.share:
                    self.hits += 1
                    return {"method": method, "kind": "429", "remaining": 0, "retry_after": 0, "delay": 0.0}
        return self._take(method)


@contextmanager
def storm(emulator: Any, methods: set[str], share: float = 0.3, seed: int = 9) -> Iterator[Storm]:
    s = Storm(emulator, methods, share, seed)
    emulator.faults.take = s.take  # instance attribute: removed again below, the class method stays intact
    try:
        yield s
    finally:
        del emulator.faults.take


class _CuttingHandler(BaseHTTPRequestHandler):
    server: _CuttingProxy  # type: ignore[assignment]
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # quiet: pytest shows stderr of failing tests
        pass

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        upstream = http.client.HTTPConnection(self.server.upstream_host, self.server.upstream_port, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        upstream.request(self.command, self.path, body=body, headers=headers)
        resp = upstream.getresponse()
        data = resp.read()
        upstream.close()
        method = self.path.split("?", 1)[0].rsplit("/", 1)[-1]
        cut = self.server.should_cut(method)
        self.send_response(resp.status)
        for name, value in resp.getheaders():
            if name.lower() not in ("content-length", "connection", "transfer-encoding", "date", "server"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if cut:
            # The upstream call was fully carried out; the client gets the headers and half the body, then the
            # connection is reset, as when a proxy or the network dies mid-response.
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        self.wfile.write(data)

    do_GET = _forward
    do_POST = _forward


class _CuttingProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: str, methods: dict[str, int]) -> None:
        super().__init__(("127.0.0.1", 0), _CuttingHandler)
        parts = urlsplit(upstream)
        self.upstream_host, self.upstream_port = parts.hostname or "127.0.0.1", parts.port or 80
        self.remaining = dict(methods)
        self.cuts: list[str] = []
        self._lock = threading.Lock()

    def should_cut(self, method: str) -> bool:
        with self._lock:
            if self.remaining.get(method, 0) > 0:
                self.remaining[method] -= 1
                self.cuts.append(method)
                return True
        return False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextmanager
def cutting_proxy(emulator_url: str, methods: dict[str, int]) -> Iterator[_CuttingProxy]:
    """A plain-HTTP loopback proxy in front of the emulator that cuts the first `methods[name]` responses of
    each named Web API method half-way through the body."""
    proxy = _CuttingProxy(emulator_url, methods)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.shutdown()
        proxy.server_close()
        thread.join(5)
