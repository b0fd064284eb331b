"""Web API: oauth.v2.access and oauth.v2.exchange (the token endpoint's steps are in oauth/grants.py)."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.oauth.grants import client_auth, install_base, redeem_code, refresh_grant, token_fields
from slackctl.emulator.webapi.registry import ApiError, Call, method


@method("oauth.v2.access", auth=False)
def oauth_v2_access(call: Call) -> dict[str, Any]:
    grant = call.arg("grant_type") or "authorization_code"
    if grant == "refresh_token":
        app, has_secret = client_auth(call)
        return refresh_grant(
            call, app, has_secret, call.arg("refresh_token", required=True, error="invalid_refresh_token") or ""
        )
    if grant != "authorization_code":
        raise ApiError("invalid_grant_type")
    rec, app = redeem_code(call, "oauth")
    world = call.world
    out = install_base(call, app)
    rotating = app["token_rotation"]
    if rec["scopes"]:
        bot = world.mint_token("bot", scopes=rec["scopes"], rotating=rotating, app_id=app["app_id"])
        out.update(token_fields(bot, "bot"))
        out["bot_user_id"] = app["bot_user_id"]
    authed_user: dict[str, Any] = {"id": rec["user_id"]}
    if rec["user_scopes"]:
        user = world.mint_token(
            "user", scopes=rec["user_scopes"], user=rec["user_id"], rotating=rotating, app_id=app["app_id"]
        )
        authed_user.update(token_fields(user, "user"))
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
    new = call.world.mint_token(
        rec["kind"], scopes=rec["scopes"], user=rec["user_id"], rotating=True, app_id=app["app_id"]
    )
    out = {**install_base(call, app), **token_fields(new, rec["kind"])}
    out["bot_user_id" if rec["kind"] == "bot" else "user_id"] = rec["user_id"]
    return out
