"""What the scripted user does with Slack's automation platform: click a link trigger, run one function on its own
(`emulator function`, for unit tests of a custom step), and — inside User.click/submit — carry a function's
context on its buttons and submit a workflow's open_form."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from slackctl.emulator.driver.waiting import wait_for
from slackctl.emulator.webapi.inproc import DriveError

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator

RESULT_KEYS = ("function_execution_id", "status", "outputs", "error")


class WorkflowActions:
    """Mixed into driver.user.User (which provides emu, id, name, channel() and _deliveries())."""

    emu: Emulator
    id: str
    name: str

    def channel(self, ref: str) -> dict[str, Any]:
        raise NotImplementedError

    def _deliveries(self, pendings: list[Any], expect_ack: bool = False) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _interactivity(self, app_id: str, channel_id: str | None) -> dict[str, Any]:
        from slackctl.emulator.world import triggers

        pointer = triggers.mint(self.emu, self.id, app_id, **({"channel_id": channel_id} if channel_id else {}))
        return {"interactivity_pointer": pointer, "interactor": {"id": self.id, "secret": secrets.token_hex(16)}}

    def trigger(self, trigger_id: str, channel: str | None = None) -> dict[str, Any]:
        """Click a link (shortcut) trigger: its workflow starts with {{data.user_id}}, {{data.channel_id}} and
        {{data.interactivity}} of this user; returns the execution (steps run on, see `emulator executions`)."""
        from slackctl.emulator.automation import engine, triggers
        from slackctl.emulator.automation.functions import FunctionError

        ch = self.channel(channel or "#general")
        world = self.emu.world
        with world.lock:
            record = world.workflow_triggers.get(trigger_id)
            if record is None:
                raise DriveError(f"no trigger {trigger_id}: list them with slackctl trigger list")
            if record["type"] != "shortcut":
                raise DriveError(
                    f"{trigger_id} is a {record['type']} trigger; only link (shortcut) triggers are "
                    "clicked (POST JSON to a webhook trigger's webhook_url)"
                )
            if not triggers.may_run(world, record, self.id, ch["id"]):
                raise DriveError(f"{self.name} may not run {trigger_id}: see slackctl trigger access")
            interactivity = self._interactivity(record["app_id"], ch["id"])
            data = {
                "user_id": self.id,
                "channel_id": ch["id"],
                "interactivity": interactivity,
                "location": "bookmark",
                "user": {"id": self.id, "secret": interactivity["interactor"]["secret"]},
            }
            try:
                execution = triggers.fire(self.emu, record, data)
            except FunctionError as exc:
                raise DriveError(str(exc)) from None
            return engine.view(execution)

    def run_function(
        self, callback_id: str, app: str | None = None, inputs: dict[str, Any] | None = None, wait: float | None = None
    ) -> dict[str, Any]:
        """Run one custom function of an app with INPUTS (strings are converted to the declared types), without
        a workflow; with WAIT, until it completes or fails (or WAIT seconds pass)."""
        from slackctl.emulator.automation import functions

        world = self.emu.world
        execution_id, _ = self._start_function(callback_id, app, inputs)
        if wait:
            self._wait_function(execution_id, float(wait))
        with world.lock:
            shown = functions.view(world.function_executions[execution_id])
        return {k: shown[k] for k in RESULT_KEYS}

    def run_step(
        self, callback_id: str, inputs: dict[str, Any] | None = None, app: str | None = None, wait: float = 5.0
    ) -> dict[str, Any]:
        """A workflow this user runs reaches the app's custom step CALLBACK_ID with INPUTS (function_executed,
        which the app must acknowledge); with WAIT, returns once the app completed or failed it: {"execution":
        {"id", "app_id", "callback_id", "inputs", "state", "outputs", "error"}, "deliveries"}."""
        world = self.emu.world
        execution_id, pendings = self._start_function(callback_id, app, inputs)
        deliveries = self._deliveries(pendings, expect_ack=True)  # a step the app never saw cannot finish
        if wait and not self._wait_function(execution_id, float(wait)):
            raise DriveError(
                f"the app did not complete or fail the step {callback_id} within {wait:g} s "
                "(functions.completeSuccess / completeError)",
                "not_acknowledged",
            )
        with world.lock:
            record = world.function_executions[execution_id]
            execution = {
                "id": record["id"],
                "app_id": record["app_id"],
                "callback_id": record["callback_id"],
                "inputs": record["inputs"],
                "state": record["status"],
                "outputs": record["outputs"],
                "error": record["error"],
            }
        return {"ok": True, "execution": execution, "deliveries": deliveries}

    def _wait_function(self, execution_id: str, wait: float) -> bool:
        """Whether the execution ended within WAIT seconds."""
        world = self.emu.world

        def ended() -> bool:
            with world.lock:
                return world.function_executions[execution_id]["status"] != "running"

        try:
            wait_for(self.emu, ended, timeout=wait, what="the function's end")
        except TimeoutError:
            return False
        return True

    def _start_function(
        self, callback_id: str, app: str | None, inputs: dict[str, Any] | None
    ) -> tuple[str, list[Any]]:
        """Start CALLBACK_ID of APP (default: the app declaring it): its execution id and the deliveries of its
        function_executed event."""
        from slackctl.emulator.automation import functions
        from slackctl.emulator.delivery import events
        from slackctl.emulator.world import appinstall
        from slackctl.slack.workflows import parameters

        world = self.emu.world
        with world.lock:
            if app:
                target = appinstall.find_app(world, app)
                if target is None:
                    raise DriveError(f"no app {app!r}")
            else:
                target = next(
                    (
                        a
                        for a in world.apps.values()
                        if callback_id in ((a.get("manifest") or {}).get("functions") or {})
                    ),
                    None,
                )
                if target is None:
                    raise DriveError(f"no installed app has a function {callback_id!r}: check the manifest")
            try:
                declared = parameters(functions.definition(target, callback_id).get("input_parameters"))
                given = {name: _typed(name, value, declared) for name, value in (inputs or {}).items()}
                for name, (type_name, _) in declared.items():
                    if type_name == "slack#/types/interactivity" and name not in given:
                        given[name] = self._interactivity(target["app_id"], None)
                with events.capture() as pendings:
                    execution = functions.start(self.emu, target, callback_id, given, user_id=self.id)
            except functions.FunctionError as exc:
                raise DriveError(str(exc)) from None
        return execution["id"], pendings

    def _function_context(
        self, payload: dict[str, Any], *, message: tuple[str, str] | None = None, view_id: str | None = None
    ) -> None:
        """An interaction with a message a function posted, or a view it opened, with its token: Slack adds
        function_data and that token, so Bolt's complete()/fail() work in the action or view handler."""
        world = self.emu.world
        with world.lock:
            if message is not None:
                execution_id = world.function_messages.get(f"{message[0]}|{message[1]}", "")
            else:
                execution_id = (world.views.get(view_id or "") or {}).get("function_execution_id", "")
            execution = world.function_executions.get(execution_id)
            if execution is None:
                return
            payload["function_data"] = {
                "execution_id": execution["id"],
                "function": {"callback_id": execution["callback_id"]},
                "inputs": execution["inputs"],
            }
            payload["bot_access_token"] = execution["bot_access_token"]
            payload["interactivity"] = {
                "interactor": {"id": self.id, "secret": secrets.token_hex(16)},
                "interactivity_pointer": payload.get("trigger_id"),
            }

    def _workflow_button(
        self, channel_id: str, ts: str, action: dict[str, Any], trigger_id: str
    ) -> dict[str, Any] | None:
        """A click on the interactive_blocks of a send_message/send_dm/reply_in_thread step ends that step (the
        workflow gets it, not an app); None for any other message."""
        from slackctl.emulator.automation import builtins

        world = self.emu.world
        with world.lock:
            waiting = world.workflow_buttons.pop(f"{channel_id}|{ts}", None)
            if waiting is None:
                return None
            interactivity = {
                "interactivity_pointer": trigger_id,
                "interactor": {"id": self.id, "secret": secrets.token_hex(16)},
            }
            builtins.step_done(
                self.emu,
                waiting["execution_id"],
                waiting["step"],
                {**waiting["outputs"], "action": action, "interactivity": interactivity},
            )
        return {"ok": True, "action_id": action["action_id"], "workflow_execution_id": waiting["execution_id"]}

    def _submit_form(self, view_id: str, values: dict[str, Any]) -> dict[str, Any] | None:
        """The submission of a workflow's open_form modal goes to the workflow, not to an app (None otherwise)."""
        from slackctl.emulator.automation import builtins
        from slackctl.emulator.world import views

        world = self.emu.world
        with world.lock:
            form = (world.views.get(view_id) or {}).get("workflow_form")
            if form is None:
                return None
            views.close(self.emu, self.id, view_id)
            builtins.form_submitted(self.emu, form, values)
        return {"ok": True, "view_id": view_id, "workflow_execution_id": form["execution_id"]}


def _typed(name: str, value: Any, declared: dict[str, tuple[str, bool]]) -> Any:
    """A NAME=VALUE string from the command line as the input's declared type (JSON for arrays and objects)."""
    import json

    type_name = declared.get(name, ("string", False))[0]
    if (
        not isinstance(value, str)
        or type_name in ("string", "")
        or type_name.startswith("slack#/types/")
        and type_name not in ("slack#/types/timestamp", "slack#/types/blocks", "slack#/types/message_context")
    ):
        return value
    try:
        if type_name == "boolean":
            return {"true": True, "false": False}[value.lower()]
        if type_name == "integer":
            return int(value)
        if type_name in ("number", "slack#/types/timestamp"):
            return float(value)
        return json.loads(value)
    except (KeyError, ValueError):
        raise DriveError(f"--input {name}={value}: the input {name} is of type {type_name}") from None
