"""Web API: oauth.v2.access, oauth.v2.exchange, openid.connect.token and openid.connect.userInfo."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import urllib.parse
from typing import Any

from slackctl.emulator.oauth import oidc
from slackctl.emulator.webapi.registry import ApiError, Call, method


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


def _token_fields(minted: dict[str, Any], token_type: str) -> dict[str, Any]:
    out = {"access_token": minted["token"], "token_type": token_type, "scope": ",".join(minted["scopes"])}
    if "refresh_token" in minted:
        out["refresh_token"] = minted["refresh_token"]
        out["expires_in"] = minted["expires_in"]
    return out


def _install_base(call: Call, app: dict[str, Any]) -> dict[str, Any]:
    team = call.world.team
    return {"app_id": app["app_id"], "team": {"id": team["id"], "name": team["name"]}, "enterprise": None,
            "is_enterprise_install": False}


def _refresh(call: Call, app: dict[str, Any], has_secret: bool, refresh_token: str) -> dict[str, Any]:
    if not has_secret and not app["pkce_enabled"]:
        raise ApiError("bad_client_secret")
    rec = call.world.refresh_tokens.get(refresh_token)
    if rec is None or rec["app_id"] != app["app_id"] or rec["kind"] not in ("bot", "user"):
        raise ApiError("invalid_refresh_token")
    new = call.world.refresh(refresh_token)
    assert new is not None
    out = {**_install_base(call, app), **_token_fields(new, rec["kind"])}
    if rec["kind"] == "bot":
        out["bot_user_id"] = app["bot_user_id"]
    else:
        out["user_id"] = new["user_id"]
    return out


@method("oauth.v2.access", auth=False)
def oauth_v2_access(call: Call) -> dict[str, Any]:
    grant = call.arg("grant_type") or "authorization_code"
    if grant == "refresh_token":
        app, has_secret = client_auth(call)
        return _refresh(call, app, has_secret, call.arg("refresh_token", required=True,
                                                        error="invalid_refresh_token") or "")
    if grant != "authorization_code":
        raise ApiError("invalid_grant_type")
    rec, app = redeem_code(call, "oauth")
    world = call.world
    out = _install_base(call, app)
    rotating = app["token_rotation"]
    if rec["scopes"]:
        bot = world.mint_token("bot", scopes=rec["scopes"], rotating=rotating, app_id=app["app_id"])
        out.update(_token_fields(bot, "bot"))
        out["bot_user_id"] = app["bot_user_id"]
    authed_user: dict[str, Any] = {"id": rec["user_id"]}
    if rec["user_scopes"]:
        user = world.mint_token("user", scopes=rec["user_scopes"], user=rec["user_id"], rotating=rotating,
                                app_id=app["app_id"])
        authed_user.update(_token_fields(user, "user"))
    out["authed_user"] = authed_user
    if "incoming-webhook" in rec["scopes"]:
        from slackctl.emulator.delivery import webhooks

        out["incoming_webhook"] = webhooks.incoming_webhook(call.emu, app["app_id"], rec.get("channel"))
    return out


@method("oauth.v2.exchange", auth=False)
def oauth_v2_exchange(call: Call) -> dict[str, Any]:
    app, has_secret = client_auth(call)
    if not has_secret:
        raise ApiError("bad_client_secret")
    token = call.arg("token", required=True, error="invalid_token") or ""
    rec = call.world.tokens.get(token)
    if rec is None or rec["app_id"] != app["app_id"] or rec["kind"] not in ("bot", "user") or rec["revoked"]:
        raise ApiError("invalid_token")
    if not app["token_rotation"]:
        raise ApiError("token_rotation_not_enabled")
    if rec["rotating"]:
        raise ApiError("token_already_exchanged")
    rec["revoked"] = True
    new = call.world.mint_token(rec["kind"], scopes=rec["scopes"], user=rec["user_id"], rotating=True,
                                app_id=app["app_id"])
    out = {**_install_base(call, app), **_token_fields(new, rec["kind"])}
    out["bot_user_id" if rec["kind"] == "bot" else "user_id"] = rec["user_id"]
    return out


@method("openid.connect.token", auth=False)
def openid_connect_token(call: Call) -> dict[str, Any]:
    grant = call.arg("grant_type") or "authorization_code"
    if grant == "refresh_token":
        app, has_secret = client_auth(call)
        refreshed = _refresh(call, app, has_secret, call.arg("refresh_token", required=True,
                                                             error="invalid_refresh_token") or "")
        return {"access_token": refreshed["access_token"], "token_type": "Bearer",
                "refresh_token": refreshed["refresh_token"], "expires_in": refreshed["expires_in"]}
    if grant != "authorization_code":
        raise ApiError("unsupported_grant_type")
    rec, app = redeem_code(call, "openid")
    minted = call.world.mint_token("user", scopes=rec["user_scopes"], user=rec["user_id"],
                                   rotating=app["token_rotation"], app_id=app["app_id"])
    claims = oidc.identity_claims(call.world, rec["user_id"], rec["user_scopes"])
    now = int(call.world.now())
    claims.update({"iss": call.emu.url, "aud": app["client_id"], "iat": now, "exp": now + 3600,
                   "auth_time": now})
    if rec.get("nonce"):
        claims["nonce"] = rec["nonce"]
    out = {"access_token": minted["token"], "token_type": "Bearer", "id_token": oidc.sign(claims)}
    if "refresh_token" in minted:
        out.update(refresh_token=minted["refresh_token"], expires_in=minted["expires_in"])
    return out


@method("openid.connect.userInfo", kinds=("user",), scopes={"user": ["openid"]})
def openid_connect_user_info(call: Call) -> dict[str, Any]:
    assert call.token is not None
    return oidc.identity_claims(call.world, call.token["user_id"], call.token["scopes"])
