"""The emulator's HTTPS proxy for unmodified apps (`slackctl emulator exec`, `slackctl run --emulator`).

A child process gets HTTPS_PROXY/HTTP_PROXY pointing here. Requests for Slack's hosts (slack.com and every
*.slack.com, e.g. wss-primary.slack.com; GovSlack too) are answered by the emulator: CONNECT is accepted, TLS is
terminated with a leaf certificate from a CA made for this proxy (the child trusts it through the bundle), and the
plain bytes are piped to the emulator, so HTTP keep-alive and WebSocket upgrades pass unchanged. Everything else
is tunnelled as any proxy would; a host that cannot be reached (offline) gets a 502 whose body says so in one line.

slack_sdk sends every request through the proxy (it ignores NO_PROXY) and opens its Socket Mode connection with
CONNECT and TLS even for a ws:// URL, so CONNECTs to the emulator's own ports (its Web API and its Socket Mode
endpoint, asked of its control surface) that start a TLS handshake are terminated here too; any other loopback
port is tunnelled untouched (a real local HTTPS service keeps its own certificate). Plain HTTP requests in absolute
form (`POST http://127.0.0.1:PORT/...`, e.g. a response_url) are forwarded.

Only the child may use the proxy: its URL carries a random credential (`http://slackctl:SECRET@127.0.0.1:PORT`,
sent by clients as Proxy-Authorization), and a request without it gets 407, so another local user cannot reach the
emulator's answers (every app's tokens) through it. Library code: no printing; `on_event` reports what happened.
"""

from __future__ import annotations

import base64
import contextlib
import hmac
import os
import secrets
import shutil
import socket
import socketserver
import ssl
import tempfile
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from slackctl.emulator.exec import proxycerts
from slackctl.slack.httpserver import is_loopback_host

MAX_HEAD = 64 * 1024
CONNECT_TIMEOUT = 5.0
PEEK_TIMEOUT = 10.0
TLS_HANDSHAKE = 0x16  # first byte of a TLS record carrying a ClientHello
_HOP_HEADERS = {"proxy-connection", "proxy-authorization", "connection", "keep-alive"}
# The Node preload (shipped in the wheel beside this module) and the variable that tells it where the proxy is.
NODE_PRELOAD = Path(__file__).with_name("node_proxy.js")
NODE_PROXY_ENV = "SLACKCTL_NODE_PROXY"
PROXY_USER = "slackctl"  # the user name in the proxy URL; the password is random per proxy


@dataclass(frozen=True)
class ProxyEvent:
    kind: str  # "emulator" (answered by the emulator), "tunnel", "refused", "denied" (no credential), "error"
    host: str
    port: int
    detail: str = ""


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        proxy = self.server.proxy
        sock: socket.socket = self.request
        proxy._track(sock)
        try:
            proxy._serve_connection(sock)
        except (OSError, ssl.SSLError, ValueError) as exc:
            proxy._emit(ProxyEvent("error", "", 0, f"{type(exc).__name__}: {exc}"))
        finally:
            proxy._untrack(sock)
            with contextlib.suppress(OSError):
                sock.close()


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    proxy: SlackProxy


