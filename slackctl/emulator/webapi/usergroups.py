"""Web API: usergroups.create/list/update/disable/enable and usergroups.users.list/update — @-mentionable groups."""

from __future__ import annotations

import re
from typing import Any

from slackctl.emulator import ids
from slackctl.emulator.webapi.registry import ApiError, Call, method

READ = {"bot": ["usergroups:read"], "user": ["usergroups:read"]}
WRITE = {"bot": ["usergroups:write"], "user": ["usergroups:write"]}
HANDLE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")


def _group(call: Call) -> dict[str, Any]:
    ref = call.arg("usergroup", required=True, error="no_such_subteam")
    group = call.world.usergroups.get(ref or "")
    if group is None:
        raise ApiError("no_such_subteam")
    return group


def _users(call: Call, name: str = "users") -> list[str]:
    users = call.list_arg(name)
    for user in users:
        if call.world.get_user(user) is None:
            raise ApiError("invalid_users")
    return users


def _check_unique(call: Call, group_id: str | None, name: str | None, handle: str | None) -> None:
    for other in call.world.usergroups.values():
        if other["id"] == group_id or other["date_delete"]:
            continue
        if name and other["name"] == name:
            raise ApiError("name_already_exists")
        if handle and other["handle"] == handle:
            raise ApiError("handle_already_exists")


def _view(call: Call, group: dict[str, Any]) -> dict[str, Any]:
    view = dict(group)
    view["user_count"] = len(group["users"])
    if not call.bool_arg("include_users") and call.method not in (
        "usergroups.create",
        "usergroups.update",
        "usergroups.users.update",
    ):
        view.pop("users")
    return view


@method("usergroups.create", scopes=WRITE)
def usergroups_create(call: Call) -> dict[str, Any]:
    name = call.arg("name", required=True) or ""
    handle = call.arg("handle") or name.lower().replace(" ", "-")
    if not HANDLE.match(handle):
        raise ApiError("invalid_handle")
    _check_unique(call, None, name, handle)
    now = int(call.world.now())
    group: dict[str, Any] = {
        "id": ids.slack_id("S"),
        "team_id": call.world.team["id"],
        "is_usergroup": True,
        "is_subteam": True,
        "name": name,
        "description": call.arg("description") or "",
        "handle": handle,
        "is_external": False,
        "auto_provision": False,
        "enterprise_subteam_id": "",
        "date_create": now,
        "date_update": now,
        "date_delete": 0,
        "created_by": call.user_id,
        "updated_by": call.user_id,
        "deleted_by": None,
        "prefs": {"channels": call.list_arg("channels"), "groups": []},
        "users": [],
        "channel_count": len(call.list_arg("channels")),
    }
    call.world.usergroups[group["id"]] = group
    return {"usergroup": _view(call, group)}


@method("usergroups.list", scopes=READ)
def usergroups_list(call: Call) -> dict[str, Any]:
    include_disabled = call.bool_arg("include_disabled")
    groups = [g for g in call.world.usergroups.values() if include_disabled or not g["date_delete"]]
    return {"usergroups": [_view(call, g) for g in groups]}


@method("usergroups.update", scopes=WRITE)
def usergroups_update(call: Call) -> dict[str, Any]:
    group = _group(call)
    name, handle = call.arg("name"), call.arg("handle")
    if handle is not None and not HANDLE.match(handle):
        raise ApiError("invalid_handle")
    _check_unique(call, group["id"], name, handle)
    for key, value in (("name", name), ("handle", handle), ("description", call.arg("description"))):
        if value is not None:
            group[key] = value
    if call.arg("channels") is not None:
        group["prefs"]["channels"] = call.list_arg("channels")
        group["channel_count"] = len(group["prefs"]["channels"])
    group["date_update"], group["updated_by"] = int(call.world.now()), call.user_id
    return {"usergroup": _view(call, group)}


@method("usergroups.disable", scopes=WRITE)
def usergroups_disable(call: Call) -> dict[str, Any]:
    group = _group(call)
    if not group["date_delete"]:  # disabling a disabled group changes nothing
        group["date_delete"], group["deleted_by"] = int(call.world.now()), call.user_id
    return {"usergroup": _view(call, group)}


@method("usergroups.enable", scopes=WRITE)
def usergroups_enable(call: Call) -> dict[str, Any]:
    group = _group(call)
    group["date_delete"], group["deleted_by"] = 0, None
    return {"usergroup": _view(call, group)}


@method("usergroups.users.list", scopes=READ)
def usergroups_users_list(call: Call) -> dict[str, Any]:
    group = _group(call)
    if group["date_delete"] and not call.bool_arg("include_disabled"):
        raise ApiError("no_such_subteam")
    return {"users": list(group["users"])}


@method("usergroups.users.update", scopes=WRITE)
def usergroups_users_update(call: Call) -> dict[str, Any]:
    group = _group(call)
    users = _users(call)
    if not users:
        raise ApiError("no_users_provided")
    group["users"] = users
    group["date_update"], group["updated_by"] = int(call.world.now()), call.user_id
    return {"usergroup": _view(call, group)}
