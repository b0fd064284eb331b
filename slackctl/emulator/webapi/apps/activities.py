"""Web API: apps.activities.list, the app's activity log (trigger runs, workflow and step results, function
executions and errors; emulator/automation/activity.py records them), newest first unless sort_direction=asc."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.automation import activity
from slackctl.emulator.webapi.registry import ApiError, Call, method

READ = {"user": ["hosting:read"]}  # Slack takes a user token (the app's collaborator) for it


def _int(call: Call, name: str) -> int | None:
    raw = call.arg(name)
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ApiError("invalid_args") from None


def _choice(call: Call, name: str, allowed: tuple[str, ...]) -> str | None:
    value = call.arg(name)
    if value is not None and value not in allowed:
        raise ApiError(
            "invalid_args", response_metadata={"messages": [f"[ERROR] {name} must be one of {', '.join(allowed)}"]}
        )
    return value


@method("apps.activities.list", kinds=("user",), scopes=READ)
def apps_activities_list(call: Call) -> dict[str, Any]:
    app_id = call.arg("app_id", required=True, error="invalid_app_id") or ""
    if app_id not in call.world.apps:
        raise ApiError("invalid_app_id")
    filters: dict[str, Any] = {
        "min_level": _choice(call, "min_log_level", activity.LEVELS) or "info",
        "event_type": call.arg("log_event_type"),
        "source": _choice(call, "source", activity.SOURCES),
        "component_type": _choice(call, "component_type", activity.COMPONENT_TYPES),
        "component_id": call.arg("component_id"),
        "trace_id": call.arg("trace_id"),
        "min_created": _int(call, "min_date_created"),
        "max_created": _int(call, "max_date_created"),
    }
    direction = _choice(call, "sort_direction", ("asc", "desc")) or "desc"
    found = [a for a in call.world.activities if activity.matches(a, app_id=app_id, **filters)]
    if direction == "desc":
        found.reverse()
    page, next_cursor = call.page_of("activities", iter(found))
    return {"activities": [activity.public(a) for a in page], "response_metadata": {"next_cursor": next_cursor}}