class SlackProxy:
    """`start()` listens on 127.0.0.1 (a free port) and serves in a daemon thread; `stop()` closes everything."""

    def __init__(
        self, emulator_url: str, *, upstream_ca: str | None = None, on_event: Callable[[ProxyEvent], None] | None = None
    ) -> None:
        split = urllib.parse.urlsplit(emulator_url)
        if split.scheme not in ("http", "https") or not split.hostname:
            raise ValueError(f"not an emulator URL: {emulator_url!r}")
        self.emulator_host = split.hostname
        self.emulator_port = split.port or (443 if split.scheme == "https" else 80)
        self.emulator_tls = split.scheme == "https"
        self.upstream_ca = upstream_ca
        self.on_event = on_event
        self.url = ""  # what a client is given: with the credential (`address` is host and port alone)
        self.address: tuple[str, int] = ("127.0.0.1", 0)
        self._credential = "Basic " + base64.b64encode(f"{PROXY_USER}:{secrets.token_urlsafe(24)}".encode()).decode()
        self._socket_mode_port: int | None = None
        self.bundle: Path | None = None
        self._dir: Path | None = None
        self._server: _Server | None = None
        self._server_ctx: ssl.SSLContext | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()

    # ---- lifecycle ----------------------------------------------------------------------------------------
    def start(self) -> SlackProxy:
        proxycerts.remove_stale_dirs()
        # The pid in the name lets a later start tell a dead proxy's dir from a live one's.
        self._dir = Path(tempfile.mkdtemp(prefix=f"{proxycerts.DIR_PREFIX}{os.getpid()}-"))
        ca, leaf, key = proxycerts.make_certificates(self._dir, (self.emulator_host,))
        extra = [Path(self.upstream_ca)] if self.upstream_ca else []
        self.bundle = proxycerts.write_bundle(self._dir / "ca-bundle.pem", ca, extra)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        proxycerts.load_leaf(ctx, self._dir, leaf, key)
        ctx.set_alpn_protocols(["http/1.1"])  # the emulator speaks HTTP/1.1 only
        self._server_ctx = ctx
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.proxy = self
        self.address = ("127.0.0.1", self._server.server_address[1])
        user, _, password = base64.b64decode(self._credential.split(" ", 1)[1]).decode().partition(":")
        self.url = f"http://{user}:{password}@127.0.0.1:{self.address[1]}"
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.5}, name="slackctl-proxy", daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        with self._lock:
            for sock in list(self._open):
                # Shut down, not closed: the thread serving it wakes up and closes it itself (see _pump).
                with contextlib.suppress(OSError):
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)
            self._open.clear()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    @property
    def auth_headers(self) -> dict[str, str]:
        """The header a client of `url` sends (for an in-process client that takes no proxy URL)."""
        return {"Proxy-Authorization": self._credential}

    def __enter__(self) -> SlackProxy:
        return self.start() if self._server is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.add(sock)

    def _untrack(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.discard(sock)

    def _emit(self, event: ProxyEvent) -> None:
        if self.on_event is not None:
            with contextlib.suppress(Exception):
                self.on_event(event)

    # ---- one client connection ----------------------------------------------------------------------------
    def _serve_connection(self, client: socket.socket) -> None:
        head, rest = _read_head(client)
        if head is None:
            return
        request_line, _, header_block = head.partition(b"\r\n")
        parts = request_line.decode("latin-1").split(" ")
        if len(parts) != 3:
            _reply(client, 400, "malformed request line")
            return
        if not self._authorized(header_block):
            peer = client.getpeername()
            self._emit(ProxyEvent("denied", str(peer[0]), int(peer[1]), "no or wrong proxy credential"))
            _reply(
                client,
                407,
                "slackctl's emulator proxy answers only the program slackctl started: use the "
                "proxy URL (with its credential) from that program's HTTPS_PROXY",
            )
            return
        method, target, version = parts
        if method.upper() == "CONNECT":
            self._connect(client, target, rest)
        elif target.lower().startswith("http://"):
            self._forward(client, method, target, version, header_block, rest)
        else:
            _reply(client, 400, "this is slackctl's Slack proxy: send CONNECT host:port or an absolute http:// URL")

    def _authorized(self, header_block: bytes) -> bool:
        for line in header_block.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"proxy-authorization":
                return hmac.compare_digest(value.strip(), self._credential.encode())
        return False

    def _is_emulator(self, host: str, port: int) -> bool:
        return port == self.emulator_port and _same_host(host, self.emulator_host)

    def _is_emulator_port(self, host: str, port: int) -> bool:
        """The emulator's Web API port, or its Socket Mode port (started on first use: asked of the emulator's
        control surface when a CONNECT names a loopback port we do not know yet)."""
        if not _same_host(host, self.emulator_host):
            return False
        if port == self.emulator_port:
            return True
        if self._socket_mode_port != port:
            self._socket_mode_port = self._ask_socket_mode_port()
        return self._socket_mode_port == port

    def _ask_socket_mode_port(self) -> int | None:
        import http.client
        import json

        conn = http.client.HTTPConnection(self.emulator_host, self.emulator_port, timeout=CONNECT_TIMEOUT)
        try:
            conn.request("GET", "/_emulator/info")
            answer = conn.getresponse()
            info = json.loads(answer.read()) if answer.status == 200 else {}
        except (OSError, ValueError):
            return None
        finally:
            conn.close()
        port = info.get("socket_mode_port") if isinstance(info, dict) else None
        return port if isinstance(port, int) else None

    def _connect(self, client: socket.socket, target: str, rest: bytes) -> None:
        host, port = _split_host_port(target, 443)
        if proxycerts.is_slack_host(host):
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            self._emit(ProxyEvent("emulator", host, port))
            self._terminate_tls(client, rest, (self.emulator_host, self.emulator_port))
            return
        if not self.emulator_tls and is_loopback_host(host) and self._is_emulator_port(host, port):
            # The emulator's ports (its Web API, its Socket Mode endpoint) speak plain HTTP; a client that starts
            # TLS to one (slack_sdk always does, behind a proxy) gets it terminated here. Other loopback ports are
            # tunnelled below, untouched.
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            if rest[:1] == bytes([TLS_HANDSHAKE]) or (not rest and _peek_tls(client)):
                self._emit(ProxyEvent("emulator", host, port, "tls"))
                self._terminate_tls(client, rest, (host, port))
                return
            upstream = self._dial(client, host, port, answered=True)
            if upstream is not None:
                self._emit(ProxyEvent("tunnel", host, port))
                self._relay(client, upstream, rest)
            return
        upstream = self._dial(client, host, port, answered=False)
        if upstream is None:
            return
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self._emit(ProxyEvent("tunnel", host, port))
        self._relay(client, upstream, rest)

    def _dial(self, client: socket.socket, host: str, port: int, *, answered: bool) -> socket.socket | None:
        try:
            upstream = socket.create_connection((host, port), timeout=CONNECT_TIMEOUT)
        except OSError as exc:
            if answered:  # the 200 is already sent: all that is left is to hang up
                self._emit(ProxyEvent("refused", host, port, exc.strerror or str(exc)))
            else:
                self._refuse(client, host, port, exc)
            return None
        upstream.settimeout(None)
        return upstream

    def _relay(self, client: socket.socket, upstream: socket.socket, first: bytes) -> None:
        self._track(upstream)
        try:
            _pump(client, upstream, first)
        finally:
            self._untrack(upstream)

    def _refuse(self, client: socket.socket, host: str, port: int, exc: OSError) -> None:
        reason = exc.strerror or str(exc) or type(exc).__name__
        message = (
            f"slackctl emulator proxy: cannot reach {host}:{port} ({reason}); this machine may be offline. "
            "Only Slack's hosts are answered by the emulator; other hosts are tunnelled when reachable."
        )
        self._emit(ProxyEvent("refused", host, port, reason))
        _reply(client, 502, message)

    def _terminate_tls(self, client: socket.socket, rest: bytes, upstream_at: tuple[str, int]) -> None:
        assert self._server_ctx is not None
        if rest:  # bytes of the ClientHello read with the CONNECT head: hand them to TLS through a memory BIO
            _reply(client, 400, "send the TLS handshake after the CONNECT response")
            return
        client.settimeout(PEEK_TIMEOUT)
        tls = self._server_ctx.wrap_socket(client, server_side=True)
        tls.settimeout(None)
        upstream = self._open_upstream(upstream_at)
        try:
            self._relay(tls, upstream, b"")
        finally:
            with contextlib.suppress(OSError):
                tls.close()

    def _open_upstream(self, at: tuple[str, int] | None = None) -> socket.socket:
        sock = socket.create_connection(at or (self.emulator_host, self.emulator_port), timeout=CONNECT_TIMEOUT)
        sock.settimeout(None)
        if self.emulator_tls:
            ctx = (
                ssl.create_default_context(cafile=self.upstream_ca)
                if self.upstream_ca
                else ssl.create_default_context()
            )
            sock = ctx.wrap_socket(sock, server_hostname=self.emulator_host)
        return sock

    def _forward(
        self, client: socket.socket, method: str, target: str, version: str, header_block: bytes, rest: bytes
    ) -> None:
        url = urllib.parse.urlsplit(target)
        host, port = url.hostname or "", url.port or 80
        path = (url.path or "/") + (f"?{url.query}" if url.query else "")
        upgrade = b"upgrade:" in header_block.lower()
        lines = [f"{method} {path} {version}".encode("latin-1")]
        for line in header_block.split(b"\r\n"):
            name = line.split(b":", 1)[0].strip().lower().decode("latin-1")
            if line and name not in _HOP_HEADERS:
                lines.append(line)
        # One request per connection keeps forwarding a plain pipe (clients reconnect for the next request).
        lines.append(b"Connection: Upgrade" if upgrade else b"Connection: close")
        head = b"\r\n".join(lines) + b"\r\n\r\n"
        if proxycerts.is_slack_host(host):
            self._emit(ProxyEvent("emulator", host, port, "http"))
            upstream = self._open_upstream()
        else:
            dialled = self._dial(client, host, port, answered=False)
            if dialled is None:
                return
            upstream = dialled
            self._emit(ProxyEvent("emulator" if self._is_emulator(host, port) else "tunnel", host, port, "http"))
        self._relay(client, upstream, head + rest)

    def child_environment(self, base: dict[str, str]) -> dict[str, str]:
        """`base` with the proxy and trust variables set, and Slack's hosts taken out of NO_PROXY."""
        assert self.bundle is not None, "start() the proxy first"
        env = dict(base)
        for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
            env[name] = self.url
        for name in ("ALL_PROXY", "all_proxy"):
            env.pop(name, None)
        keep = []
        for entry in (base.get("NO_PROXY") or base.get("no_proxy") or "").split(","):
            entry = entry.strip()
            if entry and entry != "*" and not proxycerts.is_slack_host(entry.lstrip("*.").lstrip(".")):
                keep.append(entry)
        for local in ("localhost", "127.0.0.1", "::1"):
            if local not in keep:
                keep.append(local)
        env["NO_PROXY"] = env["no_proxy"] = ",".join(keep)
        bundle = str(self.bundle)
        for name in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "NODE_EXTRA_CA_CERTS"):
            env[name] = bundle
        env.pop("SSL_CERT_DIR", None)  # a cert dir would be searched instead of (not as well as) the bundle
        env["NODE_USE_ENV_PROXY"] = "1"  # Node 24+ honours HTTPS_PROXY in fetch/http only when asked to
        # Older Node ignores proxy variables, and Slack's Node SDKs turn axios's off: a preload sends Node's TLS
        # connections to Slack's hosts through this proxy (node_proxy.js says how).
        env[NODE_PROXY_ENV] = self.url
        env["NODE_OPTIONS"] = node_options(base.get("NODE_OPTIONS", ""))
        return env


