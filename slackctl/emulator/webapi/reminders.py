"""Web API: reminders.add/info/list/complete/delete — a user's reminders (user tokens, as on Slack)."""

from __future__ import annotations

import re
from typing import Any

from slackctl.emulator import ids
from slackctl.emulator.webapi.registry import ApiError, Call, method

READ = {"user": ["reminders:read"]}
WRITE = {"user": ["reminders:write"]}
# "in 5 minutes", "in 2 hours", "in 1 day": the relative forms of Slack's natural-language `time`.
RELATIVE = re.compile(r"^in\s+(\d+)\s+(second|minute|hour|day|week)s?$", re.I)
UNIT_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800}


def _when(call: Call) -> int:
    """Slack's `time`: a Unix timestamp, seconds from now (under 24 hours), or "in N minutes/hours/days"."""
    raw = call.arg("time", required=True, error="cannot_parse") or ""
    now = int(call.world.now())
    match = RELATIVE.match(raw)
    if match:
        return now + int(match.group(1)) * UNIT_SECONDS[match.group(2).lower()]
    try:
        value = int(float(raw))
    except ValueError:
        raise ApiError("cannot_parse") from None
    return value if value > 86400 else now + value


def _mine(call: Call) -> dict[str, Any]:
    ref = call.arg("reminder", required=True, error="not_found")
    reminder = call.world.reminders.get(ref or "")
    if reminder is None or reminder["creator"] != call.user_id:
        raise ApiError("not_found")
    return reminder


def _view(reminder: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in reminder.items() if k != "team"}


@method("reminders.add", scopes=WRITE, kinds=("user",))
def reminders_add(call: Call) -> dict[str, Any]:
    text = call.arg("text", required=True, error="no_text") or ""
    when = _when(call)
    user = call.arg("user") or call.user_id
    if call.world.get_user(user or "") is None:
        raise ApiError("user_not_found")
    reminder: dict[str, Any] = {
        "id": ids.slack_id("Rm"),
        "creator": call.user_id,
        "user": user,
        "text": text,
        "recurring": False,
        "time": when,
        "complete_ts": 0,
        "team": call.world.team["id"],
    }
    call.world.reminders[reminder["id"]] = reminder
    return {"reminder": _view(reminder)}


@method("reminders.info", scopes=READ, kinds=("user",))
def reminders_info(call: Call) -> dict[str, Any]:
    return {"reminder": _view(_mine(call))}


@method("reminders.list", scopes=READ, kinds=("user",))
def reminders_list(call: Call) -> dict[str, Any]:
    mine = [r for r in call.world.reminders.values() if call.user_id in (r["creator"], r["user"])]
    return {"reminders": [_view(r) for r in sorted(mine, key=lambda r: r["time"])]}


@method("reminders.complete", scopes=WRITE, kinds=("user",))
def reminders_complete(call: Call) -> dict[str, Any]:
    reminder = _mine(call)
    if reminder["complete_ts"]:
        raise ApiError("already_complete")
    reminder["complete_ts"] = int(call.world.now())
    return {}


@method("reminders.delete", scopes=WRITE, kinds=("user",))
def reminders_delete(call: Call) -> dict[str, Any]:
    reminder = _mine(call)
    del call.world.reminders[reminder["id"]]
    return {}
