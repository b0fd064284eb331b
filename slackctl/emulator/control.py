"""The /_emulator/ control surface: JSON, no auth, loopback clients only (reset, seed, request log, faults,
tokens, apps, webhooks, messages, settings, deliveries, delivery faults, Socket Mode, workflow and function
executions, the user driver under drive/) and the generic third-party OAuth2 provider under /_emulator/provider/.

It has no credentials of its own, so `gate` keeps web pages out: a page the user visits could otherwise mint
tokens or turn on auto-approve with a form or `text/plain` POST (no CORS preflight), or read the surface
through a DNS name rebound to 127.0.0.1. So: the Host must be a loopback name, an Origin header must be the
emulator's own, and control POSTs must be `application/json` (which a page can only send after a preflight the
emulator never grants). The OAuth2 provider's browser-facing endpoints take forms, like any provider's."""

from __future__ import annotations

import json
import urllib.parse
from typing import TYPE_CHECKING, Any

from slackctl.emulator.httpd import Request, Response
from slackctl.emulator.oauth import provider
from slackctl.emulator.world.seeds import SeedError
from slackctl.slack.httpserver import is_loopback_host

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator


def _json_body(req: Request) -> dict[str, Any]:
    raw = req.body()
    if not raw.strip():
        return {}
    data = json.loads(raw)
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    return data


def _bad(message: str, status: int = 400) -> Response:
    return Response.json({"ok": False, "error": message}, status)


def _loopback_name(host: str) -> bool:
    host = host.strip().lower().rstrip(".")
    return host == "localhost" or host.endswith(".localhost") or is_loopback_host(host.strip("[]"))


def foreign_web_origin(origin: str) -> bool:
    """ORIGIN (a request's Origin header) is a web page's elsewhere: anything but absent, or http(s) on a loopback
    name (any port: a developer's local page). `null` (a file:// page, a sandboxed frame) is foreign too. Such a
    page may send simple form posts without a preflight; the Web API refuses them (see server.Emulator._handle)."""
    if not origin:
        return False
    split = urllib.parse.urlsplit(origin.strip())
    return split.scheme not in ("http", "https") or not _loopback_name(split.hostname or "")


def _host_name(value: str) -> str:
    """The host of a Host header (`name`, `name:port`, `[v6]:port`)."""
    split = urllib.parse.urlsplit("//" + value.strip())
    return split.hostname or ""


def _same_origin(emu: Emulator, origin: str) -> bool:
    """The emulator's own pages (its OAuth and provider forms), under any loopback name, at its port."""
    ours = urllib.parse.urlsplit(emu.url)
    theirs = urllib.parse.urlsplit(origin.strip())
    try:
        port = theirs.port or (443 if theirs.scheme == "https" else 80)
    except ValueError:
        return False
    return theirs.scheme == ours.scheme and port == ours.port and _loopback_name(theirs.hostname or "")


def gate(emu: Emulator, req: Request, path: str) -> Response | None:
    """Why the request is refused (403, JSON), or None to serve it."""
    if not is_loopback_host(req.client_host):
        return _bad("the control surface answers loopback clients only", 403)
    if not _loopback_name(_host_name(req.header("Host"))):
        return _bad(
            "the control surface answers requests for a loopback host only (Host: 127.0.0.1, localhost or [::1])", 403
        )
    origin = req.header("Origin")
    if origin and not _same_origin(emu, origin):
        return _bad(f"cross-site request refused (Origin: {origin[:100]})", 403)
    form_ok = path.startswith("provider/") and path != "provider/clients"
    if req.http_method in ("POST", "PUT", "PATCH") and not form_ok:
        ctype = req.content_type.split(";", 1)[0].strip().lower()
        if ctype != "application/json":
            return _bad(
                "control requests must send Content-Type: application/json (a JSON object body, {} for none)", 415
            )
    return None


def handle(emu: Emulator, req: Request, path: str) -> Response:
    refused = gate(emu, req, path)
    if refused is not None:
        return refused
    if path.startswith("provider/"):
        return provider.handle(emu, req, path[len("provider/") :])
    verb = req.http_method
    try:
        body = _json_body(req) if verb in ("POST", "PUT") else {}
    except ValueError as exc:
        return _bad(f"invalid JSON body: {exc}")
    try:
        return _route(emu, req, path, verb, body)
    except (SeedError, ValueError, KeyError, TypeError) as exc:
        return _bad(str(exc).strip("'\""))


def _manifest(value: Any) -> dict[str, Any]:
    from slackctl.emulator.world.appinstall import check

    if isinstance(value, str):
        value = json.loads(value)
    check(value, "in the request")  # ManifestError (a ValueError): answered 400 with its message
    return value


