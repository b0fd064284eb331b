"""Workflow executions: a workflow of an app's manifest runs its steps in order, each step's inputs filled from
`{{inputs.…}}`, `{{steps.N.…}}` and `{{data.…}}`. Built-in Slack functions run here (builtins.py); a custom
function step waits for its app (functions.py), an open_form step for the user's submission, a delay for the
clock. All state lives in World.workflow_executions; callers hold the world lock."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slackctl.emulator import ids
from slackctl.emulator.automation import activity, functions
from slackctl.emulator.delivery import subscriptions
from slackctl.slack.workflows import function_spec, parameters, resolve, type_problem

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator


def attach(emu: Emulator) -> None:
    """Resume workflows when a step they wait on ends: a custom function completed or failed (functions.finish),
    a form was submitted or a delay passed (builtins.step_done). Runs on the publisher's thread, under the lock."""

    def resume(kind: str, data: dict[str, Any]) -> None:
        if kind == "function_completed" and data["execution"].get("workflow_execution_id"):
            execution = data["execution"]
            step_finished(
                emu,
                execution["workflow_execution_id"],
                execution["step"],
                outputs=execution["outputs"],
                error=execution["error"],
            )
        elif kind == "workflow_step_done":
            step_finished(emu, data["execution_id"], data["step"], outputs=data["outputs"])

    emu.bus.subscribe(resume)


def workflow_definition(app: dict[str, Any], callback_id: str) -> dict[str, Any]:
    workflow = (subscriptions.manifest(app).get("workflows") or {}).get(callback_id)
    if not isinstance(workflow, dict):
        raise functions.FunctionError(
            "workflow_not_found", f"the app {app['name']} has no workflow {callback_id!r} in its manifest"
        )
    return workflow


