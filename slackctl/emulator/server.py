"""The Emulator object: owns the world, the HTTP server thread, the request log, faults and rate limits, and
routes each request to the Web API, the OAuth pages, uploads or the /_emulator/ control surface."""

from __future__ import annotations

import contextlib
import email.utils
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slackctl.emulator import control
from slackctl.emulator.automation import engine as workflow_engine
from slackctl.emulator.automation import functions as workflow_functions
from slackctl.emulator.automation import triggers as workflow_triggers
from slackctl.emulator.bus import Bus
from slackctl.emulator.delivery import events, responseurl, webhooks
from slackctl.emulator.delivery.deliverer import Deliverer
from slackctl.emulator.delivery.socketmode import SocketModeServer
from slackctl.emulator.faults import API_FAULT_KINDS, HANDLER_FAULT_KINDS, FaultQueue
from slackctl.emulator.httpd import Request, Response, Server
from slackctl.emulator.oauth import pages
from slackctl.emulator.requestlog import RequestLog, redact_headers, redact_params, redact_text
from slackctl.emulator.webapi import dispatch
from slackctl.emulator.webapi.files import handle_upload
from slackctl.emulator.webapi.ratelimit import RateLimiter
from slackctl.emulator.webui.streams import Streams
from slackctl.emulator.world import appinstall, seeds
from slackctl.emulator.world.scheduled import Scheduler
from slackctl.emulator.world.state import DEFAULT_APP_ID, World

if TYPE_CHECKING:
    from slackctl.emulator.driver.user import User

STATE_SAVE_INTERVAL = 5.0
log = logging.getLogger("slackctl.emulator")
_APP_VIEW_KEYS = (
    "app_id",
    "name",
    "client_id",
    "client_secret",
    "signing_secret",
    "verification_token",
    "redirect_urls",
    "pkce_enabled",
    "token_rotation",
    "bot_scopes",
    "user_scopes",
    "bot_user_id",
    "bot_id",
)


def app_view(app: dict[str, Any]) -> dict[str, Any]:
    return {k: (list(app[k]) if isinstance(app[k], list) else app[k]) for k in _APP_VIEW_KEYS}


# Upload URLs: the emulator's own, and Slack's shape (files.slack.com/upload/v1/…) reached through exec's proxy.
UPLOAD_PATHS = ("/_upload/", "/upload/v1/")


