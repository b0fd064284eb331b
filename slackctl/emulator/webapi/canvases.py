"""Web API: canvases.create/edit/delete, canvases.access.set/delete and canvases.sections.lookup — documents made
of sections (a heading or a paragraph each) that an app can look up and edit one by one. conversations.canvases.
create (a channel's own canvas) lives with conversations.* and uses new_canvas() from here."""

from __future__ import annotations

import re
from typing import Any

from slackctl.emulator import ids
from slackctl.emulator.webapi.registry import ApiError, Call, method

READ = {"bot": ["canvases:read"], "user": ["canvases:read"]}
WRITE = {"bot": ["canvases:write"], "user": ["canvases:write"]}
HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
OPERATIONS = ("insert_after", "insert_before", "insert_at_start", "insert_at_end", "replace", "delete", "rename")
ACCESS_LEVELS = ("read", "write", "owner")


def sections_of(content: Any) -> list[dict[str, Any]]:
    """document_content {"type": "markdown", "markdown": "..."} as sections: a heading line (h1–h3), or the
    paragraph of lines up to the next blank line or heading."""
    if content is None:
        return []
    if (
        not isinstance(content, dict)
        or content.get("type") != "markdown"
        or not isinstance(content.get("markdown"), str)
    ):
        raise ApiError(
            "invalid_arguments",
            response_metadata={
                "messages": ['[ERROR] document_content must be {"type": "markdown", "markdown": "..."}']
            },
        )
    sections: list[dict[str, Any]] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            sections.append(_section("p", "\n".join(paragraph)))
            paragraph.clear()

    for line in content["markdown"].splitlines():
        heading = HEADING.match(line)
        if heading:
            flush()
            sections.append(_section(f"h{len(heading.group(1))}", heading.group(2).strip()))
        elif line.strip():
            paragraph.append(line)
        else:
            flush()
    flush()
    return sections


def _section(kind: str, text: str) -> dict[str, Any]:
    return {"id": f"temp:C:{ids.alnum(24)}", "type": kind, "text": text}


def new_canvas(call: Call, title: str, content: Any, channel_id: str | None = None) -> dict[str, Any]:
    canvas: dict[str, Any] = {
        "id": ids.slack_id("F"),
        "title": title,
        "sections": sections_of(content),
        "creator": call.user_id,
        "created": int(call.world.now()),
        "channel_id": channel_id,
        "users": {},
        "channels": {},
    }
    call.world.canvases[canvas["id"]] = canvas
    return canvas


def _canvas(call: Call) -> dict[str, Any]:
    canvas = call.world.canvases.get(call.arg("canvas_id", required=True, error="canvas_not_found") or "")
    if canvas is None:
        raise ApiError("canvas_not_found")
    return canvas


def _index(canvas: dict[str, Any], section_id: Any) -> int:
    for i, section in enumerate(canvas["sections"]):
        if section["id"] == section_id:
            return i
    raise ApiError("canvas_editing_failed", detail=f"no section {section_id!r} in this canvas")


@method("canvases.create", scopes=WRITE)
def canvases_create(call: Call) -> dict[str, Any]:
    title = call.arg("title") or "Untitled"
    return {"canvas_id": new_canvas(call, title, call.json_arg("document_content"))["id"]}


@method("canvases.edit", scopes=WRITE)
def canvases_edit(call: Call) -> dict[str, Any]:
    canvas = _canvas(call)
    changes = call.json_arg("changes", required=True)
    if not isinstance(changes, list) or not changes:
        raise ApiError("invalid_arguments", response_metadata={"messages": ["[ERROR] changes must be a list"]})
    sections = [dict(s) for s in canvas["sections"]]
    edited = {**canvas, "sections": sections}
    for change in changes:
        if not isinstance(change, dict) or change.get("operation") not in OPERATIONS:
            raise ApiError(
                "invalid_arguments",
                response_metadata={"messages": [f"[ERROR] operation must be one of {', '.join(OPERATIONS)}"]},
            )
        _apply(edited, change)
    canvas.update(edited)
    return {}


def _apply(canvas: dict[str, Any], change: dict[str, Any]) -> None:
    op, sections = change["operation"], canvas["sections"]
    if op == "rename":
        title = change.get("title_content") or {}
        if not isinstance(title, dict) or not isinstance(title.get("markdown"), str):
            raise ApiError("canvas_editing_failed", detail="rename needs title_content")
        canvas["title"] = title["markdown"].strip()
        return
    new = sections_of(change.get("document_content")) if op != "delete" else []
    if op == "insert_at_start":
        sections[:0] = new
    elif op == "insert_at_end":
        sections.extend(new)
    elif op == "replace" and not change.get("section_id"):
        sections[:] = new
    else:
        at = _index(canvas, change.get("section_id"))
        if op == "insert_after":
            sections[at + 1 : at + 1] = new
        elif op == "insert_before":
            sections[at:at] = new
        else:  # replace or delete one section
            sections[at : at + 1] = new


@method("canvases.delete", scopes=WRITE)
def canvases_delete(call: Call) -> dict[str, Any]:
    canvas = _canvas(call)
    del call.world.canvases[canvas["id"]]
    return {}


def _grantees(call: Call) -> tuple[list[str], list[str]]:
    users, channels = call.list_arg("user_ids"), call.list_arg("channel_ids")
    if not users and not channels:
        raise ApiError("invalid_parameters")
    for user in users:
        if call.world.get_user(user) is None:
            raise ApiError("user_not_found")
    for channel in channels:
        if call.world.find_channel(channel) is None:
            raise ApiError("channel_not_found")
    return users, channels


@method("canvases.access.set", scopes=WRITE)
def canvases_access_set(call: Call) -> dict[str, Any]:
    canvas = _canvas(call)
    level = call.arg("access_level", required=True) or ""
    if level not in ACCESS_LEVELS:
        raise ApiError("invalid_parameters")
    users, channels = _grantees(call)
    canvas["users"].update(dict.fromkeys(users, level))
    canvas["channels"].update(dict.fromkeys(channels, level))
    return {}


@method("canvases.access.delete", scopes=WRITE)
def canvases_access_delete(call: Call) -> dict[str, Any]:
    canvas = _canvas(call)
    users, channels = _grantees(call)
    for user in users:
        canvas["users"].pop(user, None)
    for channel in channels:
        canvas["channels"].pop(channel, None)
    return {}


@method("canvases.sections.lookup", scopes=READ)
def canvases_sections_lookup(call: Call) -> dict[str, Any]:
    canvas = _canvas(call)
    criteria = call.json_arg("criteria", required=True)
    if not isinstance(criteria, dict) or not (criteria.get("section_types") or criteria.get("contains_text")):
        raise ApiError(
            "invalid_arguments",
            response_metadata={"messages": ["[ERROR] criteria needs section_types or contains_text"]},
        )
    types = set(criteria.get("section_types") or [])
    if "any_header" in types:
        types |= {"h1", "h2", "h3"}
    text = str(criteria.get("contains_text") or "").lower()
    found = [
        {"id": s["id"]} for s in canvas["sections"] if (not types or s["type"] in types) and text in s["text"].lower()
    ]
    return {"sections": found}
