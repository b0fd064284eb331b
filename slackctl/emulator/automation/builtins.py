"""The built-in Slack functions a workflow step can use (slack#/functions/NAME), run through the same Web API
handlers an app would call, with a token of the workflow's own (Slack runs them with the workflow's permissions,
not the app's scopes). run() returns the step's outputs, or None when the step waits (open_form, delay)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slackctl.emulator.automation.functions import FunctionError
from slackctl.emulator.webapi.inproc import DriveError, api
from slackctl.emulator.world.state import BOT_SCOPES

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator

_FORM_ELEMENTS: dict[str, dict[str, Any]] = {
    "slack#/types/user_id": {"type": "users_select"},
    "slack#/types/channel_id": {"type": "channels_select"},
    "slack#/types/date": {"type": "datepicker"},
    "slack#/types/timestamp": {"type": "datetimepicker"},
    "integer": {"type": "number_input", "is_decimal_allowed": False},
    "number": {"type": "number_input", "is_decimal_allowed": True},
}


def run(
    emu: Emulator,
    app: dict[str, Any],
    execution: dict[str, Any],
    step: dict[str, Any],
    name: str,
    inputs: dict[str, Any],
) -> dict[str, Any] | None:
    return _RUNNERS[name](emu, app, execution, step, inputs)


def _token(emu: Emulator, app: dict[str, Any], execution: dict[str, Any]) -> str:
    world = emu.world
    token = execution.get("token")
    if not token or token not in world.tokens:
        scopes = sorted(set(BOT_SCOPES) | set(app["bot_scopes"]))
        token = world.mint_token("bot", scopes=scopes, app_id=app["app_id"])["token"]
        execution["token"] = token
    return token


def _call(emu: Emulator, app: dict[str, Any], execution: dict[str, Any], method: str, **params: Any) -> Any:
    try:
        return api(emu, _token(emu, app, execution), method, **params)
    except DriveError as exc:
        raise FunctionError("step_failed", str(exc)) from None


def _message_fields(inputs: dict[str, Any]) -> dict[str, Any]:
    message = inputs.get("message")
    blocks: list[Any] = []
    if isinstance(message, dict):  # a rich_text object
        blocks.append(message)
        text = _plain(message)
    else:
        text = "" if message is None else str(message)
    if isinstance(inputs.get("interactive_blocks"), list):
        blocks += inputs["interactive_blocks"]
    fields: dict[str, Any] = {"text": text}
    if blocks:
        fields["blocks"] = blocks
    return fields


def _plain(node: Any) -> str:
    if isinstance(node, dict):
        return str(node.get("text") or "") + "".join(_plain(e) for e in node.get("elements") or [])
    if isinstance(node, list):
        return "".join(_plain(e) for e in node)
    return ""


def _posted(emu: Emulator, channel_id: str, ts: str) -> dict[str, Any]:
    return {
        "message_context": {"channel_id": channel_id, "message_ts": ts},
        "message_link": f"{emu.url}/archives/{channel_id}/p{ts.replace('.', '')}",
    }


def _sent(
    emu: Emulator, execution: dict[str, Any], step: dict[str, Any], inputs: dict[str, Any], result: dict[str, Any]
) -> dict[str, Any] | None:
    """The step's outputs; with interactive_blocks it waits for a click on one of them (driver/workflows.py),
    which adds `action` and `interactivity`, as Slack's step does."""
    posted = _posted(emu, result["channel"], result["ts"])
    if not inputs.get("interactive_blocks"):
        return posted
    emu.world.workflow_buttons[f"{result['channel']}|{result['ts']}"] = {
        "execution_id": execution["id"],
        "step": step["index"],
        "outputs": posted,
    }
    return None


def _send_message(
    emu: Emulator, app: dict[str, Any], execution: dict[str, Any], step: dict[str, Any], inputs: dict[str, Any]
) -> dict[str, Any] | None:
    channel_id = str(inputs.get("channel_id") or "")
    result = _call(emu, app, execution, "chat.postMessage", channel=channel_id, **_message_fields(inputs))
    return _sent(emu, execution, step, inputs, result)


