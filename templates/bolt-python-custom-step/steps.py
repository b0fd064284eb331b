"""The custom step's logic as a plain function of its inputs: no Bolt import, so the tests run offline."""

from __future__ import annotations

from typing import Any

# Must match the key under "functions" in manifest.json.
CALLBACK_ID = "greet_user"
MAX_MESSAGE_LENGTH = 2000


class StepInputError(ValueError):
    """The step received inputs it cannot use; the workflow shows this message."""


def greet_user(inputs: dict[str, Any]) -> dict[str, Any]:
    """Outputs of the greet_user step (see output_parameters in manifest.json)."""
    user_id = str(inputs.get("user_id") or "").strip()
    if not user_id:
        raise StepInputError("user_id is required")
    message = str(inputs.get("message") or "").strip()
    if len(message) > MAX_MESSAGE_LENGTH:
        raise StepInputError(f"message is longer than {MAX_MESSAGE_LENGTH} characters")
    greeting = f"Hello, <@{user_id}>!"
    if message:
        greeting += f" {message}"
    return {"greeting": greeting}
