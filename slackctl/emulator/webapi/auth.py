"""Web API: auth.test and auth.revoke."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.webapi.registry import Call, method

ALL_KINDS = ("bot", "user", "app", "config")


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


