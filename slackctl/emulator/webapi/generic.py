"""Every catalogued method the emulator has no handler of its own for: checked as Slack checks any call — token
kind, scopes, required and typed arguments, the method's rate-limit tier — and answered with a success shaped like
Slack's answer for that method, so an app or SDK test that touches it gets past it.

The shapes (shapes.json) are the field names and JSON types of Slack's own response types, taken from the Node
SDK's published type definitions by scripts/gen_response_shapes.py (MIT, see SHAPES-LICENSE): strings are "",
numbers 0, lists empty. Nothing is stored: a generic method changes no state (docs/emulator.md lists which methods
are stateful)."""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

from slackctl.emulator.webapi import access
from slackctl.emulator.webapi.registry import REGISTRY, ApiError, Call, MethodSpec, missing
from slackctl.slack import catalog

SHAPES_FILE = Path(__file__).with_name("shapes.json")
ALL_KINDS = ("bot", "user")
# Methods Slack has retired but still lists: they answer only this error (files.upload was sunset on 12 November
# 2025 in favour of files.getUploadURLExternal + files.completeUploadExternal; see Slack's changelog).
RETIRED = {"files.upload": "method_deprecated"}


@functools.cache
def _shapes() -> dict[str, dict[str, Any]]:
    loaded: dict[str, dict[str, Any]] = json.loads(SHAPES_FILE.read_text())
    return loaded


def shape_name(method: str) -> str:
    """bookmarks.add -> BookmarksAdd: the name of its response type."""
    return "".join(part[:1].upper() + part[1:] for part in method.split("."))


def success(method: str) -> dict[str, Any]:
    """A well-formed answer of `method` (without `ok`), with an empty next cursor where it pages."""
    body = copy.deepcopy(_shapes().get(shape_name(method), {}))
    info = catalog.get(method)
    if info is not None and info.paginated:
        body["response_metadata"] = {"next_cursor": ""}
    return body


def _typed(name: str, type_text: str, value: Any) -> None:
    """invalid_arguments when a value cannot be of the catalogued type (Slack reads form values as text)."""
    if value is None or "|" in type_text or type_text in ("", "string", "array"):
        return
    text = value if isinstance(value, str) else json.dumps(value)
    ok = True
    if type_text == "integer":
        ok = not isinstance(value, bool) and _parses(text, int)
    elif type_text == "number":
        ok = not isinstance(value, bool) and _parses(text, float)
    elif type_text == "boolean":
        ok = isinstance(value, bool) or text.lower() in ("true", "false", "1", "0")
    elif type_text == "object":
        ok = isinstance(value, dict) or (isinstance(value, str) and _is_json_object(value))
    if not ok:
        raise ApiError(
            "invalid_arguments",
            response_metadata={"messages": [f"[ERROR] expected {_article(type_text)} for field: {name}"]},
        )


def _parses(text: str, kind: type) -> bool:
    try:
        kind(text)
    except ValueError:
        return False
    return True


def _is_json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


def _article(type_text: str) -> str:
    return {"integer": "an integer", "object": "a JSON object"}.get(type_text, f"a {type_text}")


def _handler(info: catalog.MethodInfo) -> Any:
    def handle(call: Call) -> dict[str, Any]:
        if info.name in RETIRED:
            raise ApiError(RETIRED[info.name])
        for name in info.required:
            if call.params.get(name) in (None, ""):
                raise missing(name)
        for name, type_text in {**info.optional, **info.required}.items():
            _typed(name, type_text, call.params.get(name))
        if info.name.startswith("admin."):  # Enterprise Grid only, and only for its admins (when it takes a token)
            if info.auth:
                access.org_admin(call, str(call.params.get("team_id") or "") or None)
            else:
                access.enterprise(call)
        return success(info.name)

    return handle


@functools.cache
def _generic_spec(name: str) -> MethodSpec | None:
    info = catalog.get(name)
    if info is None:
        return None
    kinds = (
        ("app",)
        if name in catalog.APP_TOKEN_METHODS
        else (tuple(k for k in info.scopes if k != "seamless_user") or ALL_KINDS)
    )
    return MethodSpec(name, _handler(info), auth=info.auth, kinds=kinds, scopes=dict(info.scopes))


def spec_for(name: str) -> MethodSpec | None:
    """The method's own handler, else the generic one for a catalogued method, else None (unknown_method)."""
    if name in RETIRED:
        return _generic_spec(name)
    return REGISTRY.get(name) or _generic_spec(name)