class Emulator:
    """A local fake Slack. `start()` serves in a daemon thread; `serve_forever()` blocks (for the CLI)."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        tls: bool = False,
        auto_approve: bool = True,
        rate_limits: bool = False,
        time_scale: float = 1.0,
        seed: Any = None,
        state_file: str | os.PathLike[str] | None = None,
        cert_dir: str | os.PathLike[str] | None = None,
        manifests: list[Any] | None = None,
        socket_refresh: float | None = None,
        date_offset: float = 0.0,
        allow_public_delivery: bool = False,
        grid: bool = False,
    ) -> None:
        self.host = host
        # Deliveries (events, commands, interactions, url_verification) go to loopback and private addresses only,
        # unless this is set (emulator start --allow-public-delivery): see outbound.check_destination.
        self.allow_public_delivery = allow_public_delivery
        self.port = port
        self.tls = tls
        self.auto_approve = auto_approve
        self.cert_dir = Path(cert_dir) if cert_dir else None
        self.state_file = Path(state_file) if state_file else None
        self.world = World()
        self.scheduler = Scheduler(self)  # posts scheduled messages as they come due
        self.bus = Bus()  # handlers publish what changed; delivery and the web UI listen
        self.ui_streams = Streams(self.bus)  # the web UI's open live-update streams, bounded
        self.time_scale = time_scale
        self.deliveries = Deliverer(self)
        self.socket_mode = SocketModeServer(self)
        self.socket_mode.refresh_interval = socket_refresh
        self.notes: list[str] = []  # things worth telling the developer (a failed url_verification, ...)
        self.on_note: Callable[[str], object] | None = None  # the CLI prints notes on stderr
        events.attach(self)
        workflow_engine.attach(self)
        self.trigger_clock = workflow_triggers.Clock(self)  # scheduled and event triggers of workflows
        self.log = RequestLog()
        self.faults = FaultQueue(API_FAULT_KINDS, "fault kind", held=HANDLER_FAULT_KINDS)  # per method; "*" is any
        self.limiter = RateLimiter(enabled=rate_limits, time_scale=time_scale)
        self.ca_file: str | None = None
        # Seconds added to the Date header of every answer: a skewed clock for `slackctl doctor` to notice.
        self.date_offset = self._start_date_offset = float(date_offset)
        self.url = ""
        self._seed = seeds.load(seed) if seed is not None else None
        if grid:  # an Enterprise Grid org: the seed key, so reset() and a seed file mean the same
            self._seed = {**(self._seed or {}), "grid": True}
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()
        self._upload_dir: str | None = None
        self._saver: threading.Thread | None = None
        self._apply_initial_state()
        self._manifests = [m if isinstance(m, dict) else appinstall.load_manifest_file(m) for m in manifests or []]
        self._installed: list[dict[str, Any]] = []  # start-up apps, restored as they were by reset()

    # ---- lifecycle ----------------------------------------------------------------------------------------
    def _apply_initial_state(self) -> None:
        if self.state_file and self.state_file.exists():
            self.world.load_dict(json.loads(self.state_file.read_text(encoding="utf-8")))
        elif self._seed is not None:
            seeds.apply(self.world, self._seed)

    def start(self) -> Emulator:
        """Bind (port 0 = a free port) and serve in a daemon thread; returns once the socket listens."""
        ssl_context = None
        if self.tls:
            from slackctl.emulator.exec import servercerts

            ca_file, cert_file, key_file = servercerts.ensure_certs(self.cert_dir)
            self.ca_file = str(ca_file)
            ssl_context = servercerts.server_context(cert_file, key_file)
        self._server = Server((self.host, self.port), self.handle, ssl_context)
        port = self._server.server_address[1]
        self.port = port
        host = f"[{self.host}]" if ":" in self.host else self.host
        self.url = f"{'https' if self.tls else 'http'}://{host}:{port}"
        self._stopped.clear()
        self.deliveries.reopen()
        if self._manifests and not self._installed:
            apps = [appinstall.install_manifest(self, m) for m in self._manifests]
            self._installed = [appinstall.snapshot(self.world, app["app_id"]) for app in apps]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 5.0},
            name=f"slackctl-emulator-{port}",
            daemon=True,
        )
        self._thread.start()
        self.trigger_clock.arm()
        workflow_functions.rearm_timeouts(self)
        if self.state_file:
            self._saver = threading.Thread(target=self._save_periodically, daemon=True)
            self._saver.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._stopped.set()
        self.trigger_clock.stop()
        self.deliveries.close()
        self.socket_mode.stop()
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._server = None
        if self.state_file:
            self.save_state()
        if self._upload_dir:
            shutil.rmtree(self._upload_dir, ignore_errors=True)
            self._upload_dir = None

    def serve_forever(self) -> None:
        if self._server is None:
            self.start()
        self._stopped.wait()

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def note(self, text: str) -> None:
        self.notes.append(text)
        log.warning("%s", text)
        if self.on_note is not None:
            self.on_note(text)

    def __enter__(self) -> Emulator:
        if self._server is None:
            self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def save_state(self) -> None:
        assert self.state_file is not None
        from slackctl.config import atomic_write

        atomic_write(self.state_file, json.dumps(self.world.to_dict(), separators=(",", ":")), mode=0o600)  # tokens

    def _save_periodically(self) -> None:
        from slackctl.errors import FileWriteError

        while not self._stopped.wait(STATE_SAVE_INTERVAL):
            with contextlib.suppress(FileWriteError):  # a full disk now: the next save (or the one at stop) tries again
                self.save_state()

    def upload_dir(self) -> str:
        with self.world.lock:
            if self._upload_dir is None:
                self._upload_dir = tempfile.mkdtemp(prefix="slackctl-emulator-uploads-")
            return self._upload_dir

    # ---- routing ------------------------------------------------------------------------------------------
    def handle(self, req: Request) -> Response:
        resp = self._handle(req)
        if resp is not Response.DROP and "Date" not in resp.headers:
            resp.headers["Date"] = email.utils.formatdate(time.time() + self.date_offset, usegmt=True)
        return resp

    def _handle(self, req: Request) -> Response:
        path = req.path
        if path.startswith("/_emulator/"):
            return control.handle(self, req, path[len("/_emulator/") :])
        if path == "/" or path.startswith("/_ui/"):  # the web UI (slackctl/emulator/webui/), not request-logged
            from slackctl.emulator.webui import routes as webui

            if webui.handles(req):
                return webui.handle(self, req)
        if path.startswith("/api/"):
            name = path[5:]
        elif path.startswith(UPLOAD_PATHS):
            name = "_upload"
        elif path.startswith(webhooks.PATH_PREFIX):
            name = "webhook"  # faults and the request log name every hook alike, never by its secret path
        elif path.startswith(workflow_triggers.WEBHOOK_PREFIX):
            name = "trigger_webhook"
        else:
            name = path
        started = time.monotonic()
        if path.startswith("/api/") and control.foreign_web_origin(req.header("Origin")):
            # Slack's Web API is not called from a browser page here (the web UI uses the control surface): a page
            # elsewhere must not use the emulator's tokens nor fill its log. Refused before the body is read.
            resp = Response.json({"ok": False, "error": "cross_origin_refused"}, 403)
            self._record(req, name, resp, None)
            return resp
        fault = self.faults.take(name)
        if fault is not None and fault["kind"] != "slow":
            resp = _fault_response(fault)
            if fault["kind"] == "drop":
                req.drain()
            self._record(req, name, resp, None)
            return resp
        if fault is not None:
            time.sleep(fault["delay"])
        if path.startswith("/api/"):
            resp = dispatch.handle(self, req, name)
        elif path.startswith(UPLOAD_PATHS):
            resp = handle_upload(self, req, path.rsplit("/", 1)[1])
        elif path.startswith(webhooks.PATH_PREFIX):
            resp = webhooks.handle(self, req)
        elif path.startswith(workflow_triggers.WEBHOOK_PREFIX):
            resp = workflow_triggers.handle_webhook(self, req)
        else:
            resp = self._route_page(req)
        self._record(req, name, resp, time.monotonic() - started)
        return resp

    def _route_page(self, req: Request) -> Response:
        path = req.path
        if path in pages.FLOWS:
            return pages.authorize(self, req)
        if path == "/openid/connect/keys":
            return pages.keys(self, req)
        if path == "/.well-known/openid-configuration":
            return pages.discovery(self, req)
        if path == "/external/auth/callback":
            from slackctl.emulator.oauth import external

            return external.callback(self, req)
        if responseurl.is_response_path(path):
            return responseurl.handle(self, req)
        if path == "/":
            return Response.json(
                {
                    "ok": True,
                    "emulator": "slackctl",
                    "team": self.team,
                    "api": f"{self.url}/api/",
                    "control": f"{self.url}/_emulator/",
                }
            )
        return Response.json({"ok": False, "error": "not_found"}, 404)

    def _record(self, req: Request, name: str, resp: Response, elapsed: float | None) -> None:
        body = resp.log_body
        if body is None and req.query:
            body = dict(req.query)
        path = req.path
        if responseurl.is_response_path(path):
            path = responseurl.log_path(path)
            name = path.split("/", 2)[1]
        elif path.startswith(webhooks.PATH_PREFIX):
            path = webhooks.log_path(path)
        elif path.startswith(workflow_triggers.WEBHOOK_PREFIX):
            path = workflow_triggers.log_path(path)
        if req.query:  # rebuilt from redacted values: a client_secret in a query string is not token-shaped
            path += "?" + "&".join(f"{k}={v}" for k, v in redact_params(dict(req.query)).items())
        self.log.add(
            {  # the log bounds each entry, cutting from the end: the small fields first
                "method": name,
                "path": redact_text(path),
                "http_method": req.http_method,
                "content_type": req.content_type,
                "status": resp.status or None,
                "elapsed": elapsed,
                "headers": redact_headers(req.header_dict()),
                "body": redact_params(body),
            }
        )

    # ---- Python API ---------------------------------------------------------------------------------------
    @property
    def team(self) -> dict[str, Any]:
        return dict(self.world.team)

    @property
    def default_app(self) -> dict[str, Any]:
        with self.world.lock:
            return app_view(self.world.apps[DEFAULT_APP_ID])

    def mint_token(
        self,
        kind: str = "bot",
        scopes: list[str] | None = None,
        user: str | None = None,
        rotating: bool = False,
        expires_in: float | None = None,
        app_id: str | None = None,
        team: str | None = None,
        enterprise_install: bool = False,
    ) -> dict[str, Any]:
        with self.world.lock:
            return self.world.mint_token(
                kind,
                scopes=scopes,
                user=user,
                rotating=rotating,
                expires_in=expires_in,
                app_id=app_id,
                team=team,
                enterprise_install=enterprise_install,
            )

    def create_app(
        self,
        pkce_enabled: bool = False,
        token_rotation: bool = False,
        redirect_urls: list[str] | None = None,
        bot_scopes: list[str] | None = None,
        user_scopes: list[str] | None = None,
        name: str = "Emulated App",
    ) -> dict[str, Any]:
        with self.world.lock:
            app = self.world.create_app(
                name=name,
                redirect_urls=redirect_urls or [],
                pkce_enabled=pkce_enabled,
                token_rotation=token_rotation,
                bot_scopes=bot_scopes,
                user_scopes=user_scopes,
            )
            return app_view(app)

    def install_app(self, manifest: dict[str, Any] | str | os.PathLike[str]) -> dict[str, Any]:
        """Install an app from a manifest (dict or JSON/YAML file); its listing entry (ids and credentials)."""
        data = manifest if isinstance(manifest, dict) else appinstall.load_manifest_file(os.fspath(manifest))
        app = appinstall.install_manifest(self, data)
        return next(a for a in appinstall.listing(self) if a["app_id"] == app["app_id"])

    def apps(self) -> list[dict[str, Any]]:
        """Every app with its credentials (what GET /_emulator/apps lists)."""
        return appinstall.listing(self)

    def user(self, ref: str | None = None) -> User:
        """Drive a workspace member: emu.user("ada").post("#general", "hi") (see slackctl/emulator/driver/user.py)."""
        from slackctl.emulator.driver.user import User

        return User(self, ref)

    def deliveries_log(self, app_id: str | None = None, kind: str | None = None) -> list[dict[str, Any]]:
        return self.deliveries.journal.list(app_id, kind)

    def inject_delivery_fault(self, kind: str, app_id: str | None = None, count: int = 1, delay: float = 0.0) -> None:
        self.deliveries.faults.add(kind, target=app_id, count=count, delay=delay)

    def mint_webhook(
        self, channel: str = "general", app_id: str | None = None, answer: str | None = None, answer_count: int = 1
    ) -> dict[str, Any]:
        """A new incoming webhook (url, channel, channel_id, app_id) for an app with the incoming-webhook scope."""
        return webhooks.mint(self, channel, app_id, answer, answer_count)

    def requests(self, method: str | None = None) -> list[dict[str, Any]]:
        return self.log.list(method)

    def clear_requests(self) -> None:
        self.log.clear()

    def inject_fault(self, method: str, kind: str, count: int = 1, retry_after: float = 1, delay: float = 0.0) -> None:
        self.faults.add(
            kind,
            target=None if method == "*" else method,
            count=count,
            delay=delay,
            method=method,
            retry_after=retry_after,
        )

    def reset(self) -> None:
        """Back to the start state (default world plus the start-up seed); tokens, log, faults cleared."""
        with self.world.lock:
            self.world.reset()
            self.world.clock_offset = 0.0
            if self._seed is not None:
                seeds.apply(self.world, self._seed)
            for snap in self._installed:
                appinstall.restore(self.world, snap)
        self.trigger_clock.arm()
        self.date_offset = self._start_date_offset
        self.log.clear()
        self.faults.clear()
        self.limiter.reset()
        self.deliveries.journal.clear()
        self.deliveries.faults.clear()

    def seed(self, data: Any) -> None:
        with self.world.lock:
            seeds.apply(self.world, seeds.load(data))

    def messages(self, channel: str) -> list[dict[str, Any]]:
        with self.world.lock:
            ch = self.world.find_channel(channel)
            if ch is None:
                raise KeyError(f"no channel {channel!r}")
            return [dict(m) for m in self.world.messages.get(ch["id"], [])]

    def files(self) -> list[dict[str, Any]]:
        """Uploads seen so far: file_id, filename, size, sha256, completed."""
        with self.world.lock:
            return [{k: v for k, v in rec.items() if k != "path"} for rec in self.world.uploads.values()]

    def advance_time(self, seconds: float) -> None:
        """Move the emulator's clock forward (codes and tokens expire; rate limits are unaffected)."""
        with self.world.lock:
            self.world.clock_offset += seconds


