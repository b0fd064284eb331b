"""The rich_text block Slack adds to a message posted with text and no blocks (clients and Bolt read `blocks`:
Bolt's assistant thread-context store copies them when it updates its message). Mentions, channel links,
broadcasts and links in Slack's markup become their rich_text elements; the rest stays text."""

from __future__ import annotations

import re
from typing import Any

from slackctl.emulator import ids

_TOKEN = re.compile(r"<([^<>]+)>")


def _element(token: str) -> dict[str, Any]:
    target, _, label = token.partition("|")
    if target.startswith("@"):
        return {"type": "user", "user_id": target[1:]}
    if target.startswith("#"):
        return {"type": "channel", "channel_id": target[1:]}
    if target.startswith("!") and target[1:] in ("here", "channel", "everyone"):
        return {"type": "broadcast", "range": target[1:]}
    if target.startswith(("http://", "https://", "mailto:")):
        return {"type": "link", "url": target, **({"text": label} if label else {})}
    return {"type": "text", "text": f"<{token}>"}


def block_of(text: str) -> dict[str, Any]:
    """TEXT as the rich_text block Slack stores with it."""
    elements: list[dict[str, Any]] = []
    last = 0
    for match in _TOKEN.finditer(text):
        if match.start() > last:
            elements.append({"type": "text", "text": text[last : match.start()]})
        elements.append(_element(match.group(1)))
        last = match.end()
    if last < len(text):
        elements.append({"type": "text", "text": text[last:]})
    block_id = ids.alnum(5)
    return {
        "type": "rich_text",
        "block_id": block_id,
        "elements": [{"type": "rich_text_section", "elements": elements}],
    }
