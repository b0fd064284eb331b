"""The one base of slackctl's local HTTP servers (auth login's listener, the emulator): TLS in the connection's
own thread, and open keep-alive connections cut when asked."""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from slackctl import certs
from slackctl.slack.httpserver import LoopbackHTTPServer


class _Hello(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"hi")

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serving(context: ssl.SSLContext | None = None) -> Iterator[LoopbackHTTPServer]:
    server = LoopbackHTTPServer(("127.0.0.1", 0), _Hello, ssl_context=context)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_a_client_that_never_finishes_its_tls_handshake_does_not_stall_the_others(tmp_path: Path) -> None:
    cert, key = certs.loopback_certificate(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    client_context = ssl.create_default_context(cafile=cert)
    with serving(context) as server:
        port = server.server_address[1]
        stuck = socket.create_connection(("127.0.0.1", port))  # TCP connected, no ClientHello ever sent
        try:
            conn = http.client.HTTPSConnection("localhost", port, timeout=5, context=client_context)
            conn.request("GET", "/")
            assert conn.getresponse().read() == b"hi"
            conn.close()
        finally:
            stuck.close()


def test_close_connections_cuts_an_idle_keep_alive_connection() -> None:
    with serving() as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=5)
        conn.request("GET", "/")
        assert conn.getresponse().read() == b"hi"
        server.close_connections()
        assert conn.sock is not None
        assert conn.sock.recv(1) == b""  # the server shut its side: the connection is gone, not kept alive
        conn.close()


def test_is_loopback_host_is_the_machine_itself_in_every_spelling() -> None:
    from slackctl.slack.httpserver import is_loopback_host

    for host in ("localhost", "LOCALHOST.", "127.0.0.1", "127.8.9.10", "::1", "[::1]", "::ffff:127.0.0.1", "::1%lo"):
        assert is_loopback_host(host), host
    for host in ("0.0.0.0", "192.168.1.10", "10.0.0.1", "::ffff:10.0.0.1", "example.com", "localhost.evil.com", ""):
        assert not is_loopback_host(host), host
