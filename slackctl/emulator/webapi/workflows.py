"""Web API: workflows.triggers.create/update/delete/info/list and workflows.triggers.permissions.* — triggers of
the caller's app's workflows (emulator/automation/triggers.py makes and fires them)."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.automation import triggers
from slackctl.emulator.webapi.registry import ApiError, Call, method

WRITE = {"bot": ["triggers:write"], "user": ["triggers:write"]}
READ = {"bot": ["triggers:read", "triggers:write"], "user": ["triggers:read", "triggers:write"]}
PERMISSION_TYPES = ("everyone", "app_collaborators", "named_entities")


def _app(call: Call) -> dict[str, Any]:
    app_id = call.arg("workflow_app_id") or call.auth["app_id"]
    app = call.world.apps.get(app_id)
    if app is None:
        raise ApiError("invalid_workflow_app_id")
    if app_id != call.auth["app_id"]:
        raise ApiError("access_denied")
    return app


def _spec(call: Call) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "type": call.arg("type", required=True),
        "name": call.arg("name", required=True),
        "workflow": call.arg("workflow", required=True),
        "description": call.arg("description"),
    }
    for key in ("inputs", "shortcut", "webhook", "schedule", "event"):
        value = call.json_arg(key)
        if value is not None and not isinstance(value, dict):
            raise ApiError(
                "invalid_arguments", response_metadata={"messages": [f"[ERROR] expected an object for field: {key}"]}
            )
        spec[key] = value
    return spec


def _via_slack(call: Call) -> bool:
    """The caller asked for slack.com (an app under `emulator exec`, whose proxy keeps the Host header)."""
    from slackctl.emulator.exec.proxycerts import is_slack_host

    host = call.req.header("Host").rsplit(":", 1)[0] if call.req is not None else ""
    return bool(host) and is_slack_host(host)


def _trigger(call: Call) -> dict[str, Any]:
    trigger_id = call.arg("trigger_id", required=True) or ""
    record = call.world.workflow_triggers.get(trigger_id)
    if record is None or record["app_id"] != call.auth["app_id"]:
        raise ApiError("trigger_not_found")
    return record


def _changed(call: Call) -> None:
    call.emu.trigger_clock.arm()


@method("workflows.triggers.create", scopes=WRITE)
def workflows_triggers_create(call: Call) -> dict[str, Any]:
    record = triggers.build(call.emu, _app(call), _spec(call))
    call.world.workflow_triggers[record["id"]] = record
    if record["type"] == "scheduled":
        _changed(call)
    return {"trigger": triggers.public(call.emu, record, _via_slack(call))}


@method("workflows.triggers.update", scopes=WRITE)
def workflows_triggers_update(call: Call) -> dict[str, Any]:
    previous = _trigger(call)
    record = triggers.build(call.emu, _app(call), _spec(call), previous["id"], previous)
    call.world.workflow_triggers[record["id"]] = record
    _changed(call)
    return {"trigger": triggers.public(call.emu, record, _via_slack(call))}


@method("workflows.triggers.delete", scopes=WRITE)
def workflows_triggers_delete(call: Call) -> dict[str, Any]:
    record = _trigger(call)
    del call.world.workflow_triggers[record["id"]]
    _changed(call)
    return {}


@method("workflows.triggers.info", scopes=READ)
def workflows_triggers_info(call: Call) -> dict[str, Any]:
    return {"trigger": triggers.public(call.emu, _trigger(call), _via_slack(call))}


@method("workflows.triggers.list", scopes=READ)
def workflows_triggers_list(call: Call) -> dict[str, Any]:
    app_id = call.arg("app_id") or call.auth["app_id"]
    kind = call.arg("type")
    if kind in ("all", None):
        kind = None
    elif kind not in triggers.TYPES:
        raise ApiError(
            "invalid_arguments",
            response_metadata={"messages": [f"[ERROR] type must be one of all, {', '.join(triggers.TYPES)}"]},
        )
    found = (
        t
        for t in call.world.workflow_triggers.values()
        if t["app_id"] == app_id == call.auth["app_id"] and kind in (None, t["type"])
    )
    page, next_cursor = call.page_of("triggers", found)
    return {
        "triggers": [triggers.public(call.emu, t, _via_slack(call)) for t in page],
        "response_metadata": {"next_cursor": next_cursor},
    }


# ---- who may run a trigger ----------------------------------------------------------------------------------------
def _permission_view(record: dict[str, Any]) -> dict[str, Any]:
    permission = record["permission"]
    out = {"permission_type": permission["permission_type"]}
    if permission["permission_type"] == "named_entities":
        for key in ("user_ids", "channel_ids", "team_ids", "org_ids"):
            out[key] = list(permission.get(key) or [])
    return out


def _entities(call: Call) -> dict[str, list[str]]:
    out = {key: call.list_arg(key) for key in ("user_ids", "channel_ids", "team_ids", "org_ids")}
    for uid in out["user_ids"]:
        if call.world.get_user(uid) is None:
            raise ApiError("user_not_found")
    for cid in out["channel_ids"]:
        if cid not in call.world.channels:
            raise ApiError("channel_not_found")
    return out


@method("workflows.triggers.permissions.set", scopes=WRITE)
def workflows_triggers_permissions_set(call: Call) -> dict[str, Any]:
    record = _trigger(call)
    kind = call.arg("permission_type", required=True) or ""
    if kind not in PERMISSION_TYPES:
        raise ApiError("invalid_permission_type")
    entities = _entities(call)
    if kind == "named_entities" and not any(entities.values()):
        raise ApiError("no_valid_named_entities")
    record["permission"] = {"permission_type": kind, **(entities if kind == "named_entities" else {})}
    return _permission_view(record)


def _named(call: Call, add: bool) -> dict[str, Any]:
    record = _trigger(call)
    entities = _entities(call)
    if not any(entities.values()):
        raise ApiError("no_valid_named_entities")
    permission = record["permission"]
    if permission["permission_type"] != "named_entities":
        permission = {"permission_type": "named_entities"}
    for key, values in entities.items():
        current = list(permission.get(key) or [])
        permission[key] = sorted(set(current) | set(values)) if add else [v for v in current if v not in values]
    record["permission"] = permission
    return _permission_view(record)


@method("workflows.triggers.permissions.add", scopes=WRITE)
def workflows_triggers_permissions_add(call: Call) -> dict[str, Any]:
    return _named(call, add=True)


@method("workflows.triggers.permissions.remove", scopes=WRITE)
def workflows_triggers_permissions_remove(call: Call) -> dict[str, Any]:
    return _named(call, add=False)


@method("workflows.triggers.permissions.list", scopes=READ)
def workflows_triggers_permissions_list(call: Call) -> dict[str, Any]:
    return _permission_view(_trigger(call))
