"""`slackctl emulator function`: run one custom function on its own in a running emulator (unit tests of a
custom step): {"function_execution_id", "status", "outputs", "error"} on stdout."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from slackctl.cli.context import Context


@dataclass
class FunctionOptions:
    """The options of `slackctl emulator function`; --input items are NAME=VALUE."""

    callback_id: str
    app_ref: str | None = None
    inputs: list[str] = field(default_factory=list)
    as_user: str = "ada"
    wait: float = 10.0


def run(ctx: Context, opts: FunctionOptions) -> int:
    """Exit 0 when the function completed, 1 when it failed or was still running after --wait."""
    import json

    from slackctl.cli.commands.emulator.drive import drive
    from slackctl.errors import UsageError

    if opts.wait < 0:
        raise UsageError(f"--wait {opts.wait:g} is negative", "pass a number of seconds, 0 to not wait")
    inputs: dict[str, Any] = {}
    for item in opts.inputs:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"--input {item!r} must be NAME=VALUE", "e.g. --input user_id=U0EMU00002")
        inputs[name] = value
    result = drive(ctx.options.slack_url, "function", {
        "user": opts.as_user, "callback_id": opts.callback_id, "app": opts.app_ref, "inputs": inputs,
        "wait": opts.wait or None}, timeout=opts.wait + 15)
    ctx.io.out_data(json.dumps(result, ensure_ascii=False))
    return 0 if result.get("status") == "completed" else 1
