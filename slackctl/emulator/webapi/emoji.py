"""Web API: emoji.list — the workspace's custom emoji (a few are seeded, as a real workspace has some)."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.webapi.registry import Call, method

CUSTOM_EMOJI = {
    "emulator": "https://emoji.slack-edge.com/T0EMU0001/emulator/0000.png",
    "shipit": "alias:squirrel",
    "partyparrot": "https://emoji.slack-edge.com/T0EMU0001/partyparrot/0001.gif",
}


@method("emoji.list", scopes={"bot": ["emoji:read"], "user": ["emoji:read"]})
def emoji_list(call: Call) -> dict[str, Any]:
    out: dict[str, Any] = {"emoji": dict(CUSTOM_EMOJI), "cache_ts": "1700000000.000000"}
    if call.bool_arg("include_categories"):
        out["categories_version"] = "5"
        out["categories"] = []
    return out
