"""App datastores: the datastores an app's manifest declares, their items (World.datastores), and the checks
Slack makes before an item is written.

Slack keeps datastores only for apps on its own runtime (Run on Slack); every other app gets `app_not_hosted`.
The emulator's rule for "on Slack's runtime" is the manifest's `settings.function_runtime: slack` (what `slack
deploy` requires and what the Slack CLI's datastore commands check). Items live per app and per datastore under
World.datastores["APP_ID"]["NAME"]["PRIMARY KEY VALUE"], so reset clears them and `--state` keeps them. A scan
(query, count) walks items in primary-key order, the emulator's stand-in for DynamoDB's stable hash order, so a
cursor is simply the last key a page looked at and survives writes between pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from slackctl.emulator.world.state import World

# Basic attribute types and the JSON values they hold (None: a null, which basic types accept and Slack types
# do not, as Slack's docs say); Slack types store as the basic type named here.
_BASIC = {
    "string": "string",
    "boolean": "boolean",
    "integer": "integer",
    "number": "number",
    "object": "object",
    "array": "array",
}
_SLACK_TYPES = {
    "user_id": "string",
    "channel_id": "string",
    "usergroup_id": "string",
    "date": "string",
    "message_ts": "string",
    "team_id": "string",
    "file_id": "string",
    "list_id": "string",
    "canvas_id": "string",
    "canvas_template_id": "string",
    "timestamp": "integer",
    "rich_text": "object",
    "blocks": "array",
    "user_context": "object",
    "interactivity": "object",
    "message_context": "object",
    "expanded_rich_text": "object",
}


class ItemProblem(Exception):
    """An item Slack would refuse: `code`, a message and a JSON pointer into the request."""

    def __init__(self, code: str, message: str, pointer: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.pointer = pointer

    def as_error(self, item: Any = None) -> dict[str, Any]:
        error = {"code": self.code, "message": self.message, "pointer": self.pointer}
        if item is not None:
            error["item"] = item
        return error


def hosted(app: dict[str, Any]) -> bool:
    manifest = app.get("manifest") or {}
    return str((manifest.get("settings") or {}).get("function_runtime", "")).lower() == "slack"


def definition(app: dict[str, Any], name: str) -> dict[str, Any] | None:
    declared = (app.get("manifest") or {}).get("datastores") or {}
    found = declared.get(name)
    return found if isinstance(found, dict) else None


def store(world: World, app_id: str, name: str) -> dict[str, dict[str, Any]]:
    return world.datastores.setdefault(app_id, {}).setdefault(name, {})


def check_item(app: dict[str, Any], spec: dict[str, Any], item: Any, pointer: str = "/item") -> str:
    """The item's primary key value, or ItemProblem for what Slack refuses: no primary key (or not a string),
    an attribute the datastore does not declare, a value of the wrong type. Only the attributes given are
    checked: put and update may both leave any attribute but the key out."""
    if not isinstance(item, dict):
        raise ItemProblem("invalid_item", "the item must be an object", pointer)
    key_name = str(spec.get("primary_key", "id"))
    key = item.get(key_name)
    if not isinstance(key, str) or not key:
        raise ItemProblem(
            "missing_primary_key",
            f"the item has no primary key '{key_name}' (a non-empty string)",
            f"{pointer}/{key_name}",
        )
    attributes = spec.get("attributes") or {}
    for attr, value in item.items():
        declared = attributes.get(attr)
        if not isinstance(declared, dict):
            raise ItemProblem(
                "unknown_attribute", f"'{attr}' is not an attribute of this datastore", f"{pointer}/{attr}"
            )
        problem = _type_problem(app, declared, value)
        if problem:
            raise ItemProblem("attribute_type_mismatch", f"attribute '{attr}' {problem}", f"{pointer}/{attr}")
    return key


def _type_problem(app: dict[str, Any], declared: dict[str, Any], value: Any, depth: int = 0) -> str | None:
    """Why VALUE cannot be stored as the DECLARED type, or None."""
    kind = str(declared.get("type", ""))
    basic = _BASIC.get(kind)
    if basic is None and kind.startswith("slack#/types/"):
        basic = _SLACK_TYPES.get(kind[len("slack#/types/") :])
        if basic is not None and value is None:
            return f"must be a {kind[len('slack#/types/') :]}, got null (Slack types are not nullable)"
    if basic is None and kind.startswith("#/types/") and depth < 8:
        custom = ((app.get("manifest") or {}).get("types") or {}).get(kind[len("#/types/") :])
        if isinstance(custom, dict):
            return _type_problem(app, custom, value, depth + 1)
    if basic is None or value is None:
        return None  # a type the emulator does not know is taken on trust
    got = _json_kind(value)
    ok = {
        "string": got == "string",
        "boolean": got == "boolean",
        "integer": got == "integer",
        "number": got in ("integer", "number"),
        "object": got == "object",
        "array": got == "array",
    }[basic]
    if not ok:
        return f"must be {_article(basic)} {basic}, got {_article(got)} {got}"
    items = declared.get("items")
    if basic == "array" and isinstance(items, dict):
        for index, element in enumerate(value):
            problem = _type_problem(app, items, element, depth + 1)
            if problem:
                return f"element {index} {problem}"
    return None


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def scan(items: dict[str, dict[str, Any]], after: str | None, limit: int) -> tuple[list[dict[str, Any]], str]:
    """Up to LIMIT items in key order after the key AFTER: (items, the last key looked at when more remain)."""
    keys = sorted(k for k in items if after is None or k > after)
    page = keys[:limit]
    return [items[k] for k in page], page[-1] if len(keys) > limit else ""
