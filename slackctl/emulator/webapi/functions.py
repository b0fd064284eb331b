"""Web API: functions.completeSuccess/completeError, and the function executions they complete."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.webapi.registry import ApiError, Call, method


def start_execution(world: Any, app_id: str, callback_id: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """A running function execution of APP (what a workflow step triggers); the driver sends the event."""
    from slackctl.emulator import ids

    execution = {"id": "Fx" + ids.slack_id("", 10), "app_id": app_id, "callback_id": callback_id,
                 "inputs": dict(inputs), "state": "running", "outputs": None, "error": None}
    world.function_executions[execution["id"]] = execution
    return execution


def _execution(call: Call) -> dict[str, Any]:
    execution_id = call.arg("function_execution_id", required=True) or ""
    execution = call.world.function_executions.get(execution_id)
    if execution is None:
        raise ApiError("function_execution_not_found")
    if execution["app_id"] != call.auth.get("app_id"):
        raise ApiError("access_denied")
    if execution["state"] != "running":
        raise ApiError("execution_not_in_running_state")
    return execution


@method("functions.completeSuccess")
def functions_complete_success(call: Call) -> dict[str, Any]:
    outputs = call.json_arg("outputs", required=True)
    if not isinstance(outputs, dict):
        raise ApiError("parameter_validation_failed")
    execution = _execution(call)
    execution.update(state="completed", outputs=outputs)
    call.publish("function_completed", execution=dict(execution))
    return {}


@method("functions.completeError")
def functions_complete_error(call: Call) -> dict[str, Any]:
    error = call.arg("error", required=True) or ""
    execution = _execution(call)
    execution.update(state="failed", error=error)
    call.publish("function_completed", execution=dict(execution))
    return {}
