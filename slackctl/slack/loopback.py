"""A one-shot loopback HTTP(S) listener that receives an OAuth redirect in the user's own browser.

Interface (shared with external-auth)::

    with LoopbackListener(8765, state=state) as listener:     # binds 127.0.0.1 and ::1 on exactly that port
        url = listener.redirect_uri()                       # "http://localhost:8765/callback"
        ...open the authorize URL with redirect_uri=url...
        params = listener.wait(timeout=300)                 # {"code": ..., "state": ..., ...}

    LoopbackListener(port, *, path="/callback", state, tls=(certfile, keyfile) | None, hostnames=("127.0.0.1", "::1"))
      .start()            bind now; UsageError naming the port when it is taken (the constructor does not bind)
      .port               the bound port (useful with port=0 in tests)
      .redirect_uri(host="localhost")
      .wait(timeout)      the query parameters of the one accepted callback. Raises AccessDenied (an AuthError,
                          exit 4) for error=access_denied (or any other `error`), LoopbackTimeout (AuthError) when
                          nothing valid arrived in time.
      .close()            stop listening (idempotent; wait() also closes after the callback)
      .sockets()          the bound listening sockets (tests check they are loopback-only)
    parse_pasted(text, state) -> dict   a pasted redirect URL, query string or bare code -> params; checks state

Rules enforced: only loopback addresses are bound; only GET on the exact path counts; the callback must carry the
expected `state` (compared in constant time) and either `code` or `error`; the first valid one wins and every later
request is refused (single use); anything else (favicon, other paths, wrong/missing state, foreign Host header) gets
a small error page and is otherwise ignored. The page shown to the browser never contains the code or a token.
Library code: nothing is printed.
"""

from __future__ import annotations

import errno
import html
import ipaddress
import os
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from slackctl.slack.errors import AuthError, UsageError
from slackctl.slack.httpserver import LoopbackHTTPServer
from slackctl.slack.pkce import same

# Idle browser connections (Chromium preconnects speculatively) are dropped after this many seconds.
_CONNECTION_TIMEOUT = 10.0


class LoopbackTimeout(AuthError):
    """No valid callback arrived before the timeout."""


class AccessDenied(AuthError):
    """The provider redirected back with `error=` (the user pressed Cancel, or the request was refused)."""


def _page(title: str, text: str) -> bytes:
    # Self-contained: no scripts, images or external resources (the CSP header forbids them anyway).
    t, x = html.escape(title), html.escape(text)
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{t}</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;"
        f"color:#1d1c1d}}h1{{font-size:1.4rem}}</style></head><body><h1>{t}</h1><p>{x}</p></body></html>"
    ).encode()


_DONE = _page("Signed in", "slackctl received the answer. You may close this window and return to the terminal.")
_DENIED = _page(
    "Not signed in",
    "The request was cancelled or refused. You may close this window; the terminal says what to do next.",
)
_NOT_FOUND = _page("Not found", "This address only receives the OAuth redirect for slackctl.")
_BAD_STATE = _page(
    "Unexpected sign-in answer",
    "This answer does not belong to the sign-in slackctl is waiting for (the state value is missing "
    "or wrong), so it was ignored. Start again from the terminal if needed.",
)
_USED = _page("Already used", "slackctl already received an answer for this sign-in; this one was ignored.")
_INCOMPLETE = _page("Incomplete answer", "The redirect carried neither a code nor an error, so it was ignored.")


def _single_values(query: str) -> dict[str, str] | None:
    """Query parameters as a flat dict; None when a parameter repeats (an ambiguous, suspicious callback)."""
    parsed = parse_qs(query, keep_blank_values=True)
    if any(len(v) != 1 for v in parsed.values()):
        return None
    return {k: v[0] for k, v in parsed.items()}


class _Server(LoopbackHTTPServer):
    # POSIX SO_REUSEADDR only lets us re-bind over TIME_WAIT leftovers of a previous login (two live listeners
    # still cannot share the port); on Windows it would allow port hijacking, so it stays off there.
    allow_reuse_address = os.name != "nt"
    connection_timeout = _CONNECTION_TIMEOUT

    def __init__(self, address: tuple[str, int], listener: LoopbackListener) -> None:
        self.listener = listener
        super().__init__(address, _Handler, ssl_context=listener._ssl)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "slackctl"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # the request line contains the code: never log it

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()
        self.close_connection = True

    def _host_ok(self) -> bool:
        # A page on another site cannot reach us by DNS rebinding: the Host must name loopback on our port.
        host = (self.headers.get("Host") or "").lower()
        port = self.server.listener.port
        return host in {f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}"}

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        listener = self.server.listener
        try:
            peer = ipaddress.ip_address(self.client_address[0].split("%")[0])
        except ValueError:
            peer = None
        if peer is None or not peer.is_loopback or not self._host_ok():
            self._send(403, _NOT_FOUND)
            return
        split = urlsplit(self.path)
        if split.path != listener.path:
            self._send(404, _NOT_FOUND)
            return
        params = _single_values(split.query)
        if params is None or not same(listener.state, params.get("state")):
            self._send(400, _BAD_STATE)
            return
        if "code" not in params and "error" not in params:
            self._send(400, _INCOMPLETE)
            return
        if not listener._claim():
            self._send(409, _USED)
            return
        self._send(200, _DENIED if "error" in params else _DONE)
        listener._deliver(params)  # after the page is sent, so the browser always gets an answer

    def do_HEAD(self) -> None:  # noqa: N802
        self._send(404, b"")

    def do_POST(self) -> None:  # noqa: N802 - redirects are GETs; anything else is not for us
        self._send(405, _NOT_FOUND)