def _fault_response(fault: dict[str, Any]) -> Response:
    kind = fault["kind"]
    if kind == "drop":
        return Response.DROP
    if kind == "429":
        return Response.json({"ok": False, "error": "ratelimited"}, 429, {"Retry-After": str(fault["retry_after"])})
    if kind == "503":
        return Response.json(
            {"ok": False, "error": "service_unavailable"}, 503, {"Retry-After": str(fault["retry_after"])}
        )
    return Response.json({"ok": False, "error": "internal_error"}, 500)


@contextlib.contextmanager
def start_emulator(
    *,
    tls: bool = False,
    auto_approve: bool = True,
    rate_limits: bool = False,
    time_scale: float = 1.0,
    seed: Any = None,
    state_file: str | os.PathLike[str] | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    cert_dir: str | os.PathLike[str] | None = None,
    manifests: list[Any] | None = None,
    socket_refresh: float | None = None,
    date_offset: float = 0.0,
    allow_public_delivery: bool = False,
    grid: bool = False,
) -> Iterator[Emulator]:
    emu = Emulator(
        host=host,
        port=port,
        tls=tls,
        auto_approve=auto_approve,
        rate_limits=rate_limits,
        time_scale=time_scale,
        seed=seed,
        state_file=state_file,
        cert_dir=cert_dir,
        manifests=manifests,
        socket_refresh=socket_refresh,
        date_offset=date_offset,
        allow_public_delivery=allow_public_delivery,
        grid=grid,
    )
    emu.start()
    try:
        yield emu
    finally:
        emu.stop()
