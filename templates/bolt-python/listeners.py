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