class LoopbackListener:
    def __init__(
        self,
        port: int,
        *,
        path: str = "/callback",
        state: str,
        tls: tuple[str, str] | None = None,
        hostnames: tuple[str, ...] = ("127.0.0.1", "::1"),
    ) -> None:
        if not state:
            raise ValueError("a loopback listener needs the flow's state value")
        for host in hostnames:
            if not ipaddress.ip_address(host).is_loopback:
                raise ValueError(f"refusing to listen on a non-loopback address: {host}")
        self.port = port
        self.path = path if path.startswith("/") else "/" + path
        self.state = state
        self.tls = tls
        self.hostnames = tuple(hostnames)
        self._ssl: ssl.SSLContext | None = None
        self._servers: list[_Server] = []
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._claimed = False
        self._done = threading.Event()
        self._result: dict[str, str] | None = None

    # -- lifecycle --------------------------------------------------------------------------------
    def __enter__(self) -> LoopbackListener:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def scheme(self) -> str:
        return "https" if self.tls else "http"

    def redirect_uri(self, host: str = "localhost") -> str:
        return f"{self.scheme}://{host}:{self.port}{self.path}"

    def start(self) -> None:
        if self._servers:
            return
        if self.tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.minimum_version = ssl.TLSVersion.TLSv1_2
            context.load_cert_chain(self.tls[0], self.tls[1])
            self._ssl = context
        try:
            for host in self.hostnames:
                try:
                    server = _Server((host, self.port), self)
                except OSError as exc:
                    if exc.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT) and len(self.hostnames) > 1:
                        continue  # no IPv6 (or IPv4) loopback on this machine: the other family serves
                    raise self._bind_error(exc) from None
                self._servers.append(server)
                if self.port == 0:
                    # The first bind picked a free port; every other address must use the same one.
                    self.port = server.server_address[1]
            if not self._servers:
                raise UsageError(
                    f"cannot listen on any loopback address on port {self.port}",
                    "check the machine's network configuration, or paste the redirect address instead",
                    hint_key="loopback_none",
                )
        except BaseException:
            self.close()
            raise
        for server in self._servers:
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"loopback-{server.server_address[0]!s}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)

    def _bind_error(self, exc: OSError) -> UsageError:
        if exc.errno == errno.EADDRINUSE:
            where = {"scheme": self.scheme, "path": self.path}
            return UsageError(
                f"port {self.port} is already in use on this machine",
                "stop whatever listens there, or choose another port N (the app must have "
                f"{self.scheme}://localhost:N{self.path} registered as a redirect URL)",
                hint_key="loopback_in_use",
                hint_args=where,
            )
        if exc.errno == errno.EACCES:
            return UsageError(
                f"not allowed to listen on port {self.port}", "use a port above 1023", hint_key="loopback_denied"
            )
        return UsageError(
            f"cannot listen on port {self.port}: {exc.strerror}", "choose another port", hint_key="loopback_other"
        )

    def sockets(self) -> list[socket.socket]:
        return [server.socket for server in self._servers]

    def close(self) -> None:
        servers, self._servers = self._servers, []
        for server in servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads = []

    # -- the callback -----------------------------------------------------------------------------
    def _claim(self) -> bool:
        with self._lock:
            if self._claimed:
                return False
            self._claimed = True
            return True

    def _deliver(self, params: dict[str, str]) -> None:
        self._result = params
        self._done.set()

    def wait(self, timeout: float) -> dict[str, str]:
        """Block until the one valid callback arrives; then stop listening and return its parameters."""
        try:
            if not self._done.wait(timeout):
                minutes = f"{timeout / 60:g} minutes" if timeout >= 60 else f"{timeout:g} seconds"
                raise LoopbackTimeout(
                    f"no answer from the browser within {minutes}",
                    "try again (a longer timeout gives more time; on a remote machine, paste "
                    "the redirect address instead)",
                    hint_key="loopback_timeout",
                )
        finally:
            self.close()
        assert self._result is not None
        return check_error(self._result)


def check_error(params: dict[str, str]) -> dict[str, str]:
    error = params.get("error")
    if error == "access_denied":
        raise AccessDenied(
            "access was denied in the browser (Cancel was pressed, or an admin refused the app)",
            "run the login again and choose Allow",
        )
    if error:
        detail = params.get("error_description", "")
        raise AccessDenied(
            f"the authorization server answered: {error}" + (f" ({detail})" if detail else ""),
            "check the app's settings (redirect URLs, scopes) and try again",
        )
    return params


def parse_pasted(text: str, state: str) -> dict[str, str]:
    """What a user pasted: the URL the browser ended on, its query string, or just the code."""
    text = text.strip().strip("'\"<>")
    if not text:
        raise UsageError("nothing was pasted", "paste the full address from the browser's address bar")
    if "=" not in text and "?" not in text and " " not in text:
        return {"code": text}  # a bare code: nothing to check it against, the user copied it themselves
    query = urlsplit(text).query if "://" in text or text.startswith("/") else text.lstrip("?")
    params = _single_values(query.split("#", 1)[0])
    if params is None:
        raise UsageError("the pasted address repeats a parameter", "paste the address exactly as the browser shows it")
    if "code" not in params and "error" not in params:
        raise UsageError(
            "the pasted text has no code in it",
            "paste the full address the browser ended on (it contains ?code=…&state=…)",
        )
    if not same(state, params.get("state")):
        raise AuthError(
            "the pasted address belongs to a different sign-in (its state does not match)",
            "start the login again and paste the address from that attempt",
        )
    return check_error(params)
