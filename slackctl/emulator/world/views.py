"""The view store: modals (a stack of at most 3 per user, top last) and App Home tabs, in Slack's view shape."""

from __future__ import annotations

import copy
import secrets
from typing import TYPE_CHECKING, Any

from slackctl.emulator import ids
from slackctl.emulator.webapi.registry import ApiError

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator

MAX_STACK = 3
MAX_BLOCKS = 100
MAX_TITLE = 24


def _bad(message: str) -> ApiError:
    return ApiError("invalid_arguments", response_metadata={"messages": [f"[ERROR] {message}"]})


def check_view(view: Any, kinds: tuple[str, ...]) -> dict[str, Any]:
    """The checks Slack makes before accepting a view, each with Slack's kind of error."""
    if not isinstance(view, dict):
        raise _bad("missing required field: view")
    if view.get("type") not in kinds:
        raise _bad(f"must be one of {', '.join(kinds)} [json-pointer:/view/type]")
    blocks = view.get("blocks")
    if not isinstance(blocks, list):
        raise _bad("missing required field: blocks [json-pointer:/view/blocks]")
    if len(blocks) > MAX_BLOCKS:
        raise _bad(f"must contain at most {MAX_BLOCKS} items [json-pointer:/view/blocks]")
    if view["type"] == "modal":
        title = view.get("title")
        if not isinstance(title, dict) or title.get("type") != "plain_text" or not title.get("text"):
            raise _bad("missing required field: title [json-pointer:/view/title]")
        if len(title["text"]) > MAX_TITLE:
            raise _bad(f"must be less than {MAX_TITLE + 1} characters [json-pointer:/view/title/text]")
    if len(str(view.get("private_metadata") or "")) > 3000:
        raise _bad("must be less than 3001 characters [json-pointer:/view/private_metadata]")
    return view


def _new_hash(emu: Emulator) -> str:
    return f"{int(emu.world.now())}.{secrets.token_hex(4)}"


def _build(
    emu: Emulator,
    app: dict[str, Any],
    spec: dict[str, Any],
    view_id: str,
    *,
    root_view_id: str | None,
    previous_view_id: str | None,
    state: dict[str, Any] | None = None,
) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": view_id,
        "team_id": emu.world.team["id"],
        "type": spec["type"],
        "blocks": copy.deepcopy(spec.get("blocks", [])),
        "private_metadata": spec.get("private_metadata") or "",
        "callback_id": spec.get("callback_id") or "",
        "state": copy.deepcopy(state or {"values": {}}),
        "hash": _new_hash(emu),
        "title": copy.deepcopy(spec.get("title")),
        "clear_on_close": bool(spec.get("clear_on_close", False)),
        "notify_on_close": bool(spec.get("notify_on_close", False)),
        "close": copy.deepcopy(spec.get("close")),
        "submit": copy.deepcopy(spec.get("submit")),
        "previous_view_id": previous_view_id,
        "root_view_id": root_view_id or view_id,
        "app_id": app["app_id"],
        "external_id": spec.get("external_id") or "",
        "app_installed_team_id": emu.world.team["id"],
        "bot_id": app["bot_id"],
    }
    if spec["type"] == "modal":
        view["submit_disabled"] = bool(spec.get("submit_disabled", False))
    return view


def _app(emu: Emulator, app_id: str) -> dict[str, Any]:
    app = emu.world.apps.get(app_id)
    if app is None:
        raise ApiError("not_found")
    return app


def _check_external_id(emu: Emulator, app_id: str, external_id: str | None, keep: str | None = None) -> None:
    if not external_id:
        return
    for view in emu.world.views.values():
        if view["app_id"] == app_id and view["external_id"] == external_id and view["id"] != keep:
            raise ApiError("duplicate_external_id")


def _changed(emu: Emulator, view: dict[str, Any], action: str, user_id: str | None) -> dict[str, Any]:
    out = copy.deepcopy(view)
    emu.bus.publish("view_changed", view=copy.deepcopy(view), action=action, user=user_id)
    return out


def open(emu: Emulator, app_id: str, user_id: str, spec: Any) -> dict[str, Any]:  # noqa: A001 - Slack's verb
    """views.open: SPEC becomes the root of a new modal stack for USER (any open stack is replaced)."""
    world = emu.world
    with world.lock:
        check_view(spec, ("modal",))
        app = _app(emu, app_id)
        _check_external_id(emu, app_id, spec.get("external_id"))
        for old in world.view_stacks.pop(user_id, []):
            world.views.pop(old, None)
        view_id = ids.slack_id("V")
        view = _build(emu, app, spec, view_id, root_view_id=None, previous_view_id=None)
        world.views[view_id] = {**view, "user_id": user_id}
        world.view_stacks[user_id] = [view_id]
        return _changed(emu, view, "opened", user_id)


