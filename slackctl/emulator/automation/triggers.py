"""Workflow triggers (Ft…, made by workflows.triggers.create): their checks and Slack's trigger object, and what
fires them — the scripted user (link/shortcut triggers), a POST of JSON to a webhook trigger's URL, the emulator's
clock scaled by --time-scale (scheduled triggers), and events of the workspace (event triggers)."""

from __future__ import annotations

import datetime
import json
import secrets
import threading
import time
from typing import TYPE_CHECKING, Any

from slackctl.emulator import ids
from slackctl.emulator.automation import activity, engine
from slackctl.emulator.automation.functions import FunctionError
from slackctl.emulator.httpd import Request, Response
from slackctl.emulator.webapi.registry import ApiError
from slackctl.slack.workflows import filter_matches, filter_problem, parameters, references, type_problem

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator

TYPES = ("shortcut", "webhook", "scheduled", "event")
WEBHOOK_PREFIX = "/triggers/"
SHORTCUT_PREFIX = "/shortcuts/"
WORKFLOW_REF = "#/workflows/"
# Slack's event trigger types the emulator fires, and the bus fact each one follows.
EVENT_FACTS = {
    "slack#/events/message_posted": "message_posted",
    "slack#/events/reaction_added": "reaction_added",
    "slack#/events/user_joined_channel": "member_joined",
    "slack#/events/channel_created": "channel_created",
    "slack#/events/app_mentioned": "message_posted",
}
FREQUENCY = {
    "hourly": 3600.0,
    "daily": 86400.0,
    "weekly": 7 * 86400.0,
    "monthly": 30 * 86400.0,
    "yearly": 365 * 86400.0,
}


def _invalid(error: str, message: str) -> ApiError:
    return ApiError(error, errors=[{"code": error, "message": message}])


