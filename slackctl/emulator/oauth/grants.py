"""The token endpoint's shared steps for oauth.v2.* and openid.connect.token: client authentication, PKCE,
code redemption and refresh grants, and the token fields of a reply."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import urllib.parse
from typing import Any

from slackctl.emulator.webapi.registry import ApiError, Call


def client_auth(call: Call) -> tuple[dict[str, Any], bool]:
    """The app named by HTTP Basic credentials (preferred) or client_id/client_secret fields, and whether a
    secret was presented (and was right)."""
    client_id = client_secret = None
    auth = call.req.header("Authorization")
    if auth[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(auth[6:].strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise ApiError("invalid_client_id") from None
        raw_id, _, raw_secret = decoded.partition(":")
        client_id, client_secret = urllib.parse.unquote(raw_id), urllib.parse.unquote(raw_secret)
    client_id = client_id or call.arg("client_id")
    if client_secret is None:
        client_secret = call.arg("client_secret")
    if not client_id:
        raise ApiError("invalid_client_id")
    app = call.world.app_by_client_id(client_id)
    if app is None:
        raise ApiError("invalid_client_id")
    if client_secret and not hmac.compare_digest(client_secret, app["client_secret"]):
        raise ApiError("bad_client_secret")
    return app, bool(client_secret)


def pkce_matches(verifier: str, challenge: str) -> bool:
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    computed = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return hmac.compare_digest(computed, challenge)


def redeem_code(call: Call, kind: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check a code against client credentials, redirect_uri and PKCE; the (code record, app). Single use."""
    code = call.arg("code", required=True, error="invalid_code") or ""
    rec = call.world.codes.get(code)
    if rec is None or rec["kind"] != kind or rec["used"] or rec["expires_at"] <= call.world.now():
        raise ApiError("invalid_code")
    app, has_secret = client_auth(call)
    if app["app_id"] != rec["app_id"]:
        raise ApiError("invalid_code")
    redirect_uri = call.arg("redirect_uri")
    if (rec["redirect_uri_sent"] or redirect_uri) and redirect_uri != rec["redirect_uri"]:
        raise ApiError("bad_redirect_uri")
    verifier = call.arg("code_verifier")
    if rec["code_challenge"]:
        if not verifier or not pkce_matches(verifier, rec["code_challenge"]):
            raise ApiError("invalid_code_verifier")
    elif verifier and not has_secret:
        raise ApiError("pkce_not_allowed")
    elif not has_secret:
        raise ApiError("bad_client_secret")
    rec["used"] = True
    return rec, app


def refresh_grant(call: Call, app: dict[str, Any], has_secret: bool, refresh_token: str) -> dict[str, Any]:
    if not has_secret and not app["pkce_enabled"]:
        raise ApiError("bad_client_secret")
    rec = call.world.refresh_tokens.get(refresh_token)
    if rec is None or rec["app_id"] != app["app_id"] or rec["kind"] not in ("bot", "user"):
        raise ApiError("invalid_refresh_token")
    new = call.world.refresh(refresh_token)
    assert new is not None
    out = {**install_base(call, app), **token_fields(new, rec["kind"])}
    if rec["kind"] == "bot":
        out["bot_user_id"] = app["bot_user_id"]
    else:
        out["user_id"] = new["user_id"]
    return out


def token_fields(minted: dict[str, Any], token_type: str) -> dict[str, Any]:
    out = {"access_token": minted["token"], "token_type": token_type, "scope": ",".join(minted["scopes"])}
    if "refresh_token" in minted:
        out["refresh_token"] = minted["refresh_token"]
        out["expires_in"] = minted["expires_in"]
    return out


def install_base(call: Call, app: dict[str, Any]) -> dict[str, Any]:
    team = call.world.team
    return {
        "app_id": app["app_id"],
        "team": {"id": team["id"], "name": team["name"]},
        "enterprise": None,
        "is_enterprise_install": False,
    }
