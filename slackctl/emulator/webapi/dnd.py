"""Web API: dnd.info/teamInfo/setSnooze/endSnooze/endDnd — a user's Do Not Disturb, on the emulator's clock."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.webapi.registry import ApiError, Call, method

READ = {"bot": ["dnd:read"], "user": ["dnd:read"]}
WRITE = {"user": ["dnd:write"]}


def _state(call: Call, user: str) -> dict[str, Any]:
    """The user's snooze, with an elapsed one forgotten (the clock may have moved)."""
    snooze = call.world.dnd.get(user)
    if snooze and snooze["snooze_endtime"] <= call.world.now():
        del call.world.dnd[user]
        snooze = None
    return snooze or {}


def _info(call: Call, user: str) -> dict[str, Any]:
    snooze = _state(call, user)
    out: dict[str, Any] = {
        "dnd_enabled": bool(snooze),
        "next_dnd_start_ts": 1,
        "next_dnd_end_ts": 1,
        "snooze_enabled": bool(snooze),
    }
    if snooze:
        out.update(
            snooze_endtime=snooze["snooze_endtime"],
            snooze_remaining=max(0, int(snooze["snooze_endtime"] - call.world.now())),
            snooze_is_indefinite=False,
        )
    return out


@method("dnd.info", scopes=READ)
def dnd_info(call: Call) -> dict[str, Any]:
    user = call.arg("user") or call.user_id or ""
    if call.world.get_user(user) is None:
        raise ApiError("user_not_found")
    return _info(call, user)


@method("dnd.teamInfo", scopes=READ)
def dnd_team_info(call: Call) -> dict[str, Any]:
    users = call.list_arg("users")
    if not users:
        raise ApiError("no_users_provided")
    return {
        "users": {
            u: {"dnd_enabled": bool(_state(call, u)), "next_dnd_start_ts": 1, "next_dnd_end_ts": 1}
            for u in users
            if call.world.get_user(u) is not None
        }
    }


@method("dnd.setSnooze", scopes=WRITE, kinds=("user",))
def dnd_set_snooze(call: Call) -> dict[str, Any]:
    minutes = call.arg("num_minutes", required=True, error="missing_duration") or ""
    try:
        count = int(minutes)
    except ValueError:
        raise ApiError("invalid_duration") from None
    if count <= 0:
        raise ApiError("invalid_duration")
    end = int(call.world.now()) + count * 60
    call.world.dnd[call.user_id or ""] = {"snooze_endtime": end}
    return {
        "snooze_enabled": True,
        "snooze_endtime": end,
        "snooze_remaining": count * 60,
        "snooze_is_indefinite": False,
    }


@method("dnd.endSnooze", scopes=WRITE, kinds=("user",))
def dnd_end_snooze(call: Call) -> dict[str, Any]:
    if not _state(call, call.user_id or ""):
        raise ApiError("snooze_not_active")
    del call.world.dnd[call.user_id or ""]
    return {"dnd_enabled": False, "next_dnd_start_ts": 1, "next_dnd_end_ts": 1, "snooze_enabled": False}


@method("dnd.endDnd", scopes=WRITE, kinds=("user",))
def dnd_end_dnd(call: Call) -> dict[str, Any]:
    call.world.dnd.pop(call.user_id or "", None)
    return {}