def build(
    emu: Emulator,
    app: dict[str, Any],
    spec: dict[str, Any],
    trigger_id: str | None = None,
    previous: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A trigger record from workflows.triggers.create/update arguments, checked as Slack checks them."""
    kind = spec.get("type")
    if kind not in TYPES:
        raise _invalid("invalid_trigger_type", f"type must be one of {', '.join(TYPES)}")
    ref = str(spec.get("workflow") or "")
    if not ref.startswith(WORKFLOW_REF):
        raise _invalid("invalid_workflow_id", "workflow must look like #/workflows/CALLBACK_ID")
    callback_id = ref[len(WORKFLOW_REF) :]
    try:
        workflow = engine.workflow_definition(app, callback_id)
    except FunctionError:
        raise _invalid("workflow_not_found", f"the app has no workflow {callback_id!r}") from None
    inputs = spec.get("inputs") or {}
    if not isinstance(inputs, dict) or not all(isinstance(v, dict) for v in inputs.values()):
        raise _invalid("invalid_trigger_inputs", 'inputs must map each input name to {"value": …}')
    declared = parameters(workflow.get("input_parameters"))
    for name, value in inputs.items():
        if name not in declared:
            raise _invalid("invalid_trigger_inputs", f"the workflow has no input {name!r}")
        why = type_problem(declared[name][0], value.get("value"))
        if why and not value.get("customizable"):
            raise _invalid("invalid_trigger_inputs", f"input {name!r}: {why}")
        for ref_ in references(value.get("value")):
            if not ref_.startswith("data."):
                raise _invalid("invalid_trigger_inputs", f"input {name!r}: a trigger input may only use {{{{data.…}}}}")
    for name, (type_name, required) in declared.items():
        if required and name not in inputs:
            raise ApiError(
                "invalid_trigger_inputs",
                errors=[
                    {
                        "code": "missing_input",
                        "message": f"required input {name!r} has no value",
                        "missing_parameter_name": name,
                        "missing_parameter_type": type_name,
                    }
                ],
            )
    now = int(emu.world.now())
    record: dict[str, Any] = {
        "id": trigger_id or "Ft" + ids.slack_id("", 11),
        "type": kind,
        "app_id": app["app_id"],
        "name": str(spec.get("name") or ""),
        "description": str(spec.get("description") or ""),
        "callback_id": callback_id,
        "inputs": inputs,
        "date_created": (previous or {}).get("date_created", now),
        "date_updated": now,
        "permission": (previous or {}).get("permission", {"permission_type": "everyone"}),
        "secret": (previous or {}).get("secret") or secrets.token_hex(16),
        "runs": (previous or {}).get("runs", 0),
    }
    config = spec.get(kind) if kind in ("webhook", "event") else None
    if isinstance(config, dict) and config.get("filter") is not None:
        why = filter_problem(config["filter"])
        if why:
            raise _invalid("invalid_trigger_config", why)
    if kind == "shortcut":
        record["shortcut"] = spec.get("shortcut") or {}
    elif kind == "webhook":
        record["webhook"] = spec.get("webhook") or {}
        record["webhook_path"] = (previous or {}).get("webhook_path") or (
            f"{WEBHOOK_PREFIX}{emu.world.team['id']}/{ids.digits(12)}/{secrets.token_hex(16)}"
        )
    elif kind == "scheduled":
        record["schedule"] = _schedule(spec.get("schedule"))
        record["next_due"] = _first_due(emu, record["schedule"])
    else:
        event = spec.get("event")
        if not isinstance(event, dict) or event.get("event_type") not in EVENT_FACTS:
            raise _invalid(
                "invalid_trigger_event_type", "event.event_type must be one of " + ", ".join(sorted(EVENT_FACTS))
            )
        record["event"] = event
    return record


def _schedule(schedule: Any) -> dict[str, Any]:
    if not isinstance(schedule, dict) or not isinstance(schedule.get("start_time"), str):
        raise _invalid("invalid_trigger_config", "a scheduled trigger needs schedule.start_time (ISO 8601)")
    try:
        start = datetime.datetime.fromisoformat(schedule["start_time"].replace("Z", "+00:00"))
    except ValueError:
        raise _invalid("invalid_trigger_config", "schedule.start_time is not an ISO 8601 time") from None
    if start.tzinfo is None:
        start = start.replace(tzinfo=datetime.UTC)
    frequency = schedule.get("frequency") or {"type": "once"}
    if not isinstance(frequency, dict) or frequency.get("type", "once") not in ("once", *FREQUENCY):
        raise _invalid(
            "invalid_trigger_config", "schedule.frequency.type must be once, hourly, daily, weekly, monthly or yearly"
        )
    return {**schedule, "frequency": frequency, "_start": start.timestamp()}


def _first_due(emu: Emulator, schedule: dict[str, Any]) -> float:
    """When (on the emulator's clock) the first run comes; ahead-of-now times shrink by --time-scale."""
    now = emu.world.now()
    return now + max(0.0, schedule["_start"] - now) / max(emu.time_scale, 1e-9)


SLACK_WEBHOOK_BASE = "https://hooks.slack.com"
SLACK_SHORTCUT_BASE = "https://slack.com"


def public(emu: Emulator, record: dict[str, Any], slack_urls: bool = False) -> dict[str, Any]:
    """Slack's trigger object. SLACK_URLS (a caller that reached the emulator as slack.com, through `emulator
    exec`'s proxy) gets Slack's own URLs, which that proxy brings back here."""
    app = emu.world.apps.get(record["app_id"]) or {"name": "", "app_id": record["app_id"]}
    workflow = {}
    try:
        workflow = engine.workflow_definition(app, record["callback_id"])
    except FunctionError:
        pass
    from slackctl.emulator.automation.functions import stable_id

    out: dict[str, Any] = {
        "id": record["id"],
        "type": record["type"],
        "name": record["name"],
        "description": record["description"],
        "date_created": record["date_created"],
        "date_updated": record["date_updated"],
        "inputs": record["inputs"],
        "usage": "",
        "workflow": {
            "id": stable_id("Wf", record["app_id"], record["callback_id"]),
            "callback_id": record["callback_id"],
            "title": workflow.get("title", ""),
            "description": workflow.get("description", ""),
            "type": "workflow",
            "app_id": record["app_id"],
            "app": {"id": record["app_id"], "name": app["name"]},
            "input_parameters": [
                {"name": n, "type": t, "is_required": r}
                for n, (t, r) in parameters(workflow.get("input_parameters")).items()
            ],
            "output_parameters": [],
        },
    }
    if record["type"] == "shortcut":
        base = SLACK_SHORTCUT_BASE if slack_urls else emu.url
        out["shortcut_url"] = f"{base}{SHORTCUT_PREFIX}{record['id']}/{record['secret']}"
        out["shortcut"] = record.get("shortcut") or {}
    elif record["type"] == "webhook":
        out["webhook_url"] = f"{SLACK_WEBHOOK_BASE if slack_urls else emu.url}{record['webhook_path']}"
        out["webhook"] = record.get("webhook") or {}
    elif record["type"] == "scheduled":
        out["schedule"] = {k: v for k, v in record["schedule"].items() if not k.startswith("_")}
    else:
        out["event"] = record["event"]
    return out


def fire(emu: Emulator, record: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Run the trigger's workflow with its inputs filled from DATA (caller holds the lock); the execution."""
    from slackctl.slack.workflows import resolve

    world = emu.world
    app = world.apps.get(record["app_id"])
    if app is None:
        raise FunctionError("app_not_found", "the trigger's app was deleted")
    inputs = {name: resolve(spec.get("value"), {"data": data}) for name, spec in record["inputs"].items()}
    record["runs"] = record.get("runs", 0) + 1
    activity.record(
        world,
        app["app_id"],
        "trigger_executed",
        "workflows",
        record["id"],
        {
            "trigger": {"id": record["id"], "type": record["type"], "name": record["name"]},
            "workflow_callback_id": record["callback_id"],
        },
    )
    return engine.start(emu, app, record["callback_id"], inputs, trigger_id=record["id"], data=data)


def may_run(world: Any, record: dict[str, Any], user_id: str, channel_id: str | None) -> bool:
    """Whether USER may run the trigger (its permissions; app collaborators are the workspace's admins here)."""
    permission = record.get("permission") or {"permission_type": "everyone"}
    kind = permission["permission_type"]
    if kind == "everyone":
        return True
    if kind == "app_collaborators":
        return bool((world.get_user(user_id) or {}).get("is_admin"))
    return user_id in (permission.get("user_ids") or []) or (
        channel_id is not None and channel_id in (permission.get("channel_ids") or [])
    )


# ---- webhook triggers -------------------------------------------------------------------------------------------
def handle_webhook(emu: Emulator, req: Request) -> Response:
    """POST /triggers/TEAM/ID/SECRET with a JSON object: {{data.KEY}} of the workflow's inputs."""
    if req.http_method != "POST":
        return Response.json({"ok": False, "error": "invalid_method"}, 405)
    with emu.world.lock:
        record = next(
            (
                t
                for t in emu.world.workflow_triggers.values()
                if t["type"] == "webhook" and t.get("webhook_path") == req.path
            ),
            None,
        )
    if record is None:
        return Response.json({"ok": False, "error": "trigger_not_found"}, 404)
    try:
        data = json.loads(req.body() or b"{}")
    except ValueError:
        return Response.json({"ok": False, "error": "invalid_json"}, 400)
    if not isinstance(data, dict):
        return Response.json({"ok": False, "error": "invalid_json"}, 400)
    with emu.world.lock:
        if not filter_matches((record.get("webhook") or {}).get("filter"), data):
            return Response.json({"ok": True})  # accepted; the filter says this one does not run the workflow
        try:
            fire(emu, record, data)
        except FunctionError as exc:
            return Response.json({"ok": False, "error": exc.code}, 400)
    return Response.json({"ok": True})


def log_path(path: str) -> str:
    head, _, _ = path.rpartition("/")
    return f"{head}/…REDACTED"


# ---- scheduled and event triggers ------------------------------------------------------------------------------
class Clock:
    """One timer per emulator for the soonest scheduled trigger (as the Scheduler does for messages), and the
    bus listener that fires event triggers."""

    def __init__(self, emu: Emulator) -> None:
        self.emu = emu
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        emu.bus.subscribe(self._on_fact)

    def arm(self) -> None:
        """Wake for the soonest scheduled trigger (call after a trigger changed, and at start)."""
        world = self.emu.world
        with world.lock:
            dues = [
                t["next_due"]
                for t in world.workflow_triggers.values()
                if t["type"] == "scheduled" and t.get("next_due") is not None
            ]
            now = world.now()
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if dues and not self.emu.stopped:
                self._timer = threading.Timer(max(0.0, min(dues) - now) + 0.005, self.tick)
                self._timer.daemon = True
                self._timer.start()

    def stop(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

    def tick(self) -> None:
        world = self.emu.world
        with world.lock:
            now = world.now()
            for record in list(world.workflow_triggers.values()):
                if record["type"] != "scheduled" or record.get("next_due") is None or record["next_due"] > now:
                    continue
                record["next_due"] = self._next(record)
                try:
                    fire(self.emu, record, {"date": int(now)})
                except FunctionError:
                    pass  # recorded as a failed execution, the schedule goes on
        self.arm()

    def _next(self, record: dict[str, Any]) -> float | None:
        schedule = record["schedule"]
        frequency = schedule["frequency"]
        kind = frequency.get("type", "once")
        count = schedule.get("occurrence_count") or frequency.get("occurrence_count")
        if kind == "once" or (count and record.get("runs", 0) + 1 >= int(count)):
            return None
        every = FREQUENCY[kind] * max(1, int(frequency.get("repeats_every") or 1))
        due = record["next_due"] + every / max(self.emu.time_scale, 1e-9)
        end = schedule.get("end_time")
        if isinstance(end, str):
            try:
                if due > datetime.datetime.fromisoformat(end.replace("Z", "+00:00")).timestamp():
                    return None
            except ValueError:
                pass
        return due

    def _on_fact(self, kind: str, data: dict[str, Any]) -> None:
        world = self.emu.world
        with world.lock:
            wanted = [
                (t, (world.apps.get(t["app_id"]) or {}).get("bot_user_id", ""))
                for t in world.workflow_triggers.values()
                if t["type"] == "event" and EVENT_FACTS.get(t["event"].get("event_type")) == kind
            ]
        for record, bot_user_id in wanted:
            event_data = _event_data(kind, data, record, bot_user_id)
            if event_data is not None and filter_matches(record["event"].get("filter"), event_data):
                # Fired from the delivery pool, not inside the publisher's handler: a workflow's own steps publish.
                self.emu.deliveries.submit(record["app_id"], self._fire_event, record["id"], event_data)

    def _fire_event(self, trigger_id: str, data: dict[str, Any]) -> None:
        with self.emu.world.lock:
            record = self.emu.world.workflow_triggers.get(trigger_id)
            if record is not None:
                try:
                    fire(self.emu, record, data)
                except FunctionError:
                    pass


def _event_data(kind: str, data: dict[str, Any], record: dict[str, Any], bot_user_id: str) -> dict[str, Any] | None:
    """{{data.…}} of an event trigger, or None when the event does not concern it."""
    event = record["event"]
    channel_id = data.get("channel_id") or (data.get("channel") or {}).get("id")
    channels = event.get("channel_ids")
    if channels and channel_id not in channels:
        return None
    if kind == "message_posted":
        message = data["message"]
        if message.get("bot_id") or message.get("subtype"):
            return None  # a workflow's own messages never start it again
        out = {
            "channel_id": channel_id,
            "user_id": message.get("user"),
            "message_ts": message["ts"],
            "text": message.get("text", ""),
            "thread_ts": message.get("thread_ts"),
            "event_type": event["event_type"],
            "event_timestamp": time.time(),
        }
        if event["event_type"] == "slack#/events/app_mentioned":
            return out if f"<@{bot_user_id}>" in str(message.get("text") or "") else None
        return out
    if kind == "reaction_added":
        return {
            "channel_id": channel_id,
            "user_id": data.get("user"),
            "reaction": data.get("reaction"),
            "message_ts": data.get("ts"),
            "item_user": data.get("item_user"),
            "event_type": event["event_type"],
        }
    if kind == "member_joined":
        return {
            "channel_id": channel_id,
            "user_id": data.get("user"),
            "inviter_id": data.get("inviter"),
            "event_type": event["event_type"],
        }
    if kind == "channel_created":
        channel = data.get("channel") or {}
        return {
            "channel_id": channel.get("id"),
            "channel_name": channel.get("name"),
            "creator_id": channel.get("creator"),
            "event_type": event["event_type"],
        }
    return None
