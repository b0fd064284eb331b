"""Web API: calls.add/info/update/end and calls.participants.add/remove — calls an app runs in its own service,
registered with Slack so they show in conversations."""

from __future__ import annotations

from typing import Any

from slackctl.emulator import ids
from slackctl.emulator.webapi.registry import ApiError, Call, method

READ = {"bot": ["calls:read"], "user": ["calls:read"]}
WRITE = {"bot": ["calls:write"], "user": ["calls:write"]}


def _call(call: Call) -> dict[str, Any]:
    found = call.world.calls.get(call.arg("id", required=True, error="invalid_call_id") or "")
    if found is None:
        raise ApiError("invalid_call_id")
    return found


def _participants(call: Call) -> list[dict[str, Any]]:
    """`users`: a JSON list of {slack_id} or {external_id, display_name, avatar_url}, or comma-separated ids."""
    raw = call.json_arg("users") if str(call.params.get("users", "")).lstrip().startswith("[") else None
    entries = raw if isinstance(raw, list) else [{"slack_id": u} for u in call.list_arg("users")]
    people: list[dict[str, Any]] = []
    for entry in entries:
        if not isinstance(entry, dict) or not (entry.get("slack_id") or entry.get("external_id")):
            raise ApiError("bad_users")
        if entry.get("slack_id") and call.world.get_user(str(entry["slack_id"])) is None:
            raise ApiError("user_not_found")
        people.append(dict(entry))
    return people


def _active(found: dict[str, Any]) -> dict[str, Any]:
    if found.get("date_end"):
        raise ApiError("inactive_call")
    return found


@method("calls.add", scopes=WRITE)
def calls_add(call: Call) -> dict[str, Any]:
    unique = call.arg("external_unique_id", required=True) or ""
    join_url = call.arg("join_url", required=True) or ""
    start = call.int_arg("date_start", int(call.world.now()))
    created_by = call.arg("created_by") or call.user_id
    if call.world.get_user(created_by or "") is None:
        raise ApiError("invalid_created_by")
    found: dict[str, Any] = {
        "id": ids.slack_id("R"),
        "date_start": start,
        "external_unique_id": unique,
        "join_url": join_url,
        "desktop_app_join_url": call.arg("desktop_app_join_url") or "",
        "title": call.arg("title") or "",
        "external_display_id": call.arg("external_display_id") or "",
        "created_by": created_by,
        "users": _participants(call) if call.params.get("users") else [],
        "channels": [],
    }
    call.world.calls[found["id"]] = found
    return {"call": dict(found)}


@method("calls.info", scopes=READ)
def calls_info(call: Call) -> dict[str, Any]:
    return {"call": dict(_call(call))}


@method("calls.update", scopes=WRITE)
def calls_update(call: Call) -> dict[str, Any]:
    found = _call(call)
    for name in ("title", "join_url", "desktop_app_join_url"):
        value = call.arg(name)
        if value is not None:
            found[name] = value
    return {"call": dict(found)}


@method("calls.end", scopes=WRITE)
def calls_end(call: Call) -> dict[str, Any]:
    found = _active(_call(call))
    now = int(call.world.now())
    found["date_end"] = now
    found["duration"] = call.int_arg("duration", max(0, now - int(found["date_start"])), 0)
    return {}


@method("calls.participants.add", scopes=WRITE)
def calls_participants_add(call: Call) -> dict[str, Any]:
    found = _active(_call(call))
    for person in _participants(call):
        if person not in found["users"]:
            found["users"].append(person)
    return {}


@method("calls.participants.remove", scopes=WRITE)
def calls_participants_remove(call: Call) -> dict[str, Any]:
    found = _active(_call(call))
    leaving = _participants(call)
    found["users"] = [p for p in found["users"] if p not in leaving]
    return {}