def push(emu: Emulator, app_id: str, user_id: str, spec: Any) -> dict[str, Any]:
    """views.push: SPEC on top of USER's open modal stack (push_limit_reached at 3 views)."""
    world = emu.world
    with world.lock:
        check_view(spec, ("modal",))
        app = _app(emu, app_id)
        stack_ids = world.view_stacks.get(user_id) or []
        if not stack_ids:
            raise ApiError("not_found")
        if len(stack_ids) >= MAX_STACK:
            raise ApiError("push_limit_reached")
        _check_external_id(emu, app_id, spec.get("external_id"))
        view_id = ids.slack_id("V")
        top = world.views[stack_ids[-1]]
        view = _build(emu, app, spec, view_id, root_view_id=top["root_view_id"], previous_view_id=top["id"])
        world.views[view_id] = {**view, "user_id": user_id}
        stack_ids.append(view_id)
        return _changed(emu, view, "pushed", user_id)


def update(
    emu: Emulator,
    app_id: str,
    spec: Any,
    *,
    view_id: str | None = None,
    external_id: str | None = None,
    hash: str | None = None,
) -> dict[str, Any]:  # noqa: A002 - Slack's argument name
    """views.update by VIEW_ID or EXTERNAL_ID; a stale HASH is hash_conflict. Keeps the view's place and state."""
    world = emu.world
    with world.lock:
        if not view_id and not external_id:
            raise _bad("must provide either view_id or external_id")
        current = None
        for view in world.views.values():
            if view["app_id"] == app_id and (view["id"] == view_id if view_id else view["external_id"] == external_id):
                current = view
                break
        if current is None:
            raise ApiError("not_found")
        check_view(spec, (current["type"],))
        if hash and hash != current["hash"]:
            raise ApiError("hash_conflict")
        _check_external_id(emu, app_id, spec.get("external_id"), keep=current["id"])
        app = _app(emu, app_id)
        view = _build(
            emu,
            app,
            spec,
            current["id"],
            root_view_id=current["root_view_id"],
            previous_view_id=current["previous_view_id"],
            state=current["state"],
        )
        world.views[current["id"]] = {**view, "user_id": current.get("user_id")}
        return _changed(emu, view, "updated", current.get("user_id"))


def publish(
    emu: Emulator,
    app_id: str,
    user_id: str,
    spec: Any,
    hash: str | None = None,  # noqa: A002
) -> dict[str, Any]:
    """views.publish: USER's App Home tab for APP, created or replaced (a stale HASH is hash_conflict)."""
    world = emu.world
    with world.lock:
        check_view(spec, ("home",))
        app = _app(emu, app_id)
        key = f"{app_id}|{user_id}"
        current = world.views.get(world.homes.get(key, ""))
        if current is not None and hash and hash != current["hash"]:
            raise ApiError("hash_conflict")
        _check_external_id(emu, app_id, spec.get("external_id"), keep=current["id"] if current else None)
        view_id = current["id"] if current else ids.slack_id("V")
        view = _build(
            emu,
            app,
            spec,
            view_id,
            root_view_id=None,
            previous_view_id=None,
            state=current["state"] if current else None,
        )
        world.views[view_id] = {**view, "user_id": user_id}
        world.homes[key] = view_id
        return _changed(emu, view, "published", user_id)


def close(emu: Emulator, user_id: str, view_id: str | None = None, *, clear: bool = False) -> list[dict[str, Any]]:
    """Close USER's top modal (or VIEW_ID and everything above it; or all of them with CLEAR, or when the
    closed view has clear_on_close). Returns the closed views, top first."""
    world = emu.world
    with world.lock:
        stack_ids = world.view_stacks.get(user_id) or []
        if not stack_ids:
            return []
        cut = len(stack_ids) - 1
        if view_id is not None:
            if view_id not in stack_ids:
                return []
            cut = stack_ids.index(view_id)
        if clear or world.views[stack_ids[cut]].get("clear_on_close"):
            cut = 0
        closed = [world.views.pop(v) for v in reversed(stack_ids[cut:])]
        del stack_ids[cut:]
        if not stack_ids:
            world.view_stacks.pop(user_id, None)
        out = []
        for view in closed:
            view.pop("user_id", None)
            out.append(_changed(emu, view, "closed", user_id))
        return out


def set_values(emu: Emulator, view_id: str, values: dict[str, Any]) -> dict[str, Any]:
    """Replace a view's state.values (what the user typed or picked); returns the view."""
    with emu.world.lock:
        view = emu.world.views.get(view_id)
        if view is None:
            raise ApiError("not_found")
        view["state"] = {"values": copy.deepcopy(values)}
        return _public(view)


def _public(view: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(view)
    for internal in ("user_id", "workflow_form", "function_execution_id"):  # the emulator's own bookkeeping
        out.pop(internal, None)
    return out


def get(emu: Emulator, view_id: str) -> dict[str, Any] | None:
    with emu.world.lock:
        view = emu.world.views.get(view_id)
        return _public(view) if view is not None else None


def owner(emu: Emulator, view_id: str) -> str | None:
    """The user a view is shown to."""
    with emu.world.lock:
        view = emu.world.views.get(view_id)
        return view.get("user_id") if view is not None else None


def stack(emu: Emulator, user_id: str) -> list[dict[str, Any]]:
    """USER's open modals, root first, top last."""
    with emu.world.lock:
        return [_public(emu.world.views[v]) for v in emu.world.view_stacks.get(user_id, [])]


def home(emu: Emulator, app_id: str, user_id: str) -> dict[str, Any] | None:
    with emu.world.lock:
        view = emu.world.views.get(emu.world.homes.get(f"{app_id}|{user_id}", ""))
        return _public(view) if view is not None else None
