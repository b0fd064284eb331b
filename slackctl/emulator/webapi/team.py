"""Web API: team.info, team.billing.info, team.preferences.list, team.profile.get."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.webapi.registry import ApiError, Call, method
from slackctl.emulator.world import grid

TEAM_READ = {"bot": ["team:read"], "user": ["team:read"]}
USERS_READ = {"bot": ["users:read"], "user": ["users:read"]}


@method("team.info", scopes=TEAM_READ)
def team_info(call: Call) -> dict[str, Any]:
    wanted = call.arg("team") or call.auth["team_id"]
    team = grid.team_info(call.world, wanted)
    if team is None:
        raise ApiError("team_not_found")
    domain = call.arg("domain")
    if domain and domain != team["domain"]:
        raise ApiError("team_not_found")
    extra = {k: team[k] for k in ("enterprise_id", "enterprise_name") if k in team}
    return {
        "team": {
            **extra,
            "id": team["id"],
            "name": team["name"],
            "url": call.workspace_url(),
            "domain": team["domain"],
            "email_domain": "example.com",
            "avatar_base_url": "https://ca.slack-edge.com/",
            "is_verified": False,
            "icon": {
                "image_34": "https://a.slack-edge.com/emulator_team_34.png",
                "image_44": "https://a.slack-edge.com/emulator_team_44.png",
                "image_68": "https://a.slack-edge.com/emulator_team_68.png",
                "image_88": "https://a.slack-edge.com/emulator_team_88.png",
                "image_102": "https://a.slack-edge.com/emulator_team_102.png",
                "image_132": "https://a.slack-edge.com/emulator_team_132.png",
                "image_default": True,
            },
            "lob_sales_home_enabled": False,
            "is_sfdc_auto_slack": False,
        }
    }


@method("team.billing.info", scopes={"bot": ["team.billing:read"], "user": ["team.billing:read"]})
def team_billing_info(call: Call) -> dict[str, Any]:
    return {"plan": "std"}  # a Pro workspace: canvases and the like work; not Enterprise Grid


@method("team.preferences.list", scopes={"bot": ["team.preferences:read"], "user": ["team.preferences:read"]})
def team_preferences_list(call: Call) -> dict[str, Any]:
    return {
        "display_real_names": False,
        "disable_file_uploads": "allow_all",
        "msg_edit_window_mins": -1,
        "allow_message_deletion": True,
        "who_can_post_general": "ra",
        "disable_ai_features": False,
    }


@method("team.profile.get", scopes={"bot": ["users.profile:read"], "user": ["users.profile:read"]})
def team_profile_get(call: Call) -> dict[str, Any]:
    return {"profile": {"fields": [], "sections": []}}