# ---- helpers ------------------------------------------------------------------------------------------------
def node_options(existing: str) -> str:
    """EXISTING NODE_OPTIONS with `--require` of the preload appended (once, even when exec runs exec)."""
    # NODE_OPTIONS splits on spaces; a double-quoted value (backslash escapes) keeps a path with spaces whole.
    quoted = '"' + str(NODE_PRELOAD).replace("\\", "\\\\").replace('"', '\\"') + '"'
    if quoted in existing:
        return existing
    return f"{existing} --require {quoted}".strip()


def _read_head(sock: socket.socket) -> tuple[bytes | None, bytes]:
    sock.settimeout(PEEK_TIMEOUT)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(8192)
        if not chunk:
            return None, b""
        data += chunk
        if len(data) > MAX_HEAD:
            _reply(sock, 431, "request head too large")
            return None, b""
    sock.settimeout(None)
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def _peek_tls(sock: socket.socket) -> bool:
    sock.settimeout(PEEK_TIMEOUT)
    try:
        first = sock.recv(1, socket.MSG_PEEK)
    finally:
        sock.settimeout(None)
    return first[:1] == bytes([TLS_HANDSHAKE])


def _split_host_port(target: str, default_port: int) -> tuple[str, int]:
    if target.startswith("["):
        host, _, tail = target[1:].partition("]")
        port = tail.lstrip(":")
    else:
        host, _, port = target.rpartition(":") if ":" in target else (target, "", "")
    try:
        return host, int(port) if port else default_port
    except ValueError:
        raise ValueError(f"bad CONNECT target {target!r}") from None


