"""The one base for slackctl's HTTP servers on this machine: auth login's loopback listener and the emulator.

Both need the same things from the standard library's ThreadingHTTPServer, and both got them wrong the same ways
before this base existed: bind without a reverse DNS lookup, IPv6 sockets that do not also take IPv4, the TLS
handshake on the accepting thread (one slow client stalled every other), tracebacks from a client hanging up, and
keep-alive connections that outlive a stopped server. Protocol layer only: imports nothing else of slackctl.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import socketserver
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HANDSHAKE_TIMEOUT = 30.0  # seconds a client may take to finish the TLS handshake


def is_loopback_host(host: str) -> bool:
    """localhost, or an address of the loopback range: 127.0.0.0/8, ::1, and IPv4-mapped ones (`::ffff:127.0.0.1`),
    with or without brackets and an IPv6 zone. The one test of "is this on this machine" for every server and
    proxy slackctl runs."""
    host = host.strip().strip("[]").lower().rstrip(".")
    if host == "localhost":
        return True
    try:
        addr = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped.is_loopback
    return addr.is_loopback


class LoopbackHTTPServer(ThreadingHTTPServer):
    """A threading HTTP(S) server: one thread per connection, TLS negotiated in that thread, quiet on errors."""

    daemon_threads = True  # closing must never wait on a client that keeps a connection open
    # Idle time allowed on a connection before its first request (and for the TLS handshake); None: no limit.
    connection_timeout: float | None = None

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[BaseHTTPRequestHandler],
        *,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.ssl_context = ssl_context
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, handler, bind_and_activate=False)
        if self.address_family == socket.AF_INET6:
            # Listen on exactly the address asked for: an IPv6 socket must not also take IPv4 connections.
            self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        try:
            self.server_bind()
            self.server_activate()
        except BaseException:
            self.server_close()
            raise

    def server_bind(self) -> None:
        # socketserver's bind without HTTPServer's getfqdn(), which can stall on a reverse DNS lookup.
        socketserver.TCPServer.server_bind(self)
        self.server_name = "localhost"
        self.server_port = self.server_address[1]

    def finish_request(self, request: Any, client_address: Any) -> None:
        if self.connection_timeout is not None:
            request.settimeout(self.connection_timeout)
        if self.ssl_context is not None:
            # The handshake happens here, in the connection's own thread, so a slow client cannot stall accept().
            try:
                request.settimeout(self.connection_timeout or HANDSHAKE_TIMEOUT)
                request = self.ssl_context.wrap_socket(request, server_side=True)
                request.settimeout(self.connection_timeout)
            except (OSError, ssl.SSLError):
                return  # a client that refused our certificate (a browser retries after its warning)
        with self._open_lock:
            self._open.add(request)
        try:
            super().finish_request(request, client_address)
        except (OSError, ssl.SSLError):
            pass  # the client hung up or timed out: nothing to answer
        finally:
            with self._open_lock:
                self._open.discard(request)
            if self.ssl_context is not None:
                with contextlib.suppress(OSError):
                    request.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # library code stays silent; a broken connection is the client's business

    def close_connections(self) -> None:
        """Cut open keep-alive connections, so a stopped server really stops answering."""
        with self._open_lock:
            conns = list(self._open)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