def _send_dm(
    emu: Emulator, app: dict[str, Any], execution: dict[str, Any], step: dict[str, Any], inputs: dict[str, Any]
) -> dict[str, Any] | None:
    dm = _call(emu, app, execution, "conversations.open", users=str(inputs.get("user_id") or ""))["channel"]
    result = _call(emu, app, execution, "chat.postMessage", channel=dm["id"], **_message_fields(inputs))
    return _sent(emu, execution, step, inputs, result)


def _reply_in_thread(
    emu: Emulator, app: dict[str, Any], execution: dict[str, Any], step: dict[str, Any], inputs: dict[str, Any]
) -> dict[str, Any] | None:
    context = inputs.get("message_context") or {}
    if not isinstance(context, dict) or not context.get("channel_id") or not context.get("message_ts"):
        raise FunctionError("invalid_inputs", "message_context needs channel_id and message_ts")
    result = _call(
        emu,
        app,
        execution,
        "chat.postMessage",
        channel=context["channel_id"],
        thread_ts=context["message_ts"],
        reply_broadcast=bool(inputs.get("reply_broadcast")),
        **_message_fields(inputs),
    )
    return _sent(emu, execution, step, inputs, result)


def _send_ephemeral(
    emu: Emulator, app: dict[str, Any], execution: dict[str, Any], step: dict[str, Any], inputs: dict[str, Any]
) -> dict[str, Any]:
    params = {
        "channel": str(inputs.get("channel_id") or ""),
        "user": str(inputs.get("user_id") or ""),
        **_message_fields(inputs),
    }
    if inputs.get("thread_ts"):
        params["thread_ts"] = str(inputs["thread_ts"])
    return {"message_ts": _call(emu, app, execution, "chat.postEphemeral", **params)["message_ts"]}


def _create_channel(
    emu: Emulator, app: dict[str, Any], execution: dict[str, Any], step: dict[str, Any], inputs: dict[str, Any]
) -> dict[str, Any]:
    channel = _call(
        emu,
        app,
        execution,
        "conversations.create",
        name=str(inputs.get("channel_name") or ""),
        is_private=bool(inputs.get("is_private")),
    )["channel"]
    return {"channel_id": channel["id"]}


def _invite(
    emu: Emulator, app: dict[str, Any], execution: dict[str, Any], step: dict[str, Any], inputs: dict[str, Any]
) -> dict[str, Any]:
    users = [str(u) for u in inputs.get("user_ids") or []]
    for channel_id in inputs.get("channel_ids") or []:
        _call(emu, app, execution, "conversations.invite", channel=str(channel_id), users=",".join(users))
    return {"user_ids": users}


def _add_reaction(
    emu: Emulator, app: dict[str, Any], execution: dict[str, Any], step: dict[str, Any], inputs: dict[str, Any]
) -> dict[str, Any]:
    context = inputs.get("message_context") or {}
    if not isinstance(context, dict):
        raise FunctionError("invalid_inputs", "message_context must be an object")
    _call(
        emu,
        app,
        execution,
        "reactions.add",
        channel=str(context.get("channel_id") or ""),
        timestamp=str(context.get("message_ts") or ""),
        name=str(inputs.get("emoji") or "").strip(":"),
    )
    return {}


def _delay(
    emu: Emulator, app: dict[str, Any], execution: dict[str, Any], step: dict[str, Any], inputs: dict[str, Any]
) -> None:
    try:
        minutes = float(inputs.get("minutes_to_delay") or 0)
    except (TypeError, ValueError):
        raise FunctionError("invalid_inputs", "minutes_to_delay must be a number") from None
    execution_id, index = execution["id"], step["index"]

    def resume() -> None:
        with emu.world.lock:
            step_done(emu, execution_id, index, {})

    emu.deliveries.later(max(0.0, minutes * 60) / max(emu.time_scale, 1e-9), app["app_id"], resume)
    return None


