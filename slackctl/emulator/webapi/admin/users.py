"""admin.users.*: the org's members across its workspaces — list, invite, assign, remove, and their roles."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from slackctl.emulator import ids
from slackctl.emulator.webapi.access import org_admin, org_team
from slackctl.emulator.webapi.admin import ADMIN_KIND
from slackctl.emulator.webapi.registry import ApiError, Call, method
from slackctl.emulator.world import grid
from slackctl.emulator.world.state import make_user

READ = {"user": ["admin.users:read"]}
WRITE = {"user": ["admin.users:write"]}


def admin_user_view(world: Any, user: dict[str, Any]) -> dict[str, Any]:
    """A member as admin.users.list shows one (Slack's fields: roles, workspaces, activity)."""
    return {
        "id": user["id"],
        "email": user["profile"].get("email", ""),
        "is_admin": bool(user.get("is_admin")),
        "is_owner": bool(user.get("is_owner")),
        "is_primary_owner": bool(user.get("is_primary_owner")),
        "is_restricted": bool(user.get("is_restricted")),
        "is_ultra_restricted": bool(user.get("is_ultra_restricted")),
        "is_bot": bool(user.get("is_bot")),
        "username": user["name"],
        "full_name": user.get("real_name", ""),
        "is_active": not user.get("deleted"),
        "date_created": user.get("updated", 0),
        "deactivated_ts": 0,
        "expiration_ts": user.get("expiration_ts", 0),
        "workspaces": grid.teams_of(world, user),
        "has_2fa": False,
    }


def _user(call: Call) -> dict[str, Any]:
    uid = call.arg("user_id", required=True) or ""
    user = call.world.users.get(uid)
    if user is None:
        raise ApiError("user_not_found")
    return user


@method("admin.users.list", kinds=ADMIN_KIND, scopes=READ)
def admin_users_list(call: Call) -> dict[str, Any]:
    team_id = org_team(call)
    org_admin(call, team_id)
    world = call.world
    active = call.params.get("is_active")
    only_guests = call.bool_arg("only_guests")

    def chosen() -> Iterator[dict[str, Any]]:
        for uid in world.user_order:
            user = world.users[uid]
            if team_id and team_id not in grid.teams_of(world, user):
                continue
            if active not in (None, "") and call.bool_arg("is_active") == bool(user.get("deleted")):
                continue
            if only_guests and not (user.get("is_restricted") or user.get("is_ultra_restricted")):
                continue
            yield admin_user_view(world, user)

    users, next_cursor = call.page_of("admin_users", chosen())
    return {"users": users, "response_metadata": {"next_cursor": next_cursor}}


@method("admin.users.invite", kinds=ADMIN_KIND, scopes=WRITE)
def admin_users_invite(call: Call) -> dict[str, Any]:
    team_id = org_team(call, required=True)
    org_admin(call, team_id)
    email = (call.arg("email", required=True) or "").lower()
    channels = call.list_arg("channel_ids")
    if not channels:
        raise ApiError(
            "invalid_arguments", response_metadata={"messages": ["[ERROR] missing required field: channel_ids"]}
        )
    for uid in call.world.user_order:
        if str(call.world.users[uid]["profile"].get("email", "")).lower() == email:
            raise ApiError("already_in_team")
    for cid in channels:
        if cid not in call.world.channels:
            raise ApiError("channel_not_found")
    name = email.partition("@")[0]
    user = make_user(
        ids.slack_id("U"),
        name,
        call.arg("real_name") or name,
        team_id=team_id or "",
        email=email,
        is_restricted=call.bool_arg("is_restricted"),
        is_ultra_restricted=call.bool_arg("is_ultra_restricted"),
    )
    call.world.add_user(user)
    grid.mark_enterprise_user(call.world, user)
    for cid in channels:
        call.world.channels[cid]["members"].append(user["id"])
    return {}


@method("admin.users.assign", kinds=ADMIN_KIND, scopes=WRITE)
def admin_users_assign(call: Call) -> dict[str, Any]:
    team_id = org_team(call, required=True) or ""
    org_admin(call, team_id)
    user = _user(call)
    if user.get("is_bot"):
        raise ApiError("user_is_bot")
    teams = user["enterprise_user"]["teams"]
    if team_id in teams:
        raise ApiError("user_already_team_member")
    teams.append(team_id)
    for key in ("is_restricted", "is_ultra_restricted"):
        if key in call.params:
            user[key] = call.bool_arg(key)
    for cid in call.list_arg("channel_ids"):
        channel = call.world.channels.get(cid)
        if channel is None:
            raise ApiError("channel_not_found")
        if user["id"] not in channel["members"]:
            channel["members"].append(user["id"])
    return {}


@method("admin.users.remove", kinds=ADMIN_KIND, scopes=WRITE)
def admin_users_remove(call: Call) -> dict[str, Any]:
    team_id = org_team(call, required=True) or ""
    org_admin(call, team_id)
    user = _user(call)
    teams = user["enterprise_user"]["teams"]
    if team_id not in teams:
        raise ApiError("user_not_found")
    teams.remove(team_id)
    if not teams:
        user["deleted"] = True
    return {}


def _role(call: Call, admin: bool, owner: bool) -> dict[str, Any]:
    team_id = org_team(call, required=True) or ""
    org_admin(call, team_id)
    user = _user(call)
    if team_id not in grid.teams_of(call.world, user):
        raise ApiError("user_not_found")
    if user.get("is_primary_owner") and not owner:
        raise ApiError("cannot_downgrade_primary_owner")
    team = call.world.teams[team_id]
    for key, on in (("admins", admin or owner), ("owners", owner)):
        listed = team[key]
        if on and user["id"] not in listed:
            listed.append(user["id"])
        if not on and user["id"] in listed:
            listed.remove(user["id"])
    user.update(is_admin=admin or owner, is_owner=owner, is_restricted=False, is_ultra_restricted=False)
    return {}


@method("admin.users.setAdmin", kinds=ADMIN_KIND, scopes=WRITE)
def admin_users_set_admin(call: Call) -> dict[str, Any]:
    return _role(call, admin=True, owner=False)


@method("admin.users.setOwner", kinds=ADMIN_KIND, scopes=WRITE)
def admin_users_set_owner(call: Call) -> dict[str, Any]:
    return _role(call, admin=True, owner=True)


@method("admin.users.setRegular", kinds=ADMIN_KIND, scopes=WRITE)
def admin_users_set_regular(call: Call) -> dict[str, Any]:
    return _role(call, admin=False, owner=False)


@method("admin.users.setRestricted", kinds=ADMIN_KIND, scopes=WRITE)
def admin_users_set_restricted(call: Call) -> dict[str, Any]:
    team_id = org_team(call, required=True) or ""
    org_admin(call, team_id)
    user = _user(call)
    user.update(is_restricted=True, is_ultra_restricted=False, is_admin=False, is_owner=False)
    return {}


@method("admin.users.setExpiration", kinds=ADMIN_KIND, scopes=WRITE)
def admin_users_set_expiration(call: Call) -> dict[str, Any]:
    org_admin(call, org_team(call))
    user = _user(call)
    expiration = call.int_arg("expiration_ts", 0)
    if expiration <= call.world.now():
        raise ApiError("invalid_expiration_ts")
    if not (user.get("is_restricted") or user.get("is_ultra_restricted")):
        raise ApiError("not_allowed")
    user["expiration_ts"] = expiration
    return {}
