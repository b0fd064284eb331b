"""A tiny real HTTP server on loopback that answers every Web API call with JSON chosen by the test: for server
behaviour the emulator will not produce (a next_cursor that repeats, escape codes in an error string)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# (method, how many calls came before this one) -> the JSON to answer with
Answer = Callable[[str, int], dict[str, Any]]


class Hostile(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, answer: Answer) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answer = answer
        self.calls: list[str] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: Hostile  # type: ignore[assignment]
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def _serve(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        method = self.path.split("?", 1)[0].rsplit("/", 1)[-1]
        with self.server.lock:
            before = len(self.server.calls)
            self.server.calls.append(method)
        body = json.dumps(self.server.answer(method, before)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _serve


@contextmanager
def hostile_server(answer: Answer) -> Iterator[Hostile]:
    server = Hostile(answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
