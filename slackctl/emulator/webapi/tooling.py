"""Web API: tooling.tokens.rotate (configuration tokens)."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.webapi.registry import ApiError, Call, method


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
    return {
        "token": new["token"],
        "refresh_token": new["refresh_token"],
        "team_id": new["team_id"],
        "user_id": new["user_id"],
        "iat": iat,
        "exp": iat + int(new["expires_in"]),
    }
