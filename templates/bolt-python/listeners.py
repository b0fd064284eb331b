"""What the app does, as plain functions of Slack payloads: no Bolt import, so the tests run offline."""

from __future__ import annotations

from typing import Any

APP_NAME = "{{ app_name }}"


def section(text: str) -> dict[str, Any]:
    """One Block Kit section with mrkdwn text."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def mention_reply(event: dict[str, Any]) -> dict[str, Any]:
    """Arguments for say() when someone mentions the app: answer in the thread of the mention."""
    user = event.get("user")
    who = f"<@{user}>" if user else "there"
    text = f"Hi {who}! I'm {APP_NAME}. Try the /hello command."
    return {
        "channel": event["channel"],
        "thread_ts": event.get("thread_ts") or event["ts"],
        "text": text,
        "blocks": [section(text)],
    }


def hello_command(command: dict[str, Any]) -> dict[str, Any]:
    """Arguments for respond() to `/hello [name]`: an ephemeral greeting, only the caller sees it."""
    name = (command.get("text") or "").strip()
    who = name if name else f"<@{command.get('user_id', '')}>"
    text = f"Hello, {who}! :wave:"
    return {"response_type": "ephemeral", "text": text, "blocks": [section(text)]}


# ---- App Home: a button that opens a modal ---------------------------------------------------------------------
FEEDBACK_BUTTON = "give_feedback"
FEEDBACK_MODAL = "feedback"
FEEDBACK_BLOCK, FEEDBACK_INPUT = "feedback", "text"


def home_view(user_id: str) -> dict[str, Any]:
    """The App Home tab USER_ID sees: a greeting and a button."""
    return {"type": "home", "blocks": [
        section(f"*Welcome home, <@{user_id}>!* This is {APP_NAME}'s App Home."),
        {"type": "actions", "elements": [{
            "type": "button", "action_id": FEEDBACK_BUTTON, "style": "primary", "value": "feedback",
            "text": {"type": "plain_text", "text": "Give feedback"}}]},
    ]}


def feedback_modal() -> dict[str, Any]:
    """The modal the button opens: one text input."""
    return {"type": "modal", "callback_id": FEEDBACK_MODAL,
            "title": {"type": "plain_text", "text": "Feedback"},
            "submit": {"type": "plain_text", "text": "Send"},
            "blocks": [{"type": "input", "block_id": FEEDBACK_BLOCK,
                        "label": {"type": "plain_text", "text": f"What do you think of {APP_NAME}?"},
                        "element": {"type": "plain_text_input", "action_id": FEEDBACK_INPUT, "multiline": True}}]}


def _feedback(values: dict[str, Any]) -> str:
    return ((values.get(FEEDBACK_BLOCK) or {}).get(FEEDBACK_INPUT) or {}).get("value") or ""


def feedback_errors(values: dict[str, Any]) -> dict[str, str]:
    """What is wrong with a submitted feedback modal (its state.values), by block id; empty when nothing."""
    return {} if _feedback(values).strip() else {FEEDBACK_BLOCK: "Say a few words, please."}


def feedback_thanks(values: dict[str, Any]) -> str:
    """The message the app sends the user after a submission."""
    return f"Thanks for your feedback: {_feedback(values).strip()}"