def start(
    emu: Emulator,
    app: dict[str, Any],
    callback_id: str,
    inputs: dict[str, Any],
    *,
    trigger_id: str | None = None,
    data: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Start workflow CALLBACK_ID of APP and run it until a step waits; the execution record."""
    world = emu.world
    workflow = workflow_definition(app, callback_id)
    execution_id = "Wx" + ids.slack_id("", 11)
    steps = [
        {
            "index": i,
            "step_id": str(step.get("id", i)),
            "function_id": step.get("function_id", ""),
            "status": "pending",
            "inputs": None,
            "outputs": None,
            "error": None,
            "function_execution_id": None,
        }
        for i, step in enumerate(workflow.get("steps") or [])
    ]
    execution = {
        "id": execution_id,
        "kind": "workflow",
        "app_id": app["app_id"],
        "callback_id": callback_id,
        "workflow_id": functions.stable_id("Wf", app["app_id"], callback_id),
        "trigger_id": trigger_id,
        "inputs": dict(inputs),
        "data": dict(data or {}),
        "status": "running",
        "steps": steps,
        "current": 0,
        "error": None,
        "started": world.now(),
        "ended": None,
    }
    world.workflow_executions[execution_id] = execution
    activity.record(
        world,
        app["app_id"],
        "workflow_execution_started",
        "workflows",
        execution["workflow_id"],
        {
            "workflow_name": workflow.get("title", callback_id),
            "workflow_execution_id": execution_id,
            "trigger_id": trigger_id,
        },
        trace_id=execution_id,
    )
    for name, (type_name, required) in parameters(workflow.get("input_parameters")).items():
        value = inputs.get(name)
        if value is None and required:
            _fail(emu, execution, f"missing required input {name!r}")
            return execution
        why = None if value is None else type_problem(type_name, value)
        if why:
            _fail(emu, execution, f"input {name!r}: {why}")
            return execution
    advance(emu, execution)
    return execution


def advance(emu: Emulator, execution: dict[str, Any]) -> None:
    """Run steps from the current one until the workflow ends or a step waits."""
    from slackctl.emulator.automation import builtins

    world = emu.world
    app = world.apps.get(execution["app_id"])
    if app is None:
        _fail(emu, execution, "the workflow's app was deleted")
        return
    workflow = workflow_definition(app, execution["callback_id"])
    definitions = workflow.get("steps") or []
    while execution["status"] == "running" and execution["current"] < len(execution["steps"]):
        step = execution["steps"][execution["current"]]
        if step["status"] == "running":
            return  # waiting for the app, the user or the clock
        context = {
            "inputs": execution["inputs"],
            "data": execution["data"],
            "steps": {s["step_id"]: s["outputs"] or {} for s in execution["steps"][: step["index"]]},
        }
        step_inputs = resolve(definitions[step["index"]].get("inputs") or {}, context)
        step.update(status="running", inputs=step_inputs, started=world.now())
        activity.record(
            world,
            app["app_id"],
            "workflow_step_started",
            "workflows",
            execution["workflow_id"],
            {"workflow_execution_id": execution["id"], "step": step["index"], "function_id": step["function_id"]},
            trace_id=execution["id"],
        )
        spec = function_spec(subscriptions.manifest(app), step["function_id"])
        try:
            if spec is None or spec["kind"] == "other":
                raise functions.FunctionError(
                    "function_not_supported", f"the emulator cannot run {step['function_id']!r}"
                )
            if spec["kind"] == "custom":
                started = functions.start(
                    emu, app, spec["name"], step_inputs, workflow_execution_id=execution["id"], step=step["index"]
                )
                step["function_execution_id"] = started["id"]
                return
            outputs = builtins.run(emu, app, execution, step, spec["name"], step_inputs)
        except functions.FunctionError as exc:
            _end_step(emu, execution, step, error=str(exc))
            continue
        if outputs is None:
            return  # the built-in waits (open_form, delay); step_finished resumes
        _end_step(emu, execution, step, outputs=outputs)
    if execution["status"] == "running":
        execution.update(status="completed", ended=world.now())
        activity.record(
            world,
            app["app_id"],
            "workflow_execution_result",
            "workflows",
            execution["workflow_id"],
            {"workflow_execution_id": execution["id"], "exec_outcome": "completed"},
            trace_id=execution["id"],
        )
        emu.bus.publish("workflow_completed", execution=view(execution))


def step_finished(
    emu: Emulator, execution_id: str, index: int, *, outputs: dict[str, Any] | None = None, error: str | None = None
) -> None:
    """A waiting step ended (its function completed or failed, its form was submitted, its delay passed)."""
    execution = emu.world.workflow_executions.get(execution_id)
    if execution is None or execution["status"] != "running" or execution["current"] != index:
        return
    step = execution["steps"][index]
    if step["status"] != "running":
        return
    _end_step(emu, execution, step, outputs=outputs, error=error)
    advance(emu, execution)


def _end_step(
    emu: Emulator,
    execution: dict[str, Any],
    step: dict[str, Any],
    *,
    outputs: dict[str, Any] | None = None,
    error: str | None = None,
) -> None:
    world = emu.world
    step.update(
        status="failed" if error else "completed",
        outputs=None if error else dict(outputs or {}),
        error=error,
        ended=world.now(),
    )
    activity.record(
        world,
        execution["app_id"],
        "workflow_step_execution_result",
        "workflows",
        execution["workflow_id"],
        {
            "workflow_execution_id": execution["id"],
            "step": step["index"],
            "function_id": step["function_id"],
            "status": step["status"],
            **({"error": error} if error else {}),
        },
        level="error" if error else "info",
        trace_id=execution["id"],
    )
    if error:
        _fail(emu, execution, f"step {step['index']} ({step['function_id']}): {error}")
    else:
        execution["current"] = step["index"] + 1


def _fail(emu: Emulator, execution: dict[str, Any], error: str) -> None:
    world = emu.world
    execution.update(status="failed", error=error, ended=world.now())
    activity.record(
        world,
        execution["app_id"],
        "workflow_execution_result",
        "workflows",
        execution["workflow_id"],
        {"workflow_execution_id": execution["id"], "exec_outcome": "failed", "reason": error},
        level="error",
        trace_id=execution["id"],
    )
    emu.bus.publish("workflow_completed", execution=view(execution))


def view(execution: dict[str, Any]) -> dict[str, Any]:
    """What GET /_emulator/executions and `emulator executions` show of a workflow execution."""
    return {
        "workflow_execution_id": execution["id"],
        "kind": "workflow",
        "app_id": execution["app_id"],
        "callback_id": execution["callback_id"],
        "workflow_id": execution["workflow_id"],
        "trigger_id": execution["trigger_id"],
        "status": execution["status"],
        "inputs": execution["inputs"],
        "error": execution["error"],
        "started": execution["started"],
        "ended": execution["ended"],
        "steps": [
            {
                k: s.get(k)
                for k in (
                    "index",
                    "step_id",
                    "function_id",
                    "status",
                    "inputs",
                    "outputs",
                    "error",
                    "function_execution_id",
                )
            }
            for s in execution["steps"]
        ],
    }


def listing(emu: Emulator, execution_id: str | None = None) -> list[dict[str, Any]]:
    """Workflow and function executions, oldest first (GET /_emulator/executions); one when EXECUTION_ID is given
    (KeyError when there is none)."""
    world = emu.world
    with world.lock:
        shown = [view(e) for e in world.workflow_executions.values()]
        shown += [functions.view(e) for e in world.function_executions.values()]
    if execution_id:
        shown = [
            e
            for e in shown
            if execution_id in (e.get("workflow_execution_id"), e.get("function_execution_id"))
            and e["kind"] == ("workflow" if execution_id.startswith("Wx") else "function")
        ]
        if not shown:
            raise KeyError(f"no execution {execution_id}")
    return sorted(shown, key=lambda e: e["started"])
