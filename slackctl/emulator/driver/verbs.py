"""The control surface's POST /_emulator/drive/VERB: each verb names a method of driver/user.User and the body
keys it takes; the CLI's driver verbs and the web UI act through it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slackctl.emulator.driver.user import User
from slackctl.emulator.webapi.inproc import DriveError

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator

VERBS = {
    "post": ("post", ("channel", "text", "thread", "expect_ack")),
    "command": ("command", ("name", "text", "channel")),
    "shortcut": ("shortcut", ("callback_id", "message")),
    "click": ("click", ("action_id", "message", "view", "value")),
    "submit": ("submit", ("view_id", "values")),
    "close-view": ("close_view", ("view_id",)),
    "open-home": ("open_home", ("app", "expect_ack")),
    "assistant-thread": ("start_assistant_thread", ("app", "context_channel", "expect_ack")),
    "assistant-context": ("change_assistant_context", ("context_channel", "thread", "expect_ack")),
    "react": ("react", ("channel", "ts", "name", "expect_ack")),
    "run-step": ("run_step", ("callback_id", "inputs", "app", "wait")),
    "trigger": ("trigger", ("trigger_id", "channel")),
    "function": ("run_function", ("callback_id", "app", "inputs", "wait")),
    "messages": ("messages", ("channel",)),
    "views": ("views", ("app",)),
}


def control(emu: Emulator, verb: str, body: dict[str, Any]) -> dict[str, Any]:
    """Run VERB for body["user"] (default ada); {"ok": true, "result": ...} or {"ok": false, "error", "message"}."""
    if verb not in VERBS:
        return {"ok": False, "error": "bad_input", "message": f"no driver verb {verb!r}: use one of {', '.join(VERBS)}"}
    name, allowed = VERBS[verb]
    unknown = set(body) - set(allowed) - {"user"}
    if unknown:
        return {"ok": False, "error": "bad_input", "message": f"{verb} takes no {', '.join(sorted(unknown))}"}
    try:
        user = User(emu, body.get("user"))
        result = getattr(user, name)(**{k: v for k, v in body.items() if k != "user" and v is not None})
    except DriveError as exc:
        return {"ok": False, "error": exc.code, "message": str(exc)}
    except TypeError as exc:
        return {"ok": False, "error": "bad_input", "message": f"{verb}: {exc}"}
    return {"ok": True, "result": result}
