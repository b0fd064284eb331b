"""admin.teams.*: the org's workspaces — list, create, their admins and owners, and their settings."""

from __future__ import annotations

import re
from typing import Any

from slackctl.emulator.webapi.access import org_admin, org_team
from slackctl.emulator.webapi.admin import ADMIN_KIND
from slackctl.emulator.webapi.registry import ApiError, Call, method
from slackctl.emulator.world import grid

READ = {"user": ["admin.teams:read"]}
WRITE = {"user": ["admin.teams:write"]}
_DOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]{0,20}$")
_DISCOVERABILITY = ("open", "closed", "invite_only", "unlisted")


@method("admin.teams.list", kinds=ADMIN_KIND, scopes=READ)
def admin_teams_list(call: Call) -> dict[str, Any]:
    org_admin(call)
    rows = [
        {
            "id": t["id"],
            "name": t["name"],
            "discoverability": t["discoverability"],
            "primary_owner": {"user_id": t["primary_owner"], "email": _email(call, t["primary_owner"])},
            "team_url": f"https://{t['domain']}.slack.com/",
        }
        for t in call.world.teams.values()
    ]
    teams, next_cursor = call.page_of("admin_teams", iter(rows))
    return {"teams": teams, "response_metadata": {"next_cursor": next_cursor}}


def _email(call: Call, uid: str) -> str:
    user = call.world.users.get(uid)
    return str(user["profile"].get("email", "")) if user else ""


@method("admin.teams.create", kinds=ADMIN_KIND, scopes=WRITE)
def admin_teams_create(call: Call) -> dict[str, Any]:
    org_admin(call)
    domain = call.arg("team_domain", required=True) or ""
    name = call.arg("team_name", required=True) or ""
    if not _DOMAIN.match(domain):
        raise ApiError("invalid_domain")
    if any(t["domain"] == domain for t in call.world.teams.values()):
        raise ApiError("domain_taken")
    discoverability = call.arg("team_discoverability") or "invite_only"
    if discoverability not in _DISCOVERABILITY:
        raise ApiError("invalid_discoverability")
    team = grid.new_team(
        call.world, name, domain, call.user_id or "", call.arg("team_description") or "", discoverability
    )
    return {"team": team["id"]}


def _team_list(call: Call, key: str, field: str) -> dict[str, Any]:
    team_id = org_team(call, required=True) or ""
    org_admin(call, team_id)
    listed, next_cursor = call.page_of(f"admin_{key}", iter(call.world.teams[team_id][key]))
    return {field: listed, "response_metadata": {"next_cursor": next_cursor}}


@method("admin.teams.admins.list", kinds=ADMIN_KIND, scopes=READ)
def admin_teams_admins_list(call: Call) -> dict[str, Any]:
    return _team_list(call, "admins", "admin_ids")


@method("admin.teams.owners.list", kinds=ADMIN_KIND, scopes=READ)
def admin_teams_owners_list(call: Call) -> dict[str, Any]:
    return _team_list(call, "owners", "owner_ids")


@method("admin.teams.settings.info", kinds=ADMIN_KIND, scopes=READ)
def admin_teams_settings_info(call: Call) -> dict[str, Any]:
    team_id = org_team(call, required=True) or ""
    org_admin(call, team_id)
    t = call.world.teams[team_id]
    return {
        "team": {
            "id": t["id"],
            "name": t["name"],
            "domain": t["domain"],
            "email_domain": "",
            "description": t["description"],
            "discoverability": t["discoverability"],
            "enterprise_id": t["enterprise_id"],
            "enterprise_name": t["enterprise_name"],
            "default_channels": list(t["default_channels"]),
            "icon": {"image_default": True},
            "is_verified": False,
            "avatar_base_url": "https://ca.slack-edge.com/",
        }
    }


def _setting(call: Call, arg: str, key: str, choices: tuple[str, ...] = ()) -> dict[str, Any]:
    team_id = org_team(call, required=True) or ""
    org_admin(call, team_id)
    value = call.arg(arg, required=True) or ""
    if choices and value not in choices:
        raise ApiError("invalid_discoverability")
    call.world.teams[team_id][key] = value
    if team_id == call.world.team["id"] and key == "name":
        call.world.team["name"] = value
    return {}


@method("admin.teams.settings.setName", kinds=ADMIN_KIND, scopes=WRITE)
def admin_teams_settings_set_name(call: Call) -> dict[str, Any]:
    return _setting(call, "name", "name")


@method("admin.teams.settings.setDescription", kinds=ADMIN_KIND, scopes=WRITE)
def admin_teams_settings_set_description(call: Call) -> dict[str, Any]:
    return _setting(call, "description", "description")


@method("admin.teams.settings.setDiscoverability", kinds=ADMIN_KIND, scopes=WRITE)
def admin_teams_settings_set_discoverability(call: Call) -> dict[str, Any]:
    return _setting(call, "discoverability", "discoverability", _DISCOVERABILITY)


@method("admin.teams.settings.setDefaultChannels", kinds=ADMIN_KIND, scopes=WRITE)
def admin_teams_settings_set_default_channels(call: Call) -> dict[str, Any]:
    team_id = org_team(call, required=True) or ""
    org_admin(call, team_id)
    channels = call.list_arg("channel_ids")
    if any(cid not in call.world.channels for cid in channels):
        raise ApiError("channel_not_found")
    call.world.teams[team_id]["default_channels"] = channels
    return {}
