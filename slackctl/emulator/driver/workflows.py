"""A workflow reaching an app's custom step (a function in its manifest): Slack starts a function execution and
sends the app function_executed; the app ends it with functions.completeSuccess or completeError. The driver's
run_step does what a workflow run by the user does, and can wait for the outcome."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from slackctl.emulator import ids
from slackctl.emulator.delivery import events, subscriptions
from slackctl.emulator.webapi.inproc import DriveError

if TYPE_CHECKING:
    from slackctl.emulator.delivery.deliverer import Pending
    from slackctl.emulator.server import Emulator


def start(emu: Emulator, user_id: str, app: dict[str, Any], callback_id: str,
          inputs: dict[str, Any]) -> tuple[dict[str, Any], list[Pending]]:
    """The new execution and the deliveries of its function_executed."""
    from slackctl.emulator.webapi import functions

    declared = (subscriptions.manifest(app).get("functions") or {}).get(callback_id)
    if not isinstance(declared, dict):
        raise DriveError(f"the app {app['name']} declares no function {callback_id!r} in its manifest")
    world = emu.world
    with world.lock:
        execution = dict(functions.start_execution(world, app["app_id"], callback_id, inputs))
        token = world.mint_token("bot", app_id=app["app_id"], scopes=list(app["bot_scopes"]))["token"]
    function = {"id": "Fn" + ids.slack_id("", 10), "callback_id": callback_id, "title": declared.get("title", ""),
                "description": declared.get("description", ""), "type": "app", "app_id": app["app_id"],
                "input_parameters": _parameters(declared.get("input_parameters")),
                "output_parameters": _parameters(declared.get("output_parameters")),
                "date_created": int(world.now()), "date_updated": int(world.now()), "date_deleted": 0}
    with events.capture() as pendings:
        emu.bus.publish("function_executed", app_id=app["app_id"], user=user_id, event={
            "type": "function_executed", "function": function, "inputs": dict(inputs),
            "function_execution_id": execution["id"], "workflow_execution_id": "Wx" + ids.slack_id("", 10),
            "event_ts": f"{time.time():.6f}", "bot_access_token": token})
    return execution, pendings


def _parameters(spec: Any) -> list[dict[str, Any]]:
    """A manifest's {"properties": {name: {...}}, "required": [...]} as the event's list of parameters."""
    if not isinstance(spec, dict):
        return []
    required = set(spec.get("required") or [])
    return [{"name": name, **(value if isinstance(value, dict) else {}),
             "is_required": name in required or bool((value or {}).get("is_required"))}
            for name, value in (spec.get("properties") or {}).items()]


def outcome(emu: Emulator, execution_id: str) -> dict[str, Any]:
    with emu.world.lock:
        return dict(emu.world.function_executions.get(execution_id) or {})


def wait(emu: Emulator, app: dict[str, Any], execution_id: str, timeout: float) -> dict[str, Any]:
    """The execution once the app completed or failed it (a DriveError after TIMEOUT seconds)."""
    from slackctl.emulator.driver.waiting import wait_for

    def finished() -> dict[str, Any] | None:
        found = outcome(emu, execution_id)
        return found if found.get("state") not in (None, "running") else None

    try:
        return dict(wait_for(emu, finished, timeout))
    except TimeoutError:
        raise DriveError(f"the app {app['name']} did not complete or fail the step within {timeout:g} s "
                         "(functions.completeSuccess / completeError)", "not_acknowledged") from None
