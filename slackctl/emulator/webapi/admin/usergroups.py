"""admin.usergroups.*: the default channels of a user group and the workspaces it is shared with."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.webapi.access import org_admin, org_team
from slackctl.emulator.webapi.admin import ADMIN_KIND
from slackctl.emulator.webapi.conversations.channels import channel_view
from slackctl.emulator.webapi.registry import ApiError, Call, method

READ = {"user": ["admin.usergroups:read"]}
WRITE = {"user": ["admin.usergroups:write"]}


def _group(call: Call) -> dict[str, Any]:
    org_admin(call, org_team(call))
    group = call.world.usergroups.get(call.arg("usergroup_id", required=True) or "")
    if group is None:
        raise ApiError("no_such_subteam")
    return group


def _channels(call: Call) -> list[str]:
    channels = call.list_arg("channel_ids")
    if not channels:
        raise ApiError(
            "invalid_arguments", response_metadata={"messages": ["[ERROR] missing required field: channel_ids"]}
        )
    if any(cid not in call.world.channels for cid in channels):
        raise ApiError("channel_not_found")
    return channels


@method("admin.usergroups.addChannels", kinds=ADMIN_KIND, scopes=WRITE)
def admin_usergroups_add_channels(call: Call) -> dict[str, Any]:
    group = _group(call)
    prefs = group.setdefault("prefs", {"channels": [], "groups": []})
    prefs["channels"] = list(dict.fromkeys([*prefs.get("channels", []), *_channels(call)]))
    return {}


@method("admin.usergroups.removeChannels", kinds=ADMIN_KIND, scopes=WRITE)
def admin_usergroups_remove_channels(call: Call) -> dict[str, Any]:
    group = _group(call)
    prefs = group.setdefault("prefs", {"channels": [], "groups": []})
    gone = set(_channels(call))
    prefs["channels"] = [cid for cid in prefs.get("channels", []) if cid not in gone]
    return {}


@method("admin.usergroups.listChannels", kinds=ADMIN_KIND, scopes=READ)
def admin_usergroups_list_channels(call: Call) -> dict[str, Any]:
    group = _group(call)
    channels = []
    for cid in (group.get("prefs") or {}).get("channels", []):
        channel = call.world.channels.get(cid)
        if channel is not None:
            view = channel_view(channel, call.user_id)
            if not call.bool_arg("include_num_members"):
                view.pop("num_members", None)
            channels.append(view)
    return {"channels": channels}


@method("admin.usergroups.addTeams", kinds=ADMIN_KIND, scopes=WRITE)
def admin_usergroups_add_teams(call: Call) -> dict[str, Any]:
    group = _group(call)
    teams = call.list_arg("team_ids")
    if not teams:
        raise ApiError(
            "invalid_arguments", response_metadata={"messages": ["[ERROR] missing required field: team_ids"]}
        )
    if any(t not in call.world.teams for t in teams):
        raise ApiError("team_not_found")
    group["enterprise_subteam_team_ids"] = sorted(set(group.get("enterprise_subteam_team_ids", [])) | set(teams))
    return {}
