"""Custom function executions (`function_runtime: remote`): started by a workflow step or on their own (`emulator
function`), delivered to the app as a `function_executed` event with a function-scoped bot token (xwfp-…), and
finished by functions.completeSuccess/completeError or by timing out. Callers hold the world lock."""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING, Any

from slackctl.emulator import ids
from slackctl.emulator.automation import activity
from slackctl.emulator.delivery import subscriptions
from slackctl.slack.workflows import parameters, type_problem

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator

# Slack fails a custom step its app has not completed in time; the emulator's clock is scaled by --time-scale.
TIMEOUT = 15 * 60.0


class FunctionError(ValueError):
    """Why a function cannot start (unknown function, bad inputs): `code` is Slack's error name."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def stable_id(prefix: str, app_id: str, callback_id: str) -> str:
    """Fn…/Wf… ids that stay the same for an app's function or workflow across restarts and resets."""
    digest = hashlib.sha256(f"{app_id}/{callback_id}".encode()).hexdigest().upper()
    return prefix + digest[:11]


def definition(app: dict[str, Any], callback_id: str) -> dict[str, Any]:
    function = (subscriptions.manifest(app).get("functions") or {}).get(callback_id)
    if not isinstance(function, dict):
        raise FunctionError(
            "function_not_found", f"the app {app['name']} has no function {callback_id!r} in its manifest"
        )
    return function


def check_inputs(function: dict[str, Any], inputs: dict[str, Any], what: str) -> None:
    for name, (type_name, required) in parameters(function.get("input_parameters")).items():
        if name not in inputs or inputs[name] is None:
            if required:
                raise FunctionError("invalid_inputs", f"{what}: missing required input {name!r}")
            continue
        why = type_problem(type_name, inputs[name])
        if why:
            raise FunctionError("invalid_inputs", f"{what}: input {name!r}: {why}")


def start(
    emu: Emulator,
    app: dict[str, Any],
    callback_id: str,
    inputs: dict[str, Any],
    *,
    workflow_execution_id: str | None = None,
    step: int | None = None,
    user_id: str | None = None,
) -> dict[str, Any]:
    """Start CALLBACK_ID of APP with INPUTS and announce function_executed (delivery/events.py sends it to the
    app when it subscribed, as Slack does); USER_ID is who ran the workflow."""
    world = emu.world
    function = definition(app, callback_id)
    check_inputs(function, inputs, f"function {callback_id}")
    execution_id = "Fx" + ids.slack_id("", 11)
    token = f"xwfp-{ids.digits(13)}-{execution_id}-{secrets.token_hex(16)}"
    world.tokens[token] = {
        "token": token,
        "kind": "bot",
        "scopes": list(app["bot_scopes"]),
        "user_id": app["bot_user_id"],
        "team_id": world.team["id"],
        "app_id": app["app_id"],
        "bot_id": app["bot_id"],
        "rotating": False,
        "expires_at": None,
        "revoked": False,
        "function_execution_id": execution_id,
    }
    function_id = stable_id("Fn", app["app_id"], callback_id)
    now = world.now()
    execution = {
        "id": execution_id,
        "kind": "function",
        "app_id": app["app_id"],
        "callback_id": callback_id,
        "function_id": function_id,
        "inputs": dict(inputs),
        "status": "running",
        "outputs": None,
        "error": None,
        "workflow_execution_id": workflow_execution_id,
        "step": step,
        "bot_access_token": token,
        "started": now,
        "ended": None,
        "timeout_at": now + TIMEOUT / max(emu.time_scale, 1e-9),
    }
    world.function_executions[execution_id] = execution
    activity.record(
        world,
        app["app_id"],
        "function_execution_started",
        "functions",
        function_id,
        {
            "function_name": function.get("title") or callback_id,
            "function_execution_id": execution_id,
            "function_type": "app",
        },
        trace_id=workflow_execution_id or execution_id,
    )
    event = {
        "type": "function_executed",
        "function": _function_object(app, callback_id, function_id, function),
        "inputs": dict(inputs),
        "function_execution_id": execution_id,
        "workflow_execution_id": workflow_execution_id or "Wx" + ids.slack_id("", 11),
        "event_ts": f"{now:.6f}",
        "bot_access_token": token,
    }
    emu.bus.publish("function_executed", app_id=app["app_id"], user=user_id, event=event)
    emu.deliveries.later(execution["timeout_at"] - now + 0.05, app["app_id"], _time_out, emu, execution_id)
    return execution


