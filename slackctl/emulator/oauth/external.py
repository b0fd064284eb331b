"""Hosted external auth, the browser side: the emulator's own callback (/external/auth/callback), which exchanges
the provider's code and keeps the tokens per app and provider key, as Slack does; the apps.auth.external.*
methods are in webapi/apps/external.py."""

from __future__ import annotations

import base64
import html
import secrets
import urllib.parse
from typing import TYPE_CHECKING, Any

from slackctl.emulator.httpd import Request, Response
from slackctl.emulator.oauth import provider

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator


def providers(app: dict[str, Any]) -> dict[str, Any]:
    return ((app.get("manifest") or {}).get("external_auth_providers") or {}).get("oauth2") or {}


def callback_url(emu: Emulator) -> str:
    return f"{emu.url}/external/auth/callback"


def is_ours(emu: Emulator, url: str | None) -> bool:
    return not url or url.startswith(f"{emu.url}/_emulator/provider/")


def callback(emu: Emulator, req: Request) -> Response:
    """Where the provider sends the browser back: exchange the code, keep the token, show a done page."""
    q = req.query
    with emu.world.lock:
        pending = emu.world.external_states.pop(q.get("state", ""), None)
    if pending is None:
        return _page("Authorization failed", "unknown or used state", 400)
    if q.get("error"):
        return _page("Authorization failed", q["error"], 400)
    with emu.world.lock:
        app = emu.world.apps.get(pending["app_id"])
        declared = providers(app or {}).get(pending["provider_key"])
        store = emu.world.external[pending["app_id"]]["providers"][pending["provider_key"]]
        options = (declared or {}).get("options", {})
    form = {
        "grant_type": "authorization_code",
        "code": q.get("code", ""),
        "redirect_uri": callback_url(emu),
        "code_verifier": pending["verifier"],
    }
    client_id = str(options.get("client_id", ""))
    if is_ours(emu, options.get("token_url")):
        with emu.world.lock:
            status, body = provider.exchange(emu.world, form, client_id, store["client_secret"])
    else:
        # Outbound through slackctl's one transport (slack/transport.py): its limits, proxy and TLS rules.
        from slackctl.errors import NetworkError
        from slackctl.slack.transport import request

        pair = f"{client_id}:{store['client_secret'] or ''}".encode()
        headers = {
            "Authorization": "Basic " + base64.b64encode(pair).decode(),
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        }
        try:
            r = request(
                "POST",
                options["token_url"],
                headers=headers,
                body=urllib.parse.urlencode(form).encode(),
                timeout=10,
                what="token_url",
            )
            status, body = r.status_code, (r.json() if r.content else {})
        except (NetworkError, ValueError) as exc:
            return _page("Authorization failed", f"token exchange failed: {exc}", 502)
        if not isinstance(body, dict):
            body = {}
    if status != 200 or "access_token" not in body:
        return _page("Authorization failed", str(body.get("error", status)), 400)
    with emu.world.lock:
        now = int(emu.world.now())
        store["tokens"].append(
            {
                "external_token_id": "Et" + secrets.token_hex(5).upper(),
                "external_user_id": pending["user_id"],
                "date_updated": now,
                "access_token": body["access_token"],
                "refresh_token": body.get("refresh_token"),
            }
        )
    return _page("Authorization complete", "You can close this window and return to your terminal.", 200)


def _page(title: str, text: str, status: int) -> Response:
    return Response.html(
        f"<!doctype html><html><head><title>{html.escape(title)}</title></head><body>"
        f'<h1 id="result">{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>',
        status,
    )
