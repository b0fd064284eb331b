"""A view's state.values built from its blocks, by element type, as Slack reports them in view_submission and
block_actions: values[block_id][action_id] = {"type": ..., <the field that element type uses>}.

The driver fills in what the user typed or picked (VALUES: "block_id.action_id" -> text); an element left alone
gets its initial value, as in Slack's client. Reused by the web UI.
"""

from __future__ import annotations

from typing import Any

INPUT_ELEMENTS = {
    "plain_text_input",
    "number_input",
    "email_text_input",
    "url_text_input",
    "rich_text_input",
    "static_select",
    "external_select",
    "users_select",
    "conversations_select",
    "channels_select",
    "multi_static_select",
    "multi_external_select",
    "multi_users_select",
    "multi_conversations_select",
    "multi_channels_select",
    "checkboxes",
    "radio_buttons",
    "datepicker",
    "timepicker",
    "datetimepicker",
    "file_input",
}


def _elements(block: dict[str, Any]) -> list[dict[str, Any]]:
    if block.get("type") == "input" and isinstance(block.get("element"), dict):
        return [block["element"]]
    if block.get("type") == "actions":
        return [e for e in block.get("elements") or [] if isinstance(e, dict)]
    if block.get("type") == "section" and isinstance(block.get("accessory"), dict):
        return [block["accessory"]]
    return []


def _find_option(element: dict[str, Any], value: str) -> dict[str, Any]:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options.extend(group.get("options") or [])
    for opt in options:
        if opt.get("value") == value:
            return opt
    return {"text": {"type": "plain_text", "text": value}, "value": value}


def element_state(element: dict[str, Any], value: str | None) -> dict[str, Any]:
    """One element's state entry; VALUE is the user's input as text (None: left as it was)."""
    etype = element.get("type", "")
    out: dict[str, Any] = {"type": etype}
    many = value.split(",") if value not in (None, "") else None
    if etype in ("plain_text_input", "email_text_input", "url_text_input", "number_input"):
        out["value"] = value if value is not None else element.get("initial_value")
    elif etype == "rich_text_input":
        text = value if value is not None else None
        out["rich_text_value"] = (
            element.get("initial_value")
            if text is None
            else {
                "type": "rich_text",
                "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}],
            }
        )
    elif etype in ("static_select", "external_select"):
        out["selected_option"] = _find_option(element, value) if value is not None else element.get("initial_option")
    elif etype == "users_select":
        out["selected_user"] = value if value is not None else element.get("initial_user")
    elif etype == "conversations_select":
        out["selected_conversation"] = value if value is not None else element.get("initial_conversation")
    elif etype == "channels_select":
        out["selected_channel"] = value if value is not None else element.get("initial_channel")
    elif etype in ("multi_static_select", "multi_external_select", "checkboxes"):
        out["selected_options"] = (
            [_find_option(element, v) for v in many] if many is not None else list(element.get("initial_options") or [])
        )
    elif etype == "multi_users_select":
        out["selected_users"] = many if many is not None else list(element.get("initial_users") or [])
    elif etype == "multi_conversations_select":
        out["selected_conversations"] = many if many is not None else list(element.get("initial_conversations") or [])
    elif etype == "multi_channels_select":
        out["selected_channels"] = many if many is not None else list(element.get("initial_channels") or [])
    elif etype == "radio_buttons":
        out["selected_option"] = _find_option(element, value) if value is not None else element.get("initial_option")
    elif etype == "datepicker":
        out["selected_date"] = value if value is not None else element.get("initial_date")
    elif etype == "timepicker":
        out["selected_time"] = value if value is not None else element.get("initial_time")
    elif etype == "datetimepicker":
        out["selected_date_time"] = int(value) if value not in (None, "") else element.get("initial_date_time")
    elif etype == "file_input":
        out["files"] = []
    return out


def build(
    blocks: list[dict[str, Any]], values: dict[str, str] | None = None, previous: dict[str, Any] | None = None
) -> dict[str, Any]:
    """{"values": {...}} for BLOCKS; VALUES maps "block_id.action_id" (or just "action_id") to the user's input;
    PREVIOUS (an earlier state.values) keeps what the user entered before a button click or update."""
    values = values or {}
    previous = previous or {}
    out: dict[str, dict[str, Any]] = {}
    for block in blocks or []:
        if not isinstance(block, dict):
            continue
        block_id = str(block.get("block_id") or "")
        for element in _elements(block):
            if element.get("type") not in INPUT_ELEMENTS or not element.get("action_id"):
                continue
            action_id = str(element["action_id"])
            given = values.get(f"{block_id}.{action_id}", values.get(action_id))
            if given is None and action_id in previous.get(block_id, {}):
                out.setdefault(block_id, {})[action_id] = previous[block_id][action_id]
                continue
            out.setdefault(block_id, {})[action_id] = element_state(element, given)
    return {"values": out}


def known_keys(blocks: list[dict[str, Any]]) -> set[str]:
    """Every "block_id.action_id" an input in BLOCKS answers to (for a clear error on a typo)."""
    keys = set()
    for block in blocks or []:
        for element in _elements(block) if isinstance(block, dict) else []:
            if element.get("action_id"):
                keys.add(f"{block.get('block_id') or ''}.{element['action_id']}")
    return keys
