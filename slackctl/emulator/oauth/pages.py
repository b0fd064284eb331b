"""The browser side of OAuth: /oauth/v2/authorize, /oauth/v2_user/authorize and /openid/connect/authorize
(consent page or auto-approve, then a 302 to the app's redirect URI), plus OpenID discovery and JWKS."""

from __future__ import annotations

import html
import re
import secrets
import urllib.parse
from typing import TYPE_CHECKING, Any

from slackctl.emulator import ids
from slackctl.emulator.httpd import Request, Response
from slackctl.emulator.oauth import oidc
from slackctl.emulator.world.state import ADMIN_ID, CODE_LIFETIME, TEAM_NUM

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
OPENID_SCOPES = {"openid", "email", "profile"}
_CHALLENGE = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
FLOWS = {
    "/oauth/v2/authorize": "oauth",
    "/oauth/v2_user/authorize": "oauth_user",
    "/openid/connect/authorize": "openid",
}


def split_scopes(raw: str | None) -> list[str]:
    return [s for s in re.split(r"[,\s]+", raw or "") if s]


def _port(parts: urllib.parse.SplitResult) -> int:
    return parts.port or (443 if parts.scheme == "https" else 80)


def is_desktop_redirect(uri: str) -> bool:
    parts = urllib.parse.urlsplit(uri)
    return parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS


def redirect_allowed(app: dict[str, Any], uri: str) -> bool:
    """Registered exactly or as a parent path; same scheme, host and port. Plain http only for PKCE apps on
    loopback hosts ("desktop" redirects)."""
    try:
        p = urllib.parse.urlsplit(uri)
        p_port = _port(p)
    except ValueError:
        return False
    if p.scheme not in ("http", "https") or not p.hostname or p.fragment:
        return False
    if p.scheme == "http" and not (p.hostname in LOOPBACK_HOSTS and app["pkce_enabled"]):
        return False
    for registered in app["redirect_urls"]:
        r = urllib.parse.urlsplit(registered)
        if (r.scheme, r.hostname, _port(r)) != (p.scheme, p.hostname, p_port):
            continue
        base = r.path.rstrip("/")
        if p.path == r.path or p.path.rstrip("/") == base or p.path.startswith(base + "/"):
            return True
    return False


def with_params(uri: str, params: dict[str, str]) -> str:
    return uri + ("&" if "?" in uri else "?") + urllib.parse.urlencode(params)


def error_page(code: str, detail: str, status: int = 400) -> Response:
    return Response.html(
        f"<!doctype html><html><head><title>Slack emulator: {html.escape(code)}</title></head><body>"
        f'<h1>Something went wrong</h1><p id="error">{html.escape(code)}</p><p>{html.escape(detail)}</p>'
        "</body></html>",
        status,
    )