def _same_host(a: str, b: str) -> bool:
    loop = {"localhost", "127.0.0.1", "::1"}
    a, b = a.lower().strip("[]"), b.lower().strip("[]")
    return a == b or (a in loop and b in loop)


def _reply(sock: socket.socket, status: int, message: str) -> None:
    reasons = {
        400: "Bad Request",
        407: "Proxy Authentication Required",
        431: "Request Header Fields Too Large",
        502: "Bad Gateway",
    }
    body = (message + "\n").encode()
    challenge = 'Proxy-Authenticate: Basic realm="slackctl emulator proxy"\r\n' if status == 407 else ""
    head = (
        f"HTTP/1.1 {status} {reasons.get(status, 'Error')}\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"{challenge}Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    with contextlib.suppress(OSError):
        sock.sendall(head + body)


def _pump(client: socket.socket, upstream: socket.socket, first: bytes) -> None:
    """Copy bytes both ways until the upstream side ends or the client leaves, then close both.

    A socket is closed only once no thread uses it any more: OpenSSL keeps the raw descriptor number, so a TLS
    socket closed under another thread's read or write would let that thread write into whatever connection
    gets the number next. Shutting the sockets down wakes the other thread; it is joined before anything closes.
    """
    if first:
        upstream.sendall(first)

    def up() -> None:
        try:
            while chunk := client.recv(65536):
                upstream.sendall(chunk)
        except (OSError, ssl.SSLError):
            pass
        finally:  # half-close: the answer may still be coming
            with contextlib.suppress(OSError):
                socket.socket.shutdown(upstream, socket.SHUT_WR)

    thread = threading.Thread(target=up, daemon=True, name="slackctl-proxy-up")
    thread.start()
    try:
        while chunk := upstream.recv(65536):
            client.sendall(chunk)
    except (OSError, ssl.SSLError):
        pass
    finally:
        # The base method on purpose: SSLSocket.shutdown would drop the TLS state under the other thread.
        for sock in (client, upstream):
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
        thread.join()
        for sock in (upstream, client):
            with contextlib.suppress(OSError):
                sock.close()
