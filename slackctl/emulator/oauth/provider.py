"""A generic third-party OAuth2 provider (RFC 6749 + PKCE) under /_emulator/provider/, for external auth.

Endpoints: POST clients (register {client_id, client_secret, redirect_uris}), GET/POST authorize, POST token
(authorization_code and refresh_token grants, refresh tokens rotate), GET userinfo, POST revoke.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import html
import json
import secrets
import urllib.parse
from typing import TYPE_CHECKING, Any

from slackctl.emulator.httpd import Request, Response
from slackctl.emulator.oauth.grants import pkce_matches
from slackctl.emulator.oauth.pages import error_page, with_params

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator

TOKEN_LIFETIME = 3600
CODE_LIFETIME = 600
NO_STORE = {"Cache-Control": "no-store"}


def _oauth_error(error: str, description: str, status: int = 400) -> Response:
    headers = dict(NO_STORE)
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="slackctl-emulator-provider"'
    return Response.json({"error": error, "error_description": description}, status, headers)


def register_client(world: Any, client_id: str, client_secret: str | None, redirect_uris: list[str]) -> None:
    world.provider["clients"][client_id] = {"client_secret": client_secret, "redirect_uris": list(redirect_uris)}


def handle(emu: Emulator, req: Request, path: str) -> Response:
    if (req.http_method, path) == ("POST", "clients"):
        try:
            body = json.loads(req.body() or b"{}")
            with emu.world.lock:
                register_client(
                    emu.world, str(body["client_id"]), body.get("client_secret"), list(body.get("redirect_uris", []))
                )
        except (ValueError, KeyError, TypeError):
            return Response.json({"ok": False, "error": "need client_id, client_secret, redirect_uris"}, 400)
        return Response.json({"ok": True})
    if path == "authorize":
        return authorize(emu, req)
    if (req.http_method, path) == ("POST", "token"):
        return token(emu, req)
    if path == "userinfo":
        return userinfo(emu, req)
    if (req.http_method, path) == ("POST", "revoke"):
        form = dict(urllib.parse.parse_qsl(req.body().decode("utf-8", "replace")))
        with emu.world.lock:
            emu.world.provider["tokens"].pop(form.get("token", ""), None)
            emu.world.provider["refresh"].pop(form.get("token", ""), None)
        return Response.json({})
    return Response.json({"error": "not_found"}, 404)


def authorize(emu: Emulator, req: Request) -> Response:
    world = emu.world
    if req.http_method == "POST":
        form = dict(urllib.parse.parse_qsl(req.body().decode("utf-8", "replace")))
        with world.lock:
            pending = world.provider["codes"].pop("pending:" + form.get("consent_id", ""), None)
        if pending is None:
            return error_page("invalid_consent", "This approval page expired.")
        if form.get("decision") != "allow":
            return Response.redirect(
                with_params(pending["redirect_uri"], _with_state({"error": "access_denied"}, pending["state"]))
            )
        return _issue(emu, pending)
    q = req.query
    with world.lock:
        client = world.provider["clients"].get(q.get("client_id", ""))
    if client is None:
        return error_page("invalid_client", "Unknown client_id at the emulator's OAuth2 provider.")
    redirect = q.get("redirect_uri") or (client["redirect_uris"][0] if client["redirect_uris"] else "")
    if redirect not in client["redirect_uris"]:
        return error_page("invalid_redirect_uri", "redirect_uri is not registered for this client.")
    state = q.get("state", "")
    if q.get("response_type", "code") != "code":
        return Response.redirect(with_params(redirect, _with_state({"error": "unsupported_response_type"}, state)))
    challenge = q.get("code_challenge")
    if challenge and q.get("code_challenge_method") != "S256":
        return Response.redirect(
            with_params(
                redirect,
                _with_state(
                    {"error": "invalid_request", "error_description": "code_challenge_method must be S256"}, state
                ),
            )
        )
    pending = {
        "client_id": q["client_id"],
        "redirect_uri": redirect,
        "state": state,
        "challenge": challenge,
        "scope": q.get("scope", ""),
    }
    if emu.auto_approve:
        return _issue(emu, pending)
    consent_id = secrets.token_urlsafe(16)
    with world.lock:
        world.provider["codes"]["pending:" + consent_id] = pending
    e = html.escape
    return Response.html(
        '<!doctype html><html><head><meta charset="utf-8"><title>Emulated provider: authorize</title></head>'
        f'<body><h1>Allow <span id="client">{e(pending["client_id"])}</span> to access your account?</h1>'
        f'<p id="scope">{e(pending["scope"])}</p><form method="post" action="/_emulator/provider/authorize">'
        f'<input type="hidden" name="consent_id" value="{e(consent_id)}">'
        '<button id="deny" type="submit" name="decision" value="deny">Cancel</button> '
        '<button id="allow" type="submit" name="decision" value="allow">Allow</button></form></body></html>'
    )


def _with_state(params: dict[str, str], state: str) -> dict[str, str]:
    return {**params, "state": state} if state else params


def _issue(emu: Emulator, pending: dict[str, Any]) -> Response:
    code = "pc-" + secrets.token_urlsafe(24)
    with emu.world.lock:
        emu.world.provider["codes"][code] = {**pending, "expires_at": emu.world.now() + CODE_LIFETIME}
    return Response.redirect(with_params(pending["redirect_uri"], _with_state({"code": code}, pending["state"])))


def _client_auth(world: Any, req: Request, form: dict[str, str]) -> tuple[str | None, str | None]:
    auth = req.header("Authorization")
    if auth[:6].lower() == "basic ":
        try:
            cid, _, secret = base64.b64decode(auth[6:].strip(), validate=True).decode().partition(":")
            return urllib.parse.unquote(cid), urllib.parse.unquote(secret)
        except (binascii.Error, UnicodeDecodeError):
            return None, None
    return form.get("client_id"), form.get("client_secret")


def exchange(
    world: Any,
    form: dict[str, str],
    client_id: str | None,
    client_secret: str | None,
) -> tuple[int, dict[str, Any]]:
    """The token endpoint's logic, shared with the in-process external-auth callback."""
    client = world.provider["clients"].get(client_id or "")
    if client is None:
        return 401, {"error": "invalid_client", "error_description": "unknown client"}
    public = not client["client_secret"]
    if not public and not hmac.compare_digest(client_secret or "", client["client_secret"]):
        return 401, {"error": "invalid_client", "error_description": "client authentication failed"}
    grant = form.get("grant_type")
    if grant == "authorization_code":
        rec = world.provider["codes"].pop(form.get("code", ""), None)
        if rec is None or rec["client_id"] != client_id or rec["expires_at"] <= world.now():
            return 400, {"error": "invalid_grant", "error_description": "unknown, used or expired code"}
        if form.get("redirect_uri", rec["redirect_uri"]) != rec["redirect_uri"]:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri mismatch"}
        if rec["challenge"]:
            verifier = form.get("code_verifier", "")
            if not verifier or not pkce_matches(verifier, rec["challenge"]):
                return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        elif public:
            return 400, {"error": "invalid_request", "error_description": "public clients must use PKCE"}
        scope = rec["scope"]
    elif grant == "refresh_token":
        rec = world.provider["refresh"].pop(form.get("refresh_token", ""), None)
        if rec is None or rec["client_id"] != client_id:
            return 400, {"error": "invalid_grant", "error_description": "unknown or used refresh token"}
        scope = rec["scope"]
    else:
        return 400, {"error": "unsupported_grant_type", "error_description": f"grant_type {grant!r}"}
    access, refresh = "pat-" + secrets.token_urlsafe(32), "prt-" + secrets.token_urlsafe(32)
    world.provider["tokens"][access] = {
        "client_id": client_id,
        "scope": scope,
        "expires_at": world.now() + TOKEN_LIFETIME,
    }
    world.provider["refresh"][refresh] = {"client_id": client_id, "scope": scope}
    return 200, {
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": TOKEN_LIFETIME,
        "refresh_token": refresh,
        "scope": scope,
    }


def token(emu: Emulator, req: Request) -> Response:
    form = dict(urllib.parse.parse_qsl(req.body().decode("utf-8", "replace")))
    client_id, client_secret = _client_auth(emu.world, req, form)
    with emu.world.lock:
        status, body = exchange(emu.world, form, client_id, client_secret)
    if status != 200:
        return _oauth_error(body["error"], body["error_description"], status)
    return Response.json(body, 200, NO_STORE)


def userinfo(emu: Emulator, req: Request) -> Response:
    auth = req.header("Authorization")
    bearer = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
    with emu.world.lock:
        rec = emu.world.provider["tokens"].get(bearer)
        expired = rec is not None and rec["expires_at"] <= emu.world.now()
    if rec is None or expired:
        return Response.json({"error": "invalid_token"}, 401, {"WWW-Authenticate": 'Bearer error="invalid_token"'})
    return Response.json({"id": "ext-user-1", "email": "ada@provider.example", "name": "Ada Lovelace"})