def authorize(emu: Emulator, req: Request) -> Response:
    if req.http_method == "POST":
        return decide(emu, req)
    flow = FLOWS[req.path]
    q = req.query
    world = emu.world
    with world.lock:
        app = world.app_by_client_id(q.get("client_id", ""))
        if app is None:
            return error_page("invalid_client_id", "No app has this client_id.")
        sent = q.get("redirect_uri")
        redirect = sent or (app["redirect_urls"][0] if app["redirect_urls"] else "")
        if not redirect or not redirect_allowed(app, redirect):
            return error_page("bad_redirect_uri", "redirect_uri does not match any of the app's redirect URLs.")
        state = q.get("state", "")

        def fail(error: str, description: str) -> Response:
            params = {"error": error, "error_description": description}
            if state:
                params["state"] = state
            return Response.redirect(with_params(redirect, params))

        bot_scopes, user_scopes = split_scopes(q.get("scope")), split_scopes(q.get("user_scope"))
        if flow == "openid":
            if q.get("response_type") != "code":
                return fail("unsupported_response_type", "response_type must be code")
            user_scopes, bot_scopes = bot_scopes + user_scopes, []
            if "openid" not in user_scopes or not set(user_scopes) <= OPENID_SCOPES:
                return fail("invalid_scope", "Sign in with Slack takes only openid, email and profile")
        elif flow == "oauth_user" and bot_scopes:
            user_scopes, bot_scopes = bot_scopes + user_scopes, []
        if not bot_scopes and not user_scopes:
            return fail("invalid_scope", "no scopes requested")
        desktop = is_desktop_redirect(redirect)
        if desktop and bot_scopes:
            return fail("invalid_scope", "http://localhost redirects may not request bot scopes")
        challenge, challenge_method = q.get("code_challenge", ""), q.get("code_challenge_method", "")
        if challenge:
            if challenge_method != "S256":
                return fail("invalid_request", "code_challenge_method must be S256")
            if not _CHALLENGE.match(challenge):
                return fail("invalid_request", "malformed code_challenge")
        elif desktop:
            return fail("invalid_request", "PKCE (code_challenge) is required for http://localhost redirects")
        pending = {
            "kind": "openid" if flow == "openid" else "oauth",
            "app_id": app["app_id"],
            "app_name": app["name"],
            "redirect_uri": redirect,
            "redirect_uri_sent": bool(sent),
            "scopes": bot_scopes,
            "user_scopes": user_scopes,
            "code_challenge": challenge or None,
            "nonce": q.get("nonce"),
            "state": state,
            "user_id": ADMIN_ID,
        }
        if emu.auto_approve:
            return _approve(emu, pending)
        consent_id = secrets.token_urlsafe(16)
        world.pending_consents[consent_id] = pending
        return Response.html(_consent_html(emu, pending, consent_id, req.path))


def _approve(emu: Emulator, pending: dict[str, Any]) -> Response:
    code = ids.oauth_code(TEAM_NUM)
    emu.world.codes[code] = {**pending, "used": False, "expires_at": emu.world.now() + CODE_LIFETIME}
    params = {"code": code}
    if pending["state"]:
        params["state"] = pending["state"]
    return Response.redirect(with_params(pending["redirect_uri"], params))


def decide(emu: Emulator, req: Request) -> Response:
    form = dict(urllib.parse.parse_qsl(req.body().decode("utf-8", "replace")))
    with emu.world.lock:
        pending = emu.world.pending_consents.pop(form.get("consent_id", ""), None)
        if pending is None:
            return error_page("invalid_consent", "This approval page expired; start again from the app.")
        if form.get("decision") != "allow":
            params = {"error": "access_denied"}
            params["state"] = pending["state"]
            return Response.redirect(with_params(pending["redirect_uri"], params))
        return _approve(emu, pending)


def _consent_html(emu: Emulator, pending: dict[str, Any], consent_id: str, path: str) -> str:
    e = html.escape
    team = emu.world.team
    user = emu.world.get_user(pending["user_id"]) or {}
    items = "".join(f'<li class="bot-scope">{e(s)}</li>' for s in pending["scopes"])
    items += "".join(f'<li class="user-scope">{e(s)}</li>' for s in pending["user_scopes"])
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>Slack emulator: authorize '
        f"{e(pending['app_name'])}</title></head><body>"
        f'<h1><span id="app-name">{e(pending["app_name"])}</span> is requesting permission to access the '
        f'<span id="workspace">{e(team["name"])}</span> Slack workspace</h1>'
        f'<p>Signed in as <span id="user">{e(user.get("name", ""))}</span> ({e(team["domain"])})</p>'
        f'<ul id="scopes">{items}</ul>'
        f'<form method="post" action="{e(path)}">'
        f'<input type="hidden" name="consent_id" value="{e(consent_id)}">'
        '<button id="deny" type="submit" name="decision" value="deny">Cancel</button> '
        '<button id="allow" type="submit" name="decision" value="allow">Allow</button>'
        "</form></body></html>"
    )


def keys(emu: Emulator, req: Request) -> Response:
    return Response.json(oidc.jwks())


def discovery(emu: Emulator, req: Request) -> Response:
    return Response.json(oidc.discovery(emu.url))