def _open_form(
    emu: Emulator, app: dict[str, Any], execution: dict[str, Any], step: dict[str, Any], inputs: dict[str, Any]
) -> None:
    from slackctl.emulator.world import triggers, views

    interactivity = inputs.get("interactivity")
    if not isinstance(interactivity, dict) or not interactivity.get("interactivity_pointer"):
        raise FunctionError(
            "invalid_inputs", "open_form needs interactivity (from {{data.interactivity}} of a link trigger)"
        )
    try:
        pointer = triggers.consume(emu, str(interactivity["interactivity_pointer"]))
    except Exception:  # noqa: BLE001 - ApiError: an expired or used pointer fails the step as on Slack
        raise FunctionError("invalid_interactivity", "the interactivity pointer expired (3 s) or was used") from None
    fields = inputs.get("fields") or {}
    required = set(fields.get("required") or [])
    blocks = []
    for element in fields.get("elements") or []:
        name = str(element.get("name"))
        widget: dict[str, Any] = dict(_FORM_ELEMENTS.get(str(element.get("type")), {"type": "plain_text_input"}))
        if element.get("type") == "boolean":
            widget = {
                "type": "checkboxes",
                "options": [{"text": {"type": "plain_text", "text": "Yes"}, "value": "true"}],
            }
        elif element.get("enum"):
            widget = {
                "type": "static_select",
                "options": [{"text": {"type": "plain_text", "text": str(v)}, "value": str(v)} for v in element["enum"]],
            }
        elif widget["type"] == "plain_text_input" and element.get("long"):
            widget["multiline"] = True
        widget["action_id"] = name
        blocks.append(
            {
                "type": "input",
                "block_id": name,
                "optional": name not in required,
                "element": widget,
                "label": {"type": "plain_text", "text": str(element.get("title") or name)},
            }
        )
    spec = {
        "type": "modal",
        "title": {"type": "plain_text", "text": str(inputs.get("title") or "Form")[:24]},
        "submit": {"type": "plain_text", "text": str(inputs.get("submit_label") or "Submit")},
        "blocks": blocks,
    }
    opened = views.open(emu, app["app_id"], pointer["user_id"], spec)
    emu.world.views[opened["id"]]["workflow_form"] = {
        "execution_id": execution["id"],
        "step": step["index"],
        "interactivity": interactivity,
        "types": {str(e.get("name")): e.get("type") for e in fields.get("elements") or []},
    }
    return None


def form_submitted(emu: Emulator, form: dict[str, Any], values: dict[str, Any]) -> None:
    """The user submitted an open_form modal: its values become the step's `fields` output."""
    out: dict[str, Any] = {}
    for block_id, actions in values.items():
        for state in actions.values():
            kind = form["types"].get(block_id)
            value = _state_value(state)
            if kind in ("integer", "number") and isinstance(value, str) and value:
                value = int(value) if kind == "integer" and value.lstrip("-").isdigit() else float(value)
            elif kind == "boolean":
                value = bool(value)
            out[block_id] = value
    step_done(emu, form["execution_id"], form["step"], {"fields": out, "interactivity": form["interactivity"]})


def step_done(emu: Emulator, execution_id: str, index: int, outputs: dict[str, Any]) -> None:
    """A waiting built-in step ended; the engine (engine.attach) resumes its workflow."""
    emu.bus.publish("workflow_step_done", execution_id=execution_id, step=index, outputs=outputs)


def _state_value(state: dict[str, Any]) -> Any:
    for key in ("value", "selected_user", "selected_channel", "selected_date", "selected_date_time"):
        if state.get(key) is not None:
            return state[key]
    if state.get("selected_option"):
        return state["selected_option"].get("value")
    if "selected_options" in state:
        return [o.get("value") for o in state["selected_options"]]
    return None


_RUNNERS: dict[str, Any] = {
    "send_message": _send_message,
    "send_dm": _send_dm,
    "reply_in_thread": _reply_in_thread,
    "send_ephemeral_message": _send_ephemeral,
    "create_channel": _create_channel,
    "invite_user_to_channel": _invite,
    "add_reaction": _add_reaction,
    "delay": _delay,
    "open_form": _open_form,
}
