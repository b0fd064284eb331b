"""An app's activity log (apps.activities.list), as Slack's CLI shows it: filters, a start time, the newest
entries, and the entries newer than the last one seen (for --tail). No terminal I/O."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slackctl.errors import UsageError

if TYPE_CHECKING:
    from slackctl.slack.client import SlackClient

LEVELS = ("trace", "debug", "info", "warn", "error", "fatal")
SOURCES = ("slack", "developer")
COMPONENTS = ("events_api", "workflows", "functions", "tables")
_AGO = re.compile(r"^(\d+(?:\.\d+)?)([smhd])$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass
class Filters:
    """What apps.activities.list is asked for (Slack's argument names in `params`)."""

    min_level: str = "info"
    source: str | None = None
    component: str | None = None
    component_id: str | None = None
    event: str | None = None
    since_us: int | None = None  # microseconds since the epoch, as Slack's `created`

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {"min_log_level": self.min_level}
        for key, value in (
            ("source", self.source),
            ("component_type", self.component),
            ("component_id", self.component_id),
            ("log_event_type", self.event),
            ("min_date_created", self.since_us),
        ):
            if value is not None:
                out[key] = value
        return out


def check(filters: Filters) -> Filters:
    for value, allowed, flag in (
        (filters.min_level, LEVELS, "--min-level"),
        (filters.source, SOURCES, "--source"),
        (filters.component, COMPONENTS, "--component"),
    ):
        if value is not None and value not in allowed:
            raise UsageError(f"{flag} {value} is not one of {', '.join(allowed)}", f"e.g. {flag} {allowed[0]}")
    return filters


def parse_since(text: str, now: float) -> int:
    """--since: an age (30s, 10m, 2h, 1d) or an ISO 8601 time; microseconds since the epoch."""
    match = _AGO.match(text.strip())
    if match:
        return int((now - float(match.group(1)) * _UNIT[match.group(2)]) * 1_000_000)
    try:
        when = datetime.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"--since {text} is neither an age nor a time",
            "e.g. --since 10m, --since 2h or --since 2026-12-07T08:00:00Z",
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    return int(when.timestamp() * 1_000_000)


def recent(client: SlackClient, app_id: str, filters: Filters, limit: int) -> list[dict[str, Any]]:
    """The LIMIT newest entries, oldest first (the order they are read in)."""
    data = client.call("apps.activities.list", {"app_id": app_id, "limit": limit, **filters.params()}).data
    return list(reversed(data.get("activities") or []))


def newer(client: SlackClient, app_id: str, filters: Filters, after_us: int) -> list[dict[str, Any]]:
    """Every entry created after AFTER_US, oldest first (all pages)."""
    params = {
        "app_id": app_id,
        "limit": 200,
        "sort_direction": "asc",
        **filters.params(),
        "min_date_created": after_us + 1,
    }
    found: list[dict[str, Any]] = []
    for page in client.paginate("apps.activities.list", params):
        found += page.data.get("activities") or []
    return found


def app_of_token(client: SlackClient) -> str | None:
    """The app a bot token belongs to (auth.test's bot_id, then bots.info), or None for other tokens."""
    who = client.call("auth.test").data
    if not who.get("bot_id"):
        return None
    return (client.call("bots.info", {"bot": who["bot_id"]}).data.get("bot") or {}).get("app_id")


def line(activity: dict[str, Any]) -> str:
    """One entry as a person reads it: time, level, component, event type and what it says."""
    created = datetime.datetime.fromtimestamp(activity.get("created", 0) / 1_000_000, datetime.UTC)
    payload = activity.get("payload") or {}
    said = payload.get("log") or payload.get("reason") or payload.get("error") or ""
    detail = ", ".join(
        f"{k}={v}"
        for k, v in payload.items()
        if isinstance(v, (str, int, float)) and v and k not in ("log", "reason", "error")
    )
    text = (
        f"{created:%Y-%m-%d %H:%M:%S} [{activity.get('level', '')}] [{activity.get('component_id', '')}] "
        f"{activity.get('event_type', '')}"
    )
    return " ".join(part for part in (text, said, f"({detail})" if detail else "") if part)
