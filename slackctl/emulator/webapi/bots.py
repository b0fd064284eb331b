"""Web API: bots.info."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.webapi.registry import ApiError, Call, method
from slackctl.emulator.webapi.users import USERS_READ
from slackctl.emulator.world.messages import bot_profile


@method("bots.info", scopes=USERS_READ)
def bots_info(call: Call) -> dict[str, Any]:
    bot_id = call.arg("bot") or call.auth.get("bot_id")
    team_id = call.arg("team_id")
    if team_id and team_id != call.world.team["id"]:
        raise ApiError("team_not_found")
    if not bot_id:
        raise ApiError("bot_not_found")
    profile = bot_profile(call.world, bot_id)
    if profile is None:
        raise ApiError("bot_not_found")
    app = call.world.apps[profile["app_id"]]
    return {
        "bot": {
            "id": bot_id,
            "deleted": False,
            "name": profile["name"],
            "updated": profile["updated"],
            "app_id": profile["app_id"],
            "user_id": app["bot_user_id"],
            "icons": profile["icons"],
        }
    }