def _route(emu: Emulator, req: Request, path: str, verb: str, body: dict[str, Any]) -> Response:
    ok = {"ok": True}
    if (verb, path) == ("POST", "reset"):
        emu.reset()
        return Response.json(ok)
    if (verb, path) == ("POST", "seed"):
        emu.seed(body)
        return Response.json(ok)
    if path == "requests":
        if verb == "DELETE":
            emu.clear_requests()
            return Response.json(ok)
        return Response.json({"ok": True, "requests": emu.requests(req.query.get("method") or None)})
    if (verb, path) == ("POST", "faults"):
        method = body.get("method")
        if not method or "kind" not in body:
            raise ValueError("faults need method and kind")
        emu.inject_fault(
            str(method),
            str(body["kind"]),
            count=int(body.get("count", 1)),
            retry_after=body.get("retry_after", 1),
            delay=float(body.get("delay", 0.0)),
        )
        return Response.json(ok)
    if (verb, path) == ("DELETE", "faults"):
        emu.faults.clear()
        return Response.json(ok)
    if (verb, path) == ("POST", "tokens"):
        allowed = {"kind", "scopes", "user", "rotating", "expires_in", "app_id", "team", "enterprise_install"}
        return Response.json({"ok": True, **emu.mint_token(**{k: v for k, v in body.items() if k in allowed})})
    if (verb, path) == ("POST", "apps"):
        if "manifest" in body:  # installed as `start --manifest` does: tokens, bot user, subscriptions
            return Response.json({"ok": True, **emu.install_app(_manifest(body["manifest"]))})
        allowed = {"pkce_enabled", "token_rotation", "redirect_urls", "bot_scopes", "user_scopes", "name"}
        return Response.json({"ok": True, **emu.create_app(**{k: v for k, v in body.items() if k in allowed})})
    if (verb, path) == ("GET", "apps"):
        return Response.json({"ok": True, "apps": emu.apps()})
    if path == "deliveries":
        if verb == "DELETE":
            emu.deliveries.journal.clear()
            return Response.json(ok)
        return Response.json(
            {
                "ok": True,
                "deliveries": emu.deliveries_log(req.query.get("app_id") or None, req.query.get("kind") or None),
            }
        )
    if (verb, path) == ("POST", "delivery-faults"):
        if "kind" not in body:
            raise ValueError("delivery faults need kind (drop, delay, 500 or disconnect)")
        emu.inject_delivery_fault(
            str(body["kind"]),
            app_id=body.get("app_id"),
            count=int(body.get("count", 1)),
            delay=float(body.get("delay", 0.0)),
        )
        return Response.json(ok)
    if (verb, path) == ("DELETE", "delivery-faults"):
        emu.deliveries.faults.clear()
        return Response.json(ok)
    if (verb, path) == ("POST", "socket-mode"):
        if "refresh_interval" in body:
            value = body["refresh_interval"]
            emu.socket_mode.refresh_interval = None if value in (None, 0) else float(value)
        closed = 0
        if body.get("disconnect"):
            target = body["disconnect"]
            closed = emu.socket_mode.disconnect(
                None if target is True else str(target), reason=str(body.get("reason", "refresh_requested"))
            )
        return Response.json(
            {
                "ok": True,
                "refresh_interval": emu.socket_mode.refresh_interval,
                "connections": emu.socket_mode.connections(),
                "disconnected": closed,
            }
        )
    if verb == "POST" and path.startswith("drive/"):
        from slackctl.emulator.driver import verbs

        return Response.json(verbs.control(emu, path[len("drive/") :], body))
    if (verb, path) == ("POST", "webhooks"):
        return Response.json(
            {
                "ok": True,
                **emu.mint_webhook(
                    str(body.get("channel") or "general"),
                    body.get("app"),
                    body.get("answer"),
                    int(body.get("answer_count", 1)),
                ),
            }
        )
    if (verb, path) == ("GET", "messages"):
        channel = req.query.get("channel")
        if not channel:
            raise ValueError("messages needs ?channel=")
        return Response.json({"ok": True, "messages": emu.messages(channel)})
    if (verb, path) == ("GET", "executions"):
        from slackctl.emulator.automation import engine

        return Response.json({"ok": True, "executions": engine.listing(emu, req.query.get("id") or None)})
    if (verb, path) == ("GET", "assistant-threads"):
        from slackctl.emulator.driver import assistant
        from slackctl.emulator.driver.user import User

        member = User(emu, req.query.get("user") or None)  # an unknown user: DriveError, a ValueError (400)
        return Response.json({"ok": True, "assistant_threads": assistant.shown(emu, member.id)})
    if (verb, path) == ("GET", "files"):
        return Response.json({"ok": True, "files": emu.files()})
    if (verb, path) == ("POST", "settings"):
        if "auto_approve" in body:
            emu.auto_approve = bool(body["auto_approve"])
        if "rate_limits" in body:
            emu.limiter.enabled = bool(body["rate_limits"])
        if "advance_time" in body:
            emu.advance_time(float(body["advance_time"]))
        if "date_offset" in body:
            emu.date_offset = float(body["date_offset"])
        return Response.json(
            {
                "ok": True,
                "auto_approve": emu.auto_approve,
                "rate_limits": emu.limiter.enabled,
                "date_offset": emu.date_offset,
            }
        )
    if (verb, path) == ("GET", "info"):
        return Response.json(
            {
                "ok": True,
                "url": emu.url,
                "team": emu.team,
                "default_app": emu.default_app,
                "ca_file": emu.ca_file,
                "socket_mode_port": emu.socket_mode.port,
            }
        )
    return _bad(f"no control endpoint {verb} /_emulator/{path}", 404)
