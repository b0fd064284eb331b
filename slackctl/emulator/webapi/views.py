"""Web API: views.open/push/update/publish over the view store (world/views.py), with trigger ids
(world/triggers.py)."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.webapi.registry import ApiError, Call, method
from slackctl.emulator.world import triggers, views

MAX_VIEW_BYTES = 250_000  # Slack refuses bigger views with view_too_large


def _app_id(call: Call) -> str:
    return call.auth["app_id"]


def _view(call: Call) -> Any:
    view = call.json_arg("view", required=True)
    raw = call.params.get("view")
    if isinstance(raw, str) and len(raw.encode()) > MAX_VIEW_BYTES:
        raise ApiError("view_too_large")
    return view


def _trigger(call: Call) -> dict[str, Any]:
    trigger_id = call.arg("trigger_id") or call.arg("interactivity_pointer")
    if not trigger_id:
        raise ApiError(
            "invalid_arguments", response_metadata={"messages": ["[ERROR] missing required field: trigger_id"]}
        )
    return triggers.consume(call.emu, trigger_id, _app_id(call))


@method("views.open")
def views_open(call: Call) -> dict[str, Any]:
    spec = _view(call)
    views.check_view(spec, ("modal",))
    trigger = _trigger(call)
    return {"view": _of_function(call, views.open(call.emu, _app_id(call), trigger["user_id"], spec))}


@method("views.push")
def views_push(call: Call) -> dict[str, Any]:
    spec = _view(call)
    views.check_view(spec, ("modal",))
    trigger = _trigger(call)
    return {"view": _of_function(call, views.push(call.emu, _app_id(call), trigger["user_id"], spec))}


def _of_function(call: Call, view: dict[str, Any]) -> dict[str, Any]:
    """A view opened with a function's token (xwfp-…): its interactions carry that function's context."""
    execution_id = (call.token or {}).get("function_execution_id")
    if execution_id:
        call.world.views[view["id"]]["function_execution_id"] = execution_id
    return view


@method("views.update")
def views_update(call: Call) -> dict[str, Any]:
    spec = _view(call)
    return {
        "view": views.update(
            call.emu,
            _app_id(call),
            spec,
            view_id=call.arg("view_id"),
            external_id=call.arg("external_id"),
            hash=call.arg("hash"),
        )
    }


@method("views.publish")
def views_publish(call: Call) -> dict[str, Any]:
    spec = _view(call)
    user_id = call.arg("user_id", required=True) or ""
    user = call.world.get_user(user_id)
    if user is None or user.get("is_bot"):
        raise ApiError("user_not_found")
    return {"view": views.publish(call.emu, _app_id(call), user_id, spec, hash=call.arg("hash"))}
