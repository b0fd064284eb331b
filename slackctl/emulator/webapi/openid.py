"""Web API: openid.connect.token and openid.connect.userInfo (Sign in with Slack)."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.oauth import oidc
from slackctl.emulator.oauth.grants import client_auth, redeem_code, refresh_grant
from slackctl.emulator.webapi.registry import ApiError, Call, method


@method("openid.connect.token", auth=False)
def openid_connect_token(call: Call) -> dict[str, Any]:
    grant = call.arg("grant_type") or "authorization_code"
    if grant == "refresh_token":
        app, has_secret = client_auth(call)
        refreshed = refresh_grant(
            call, app, has_secret, call.arg("refresh_token", required=True, error="invalid_refresh_token") or ""
        )
        return {
            "access_token": refreshed["access_token"],
            "token_type": "Bearer",
            "refresh_token": refreshed["refresh_token"],
            "expires_in": refreshed["expires_in"],
        }
    if grant != "authorization_code":
        raise ApiError("unsupported_grant_type")
    rec, app = redeem_code(call, "openid")
    minted = call.world.mint_token(
        "user", scopes=rec["user_scopes"], user=rec["user_id"], rotating=app["token_rotation"], app_id=app["app_id"]
    )
    claims = oidc.identity_claims(call.world, rec["user_id"], rec["user_scopes"])
    now = int(call.world.now())
    claims.update({"iss": call.emu.url, "aud": app["client_id"], "iat": now, "exp": now + 3600, "auth_time": now})
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
