"""Web API: functions.completeSuccess/completeError (ending a custom function's execution, usually with its
xwfp- token) and functions.distributions.permissions.* (who may use an app's function in their workflows)."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.automation import functions
from slackctl.emulator.webapi.registry import ApiError, Call, method

CONFIG = {"config": ["app_configurations:write"]}
PERMISSION_TYPES = ("everyone", "app_collaborators", "named_entities")


def _execution(call: Call) -> dict[str, Any]:
    execution_id = call.arg("function_execution_id", required=True) or ""
    execution = call.world.function_executions.get(execution_id)
    if execution is None:
        raise ApiError("function_execution_not_found")
    if execution["app_id"] != call.auth.get("app_id"):
        raise ApiError("access_denied")
    if execution["status"] != "running":
        raise ApiError("execution_not_in_running_state")
    return execution


@method("functions.completeSuccess")
def functions_complete_success(call: Call) -> dict[str, Any]:
    outputs = call.json_arg("outputs", required=True)
    if not isinstance(outputs, dict):
        raise ApiError("parameter_validation_failed")
    execution = _execution(call)
    problems = functions.check_outputs(call.world.apps[execution["app_id"]], execution, outputs)
    if problems:
        raise ApiError("parameter_validation_failed", errors=[{"message": p} for p in problems])
    functions.finish(call.emu, execution, "completed", outputs=outputs)
    return {}


@method("functions.completeError")
def functions_complete_error(call: Call) -> dict[str, Any]:
    error = call.arg("error", required=True) or ""
    execution = _execution(call)
    functions.finish(call.emu, execution, "failed", error=error)
    return {}


# ---- distribution permissions (configuration tokens, as Slack's CLI calls them) ----------------------------------
def _function(call: Call) -> tuple[dict[str, Any], str]:
    app_id = call.arg("function_app_id") or call.auth["app_id"]
    callback_id = call.arg("function_callback_id")
    app = call.world.apps.get(app_id)
    if app is None:
        raise ApiError("app_not_found")
    if not callback_id:
        function_id = call.arg("function_id") or ""
        callback_id = next(
            (
                c
                for c in (app.get("manifest") or {}).get("functions") or {}
                if functions.stable_id("Fn", app_id, c) == function_id
            ),
            None,
        )
    try:
        functions.definition(app, callback_id or "")
    except functions.FunctionError:
        raise ApiError("function_not_found") from None
    return app, callback_id or ""


def _view(app: dict[str, Any], callback_id: str) -> dict[str, Any]:
    permission = (app.get("function_permissions") or {}).get(callback_id) or {"permission_type": "app_collaborators"}
    users = [{"id": uid} for uid in permission.get("user_ids") or []]
    return {"permission_type": permission["permission_type"], "users": users}


def _users(call: Call) -> list[str]:
    user_ids = call.list_arg("user_ids")
    for uid in user_ids:
        if call.world.get_user(uid) is None:
            raise ApiError("user_not_found")
    return user_ids


@method("functions.distributions.permissions.set", kinds=("config",), scopes=CONFIG)
def functions_distributions_permissions_set(call: Call) -> dict[str, Any]:
    app, callback_id = _function(call)
    kind = call.arg("permission_type", required=True, error="permission_type_required") or ""
    if kind not in PERMISSION_TYPES:
        raise ApiError("invalid_permission_type")
    users = _users(call)
    app.setdefault("function_permissions", {})[callback_id] = {
        "permission_type": kind,
        "user_ids": users if kind == "named_entities" else [],
    }
    return _view(app, callback_id)


def _named(call: Call, add: bool) -> dict[str, Any]:
    app, callback_id = _function(call)
    users = _users(call)
    if not users:
        raise ApiError("invalid_named_entities")
    current = (app.get("function_permissions") or {}).get(callback_id) or {}
    before = current.get("user_ids") or [] if current.get("permission_type") == "named_entities" else []
    after = sorted(set(before) | set(users)) if add else [u for u in before if u not in users]
    app.setdefault("function_permissions", {})[callback_id] = {"permission_type": "named_entities", "user_ids": after}
    return _view(app, callback_id)


@method("functions.distributions.permissions.add", kinds=("config",), scopes=CONFIG)
def functions_distributions_permissions_add(call: Call) -> dict[str, Any]:
    return _named(call, add=True)


@method("functions.distributions.permissions.remove", kinds=("config",), scopes=CONFIG)
def functions_distributions_permissions_remove(call: Call) -> dict[str, Any]:
    return _named(call, add=False)


@method("functions.distributions.permissions.list", kinds=("config",), scopes=CONFIG)
def functions_distributions_permissions_list(call: Call) -> dict[str, Any]:
    app, callback_id = _function(call)
    return _view(app, callback_id)
