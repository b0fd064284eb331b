"""Web API: api.test, auth.test, auth.revoke, tooling.tokens.rotate, apps.connections.open."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.webapi.registry import ApiError, Call, method

ALL_KINDS = ("bot", "user", "app", "config")


@method("api.test", auth=False)
def api_test(call: Call) -> dict[str, Any]:
    args = {k: v for k, v in call.params.items() if k != "token"}
    if call.arg("error"):
        raise ApiError(str(call.arg("error")), args=args)
    return {"args": args} if args else {}


@method("auth.test", kinds=ALL_KINDS)
def auth_test(call: Call) -> dict[str, Any]:
    tok = call.token or {}
    user = call.world.get_user(tok.get("user_id") or "") or {}
    out: dict[str, Any] = {
        "url": f"{call.emu.url}/", "team": call.world.team["name"], "user": user.get("name", ""),
        "team_id": tok["team_id"], "user_id": tok.get("user_id"),
    }
    if tok["kind"] == "bot":
        out["bot_id"] = tok["bot_id"]
    if tok["kind"] == "app":
        out["app_id"] = tok["app_id"]
    out["is_enterprise_install"] = False
    return out


@method("auth.revoke", kinds=ALL_KINDS)
def auth_revoke(call: Call) -> dict[str, Any]:
    if call.bool_arg("test"):
        return {"revoked": False}
    assert call.token is not None
    call.token["revoked"] = True
    return {"revoked": True}


@method("tooling.tokens.rotate", auth=False)
def tooling_tokens_rotate(call: Call) -> dict[str, Any]:
    refresh = call.arg("refresh_token", required=True)
    assert refresh is not None
    rec = call.world.refresh_tokens.get(refresh)
    if rec is None or rec["kind"] != "config":
        raise ApiError("invalid_refresh_token")
    new = call.world.refresh(refresh)
    assert new is not None
    iat = int(call.world.now())
    return {"token": new["token"], "refresh_token": new["refresh_token"], "team_id": new["team_id"],
            "user_id": new["user_id"], "iat": iat, "exp": iat + int(new["expires_in"])}


@method("apps.connections.open", kinds=("app",), scopes={"app": ["connections:write"]}, body_token=False)
def apps_connections_open(call: Call) -> dict[str, Any]:
    # A single-use URL served by the emulator's Socket Mode endpoint (slackctl/emulator/socketmode.py).
    return {"url": call.emu.socket_mode.open_url(call.auth["app_id"])}
