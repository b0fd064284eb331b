"""The /_emulator/ control surface: JSON, no auth, loopback clients only (reset, seed, request log, faults,
tokens, apps, webhooks, messages, settings) and the generic third-party OAuth2 provider under /_emulator/provider/."""

from __future__ import annotations

import ipaddress
import json
from typing import TYPE_CHECKING, Any

from slackctl.emulator import provider
from slackctl.emulator.httpd import Request, Response
from slackctl.emulator.seeds import SeedError

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator


def _is_loopback(host: str) -> bool:
    try:
        addr = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return addr.is_loopback


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


def handle(emu: Emulator, req: Request, path: str) -> Response:
    if not _is_loopback(req.client_host):
        return _bad("the control surface answers loopback clients only", 403)
    if path.startswith("provider/"):
        return provider.handle(emu, req, path[len("provider/"):])
    verb = req.http_method
    try:
        body = _json_body(req) if verb in ("POST", "PUT") else {}
    except ValueError as exc:
        return _bad(f"invalid JSON body: {exc}")
    try:
        return _route(emu, req, path, verb, body)
    except (SeedError, ValueError, KeyError, TypeError) as exc:
        return _bad(str(exc).strip("'\""))


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
        emu.inject_fault(str(method), str(body["kind"]), count=int(body.get("count", 1)),
                         retry_after=body.get("retry_after", 1), delay=float(body.get("delay", 0.0)))
        return Response.json(ok)
    if (verb, path) == ("DELETE", "faults"):
        emu.faults.clear()
        return Response.json(ok)
    if (verb, path) == ("POST", "tokens"):
        allowed = {"kind", "scopes", "user", "rotating", "expires_in", "app_id"}
        return Response.json({"ok": True, **emu.mint_token(**{k: v for k, v in body.items() if k in allowed})})
    if (verb, path) == ("POST", "apps"):
        allowed = {"pkce_enabled", "token_rotation", "redirect_urls", "bot_scopes", "user_scopes", "name"}
        return Response.json({"ok": True, **emu.create_app(**{k: v for k, v in body.items() if k in allowed})})
    if (verb, path) == ("POST", "webhooks"):
        return Response.json({"ok": True, **emu.mint_webhook(
            str(body.get("channel") or "general"), body.get("app"), body.get("answer"),
            int(body.get("answer_count", 1)))})
    if (verb, path) == ("GET", "messages"):
        channel = req.query.get("channel")
        if not channel:
            raise ValueError("messages needs ?channel=")
        return Response.json({"ok": True, "messages": emu.messages(channel)})
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
        return Response.json({"ok": True, "auto_approve": emu.auto_approve, "rate_limits": emu.limiter.enabled,
                              "date_offset": emu.date_offset})
    if (verb, path) == ("GET", "info"):
        return Response.json({"ok": True, "url": emu.url, "team": emu.team, "default_app": emu.default_app,
                              "ca_file": emu.ca_file})
    return _bad(f"no control endpoint {verb} /_emulator/{path}", 404)
