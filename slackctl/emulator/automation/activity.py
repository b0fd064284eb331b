"""The app activity log (what apps.activities.list answers and `slackctl activity` shows): trigger runs,
workflow and step results, function executions and their errors, recorded as Slack records them."""

from __future__ import annotations

from typing import Any

from slackctl.emulator import ids
from slackctl.emulator.world.state import World

LEVELS = ("trace", "debug", "info", "warn", "error", "fatal")
SOURCES = ("slack", "developer")
COMPONENT_TYPES = ("events_api", "workflows", "functions", "tables")
MAX_RECORDS = 10000  # the oldest go first: a long-running emulator keeps bounded memory


def record(
    world: World,
    app_id: str,
    event_type: str,
    component_type: str,
    component_id: str,
    payload: dict[str, Any],
    *,
    level: str = "info",
    trace_id: str = "",
    source: str = "slack",
) -> None:
    """Append one activity (caller holds the world lock). `created` is microseconds, strictly increasing, so
    --since and cursors never skip or repeat one."""
    created = int(world.now() * 1_000_000)
    if world.activities:
        created = max(created, world.activities[-1]["created"] + 1)
    world.activities.append(
        {
            "app_id": app_id,
            "trace_id": trace_id or "Tr" + ids.slack_id("", 10),
            "level": level,
            "event_type": event_type,
            "source": source,
            "component_type": component_type,
            "component_id": component_id,
            "payload": payload,
            "created": created,
        }
    )
    if len(world.activities) > MAX_RECORDS:
        del world.activities[: len(world.activities) - MAX_RECORDS]


def matches(
    activity: dict[str, Any],
    *,
    app_id: str,
    min_level: str = "info",
    event_type: str | None = None,
    source: str | None = None,
    component_type: str | None = None,
    component_id: str | None = None,
    trace_id: str | None = None,
    min_created: int | None = None,
    max_created: int | None = None,
) -> bool:
    return (
        activity["app_id"] == app_id
        and LEVELS.index(activity["level"]) >= LEVELS.index(min_level)
        and event_type in (None, activity["event_type"])
        and source in (None, activity["source"])
        and component_type in (None, activity["component_type"])
        and component_id in (None, activity["component_id"])
        and trace_id in (None, activity["trace_id"])
        and (min_created is None or activity["created"] >= min_created)
        and (max_created is None or activity["created"] <= max_created)
    )


def public(activity: dict[str, Any]) -> dict[str, Any]:
    """An activity as Slack lists it (without the app it belongs to)."""
    return {k: v for k, v in activity.items() if k != "app_id"}