def _function_object(
    app: dict[str, Any], callback_id: str, function_id: str, function: dict[str, Any]
) -> dict[str, Any]:
    def listed(block: Any) -> list[dict[str, Any]]:
        props = (block or {}).get("properties") or {}
        return [
            {"name": name, **spec, "is_required": required}
            for name, (_, required) in parameters(block).items()
            for spec in [props[name]]
        ]

    return {
        "id": function_id,
        "callback_id": callback_id,
        "title": function.get("title", callback_id),
        "description": function.get("description", ""),
        "type": "app",
        "app_id": app["app_id"],
        "input_parameters": listed(function.get("input_parameters")),
        "output_parameters": listed(function.get("output_parameters")),
        "date_created": 1700000000,
        "date_updated": 1700000000,
        "date_deleted": 0,
    }


def check_outputs(app: dict[str, Any], execution: dict[str, Any], outputs: dict[str, Any]) -> list[str]:
    """What is wrong with OUTPUTS against the function's output_parameters (missing required, wrong type)."""
    function = definition(app, execution["callback_id"])
    problems = []
    for name, (type_name, required) in parameters(function.get("output_parameters")).items():
        if name not in outputs or outputs[name] is None:
            if required:
                problems.append(f"missing required output {name!r}")
            continue
        why = type_problem(type_name, outputs[name])
        if why:
            problems.append(f"output {name!r}: {why}")
    return problems


def finish(
    emu: Emulator,
    execution: dict[str, Any],
    status: str,
    outputs: dict[str, Any] | None = None,
    error: str | None = None,
) -> None:
    """End a running execution (completed or failed): its token stops working, the activity log and the bus
    learn of it (and through the bus, a workflow waiting on it)."""
    world = emu.world
    if execution["status"] != "running":
        return
    execution.update(status=status, outputs=outputs if status == "completed" else None, error=error, ended=world.now())
    token = world.tokens.get(execution.get("bot_access_token") or "")
    if token is not None:
        token["revoked"] = True
    level = "info" if status == "completed" else "error"
    log = "Function completed successfully" if status == "completed" else f"Function failed: {error}"
    activity.record(
        world,
        execution["app_id"],
        "function_execution_result",
        "functions",
        execution["function_id"],
        {"function_execution_id": execution["id"], "log": log, "function_name": execution["callback_id"]},
        level=level,
        trace_id=execution.get("workflow_execution_id") or execution["id"],
    )
    # A workflow waiting on it moves on: engine.attach listens for this fact.
    emu.bus.publish("function_completed", execution=dict(execution))


def rearm_timeouts(emu: Emulator) -> None:
    """After a restart from --state: the executions still running time out when they would have."""
    with emu.world.lock:
        now = emu.world.now()
        for execution in emu.world.function_executions.values():
            if execution["status"] == "running":
                emu.deliveries.later(
                    max(0.0, execution["timeout_at"] - now) + 0.05, execution["app_id"], _time_out, emu, execution["id"]
                )


def _time_out(emu: Emulator, execution_id: str) -> None:
    with emu.world.lock:
        execution = emu.world.function_executions.get(execution_id)
        if execution is not None and execution["status"] == "running":
            finish(emu, execution, "failed", error="function_execution_timed_out")


def view(execution: dict[str, Any]) -> dict[str, Any]:
    """What `emulator function` and GET /_emulator/executions show of a function execution (never its token)."""
    return {
        "function_execution_id": execution["id"],
        "kind": "function",
        "app_id": execution["app_id"],
        "callback_id": execution["callback_id"],
        "status": execution["status"],
        "inputs": execution["inputs"],
        "outputs": execution["outputs"],
        "error": execution["error"],
        "workflow_execution_id": execution.get("workflow_execution_id"),
        "started": execution["started"],
        "ended": execution["ended"],
    }
