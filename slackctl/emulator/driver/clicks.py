"""Where a click lands and what Slack sends for it: the driver's `click` finds the element by action_id in the
user's open modals, App Homes and recent messages (when not told where), in every interactive block Slack has
(actions, section accessories, input, context_actions), and builds the block_actions action the element type
sends. Select values the driver is given as names (#random, @ada) reach the app as ids, as Slack sends them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from slackctl.emulator.driver import viewstate
from slackctl.emulator.webapi.inproc import DriveError

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator

RECENT_MESSAGES = 200  # per conversation: how far back a click without --message looks
# Select types whose values are users or conversations: the user picks a name, the app gets the id.
USER_SELECTS = ("users_select", "multi_users_select")
CONVERSATION_SELECTS = (
    "conversations_select",
    "channels_select",
    "multi_conversations_select",
    "multi_channels_select",
)
Resolver = Callable[[str, str], str]  # (what: "user" | "conversation", the user's text) -> an id


@dataclass
class Target:
    """The surface a click happens on: a message (with its channel) or a view (modal or App Home)."""

    kind: str  # "message" | "view"
    blocks: list[dict[str, Any]]
    app_id: str | None
    source: dict[str, Any]
    channel: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        if self.kind == "message":
            return (
                f"message {self.channel.get('name') and '#' + self.channel['name'] or self.channel.get('id')}:"
                f"{self.source.get('ts')}"
            )
        return f"{'App Home' if self.source.get('type') == 'home' else 'view'} {self.source.get('id')}"


def elements(block: dict[str, Any]) -> list[dict[str, Any]]:
    """The interactive elements of one block."""
    found = (
        [e for e in block.get("elements") or [] if isinstance(e, dict)]
        if block.get("type") in ("actions", "context_actions")
        else []
    )
    for key in ("accessory", "element"):
        if isinstance(block.get(key), dict):
            found.append(block[key])
    return found


def find_element(blocks: list[dict[str, Any]], action_id: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    for block in blocks or []:
        if not isinstance(block, dict):
            continue
        for element in elements(block):
            if element.get("action_id") == action_id:
                return block, element
    return None


def locate(emu: Emulator, user_id: str, action_id: str, visible: list[dict[str, Any]]) -> Target:
    """The one place ACTION_ID is on the user's screen: open modals, App Homes, then recent messages of the
    conversations VISIBLE to them. Several places or none: a DriveError saying which and what to pass."""
    from slackctl.emulator.world import views

    world = emu.world
    candidates = [Target("view", v["blocks"], v["app_id"], v) for v in reversed(views.stack(emu, user_id))]
    with world.lock:
        app_ids = list(world.apps)
    for app_id in app_ids:
        home = views.home(emu, app_id, user_id)
        if home is not None:
            candidates.append(Target("view", home["blocks"], app_id, home))
    with world.lock:
        for channel in visible:
            for message in world.messages.get(channel["id"], [])[-RECENT_MESSAGES:]:
                if message.get("blocks"):
                    candidates.append(
                        Target("message", message["blocks"], message.get("app_id"), dict(message), dict(channel))
                    )
    hits = [t for t in candidates if find_element(t.blocks, action_id) is not None]
    if not hits:
        raise DriveError(
            f"no element with action_id {action_id!r} in the user's open views, App Home or recent "
            "messages: check the id (emulator views / emulator messages show them)"
        )
    if len(hits) > 1:
        places = ", ".join(t.describe() for t in hits[:5])
        raise DriveError(
            f"action_id {action_id!r} is in {len(hits)} places ({places}): pick one with --message "
            "CHANNEL:TS or --view VIEW_ID"
        )
    return hits[0]


def view_target(emu: Emulator, user_id: str, user_name: str, ref: str, action_id: str) -> Target:
    """--view REF: a view id, or "home" for the user's App Home (the one holding ACTION_ID, if several)."""
    from slackctl.emulator.world import views

    if ref == "home":
        with emu.world.lock:
            app_ids = list(emu.world.apps)
        homes = [h for h in (views.home(emu, a, user_id) for a in app_ids) if h is not None]
        if not homes:
            raise DriveError(f"{user_name} has no App Home open: open one first (emulator open-home)")
        home = next((h for h in homes if find_element(h["blocks"], action_id)), homes[0])
        return Target("view", home["blocks"], home["app_id"], home)
    found = views.get(emu, ref)
    if found is None:
        raise DriveError(f"no view {ref}: pass a view id (emulator views lists them) or home")
    return Target("view", found["blocks"], found["app_id"], found)


def action(
    element: dict[str, Any], block: dict[str, Any], value: str | None, resolve: Resolver, action_ts: str
) -> dict[str, Any]:
    """The entry of block_actions' `actions` for a click on ELEMENT (VALUE: what the user picked or typed)."""
    etype = element.get("type")
    out: dict[str, Any] = {
        "action_id": element.get("action_id"),
        "block_id": block.get("block_id", ""),
        "type": etype,
        "action_ts": action_ts,
    }
    if etype == "feedback_buttons":
        button = _feedback_button(element, value)
        out.update(text=button.get("text"), value=button.get("value", ""))
    elif etype == "icon_button":
        out.update(
            icon=element.get("icon"),
            text=element.get("text"),
            value=value if value is not None else element.get("value", ""),
        )
    elif etype == "overflow":
        out["selected_option"] = _option(element, value)
    elif etype in ("button", "workflow_button", None):
        out["value"] = value if value is not None else element.get("value", "")
        if element.get("text"):
            out["text"] = element["text"]
        if element.get("style"):
            out["style"] = element["style"]
    else:
        state = viewstate.element_state(element, ids(element, value, resolve))
        out.update({k: v for k, v in state.items() if k != "type"})
    return out


def ids(element: dict[str, Any], value: str | None, resolve: Resolver) -> str | None:
    """VALUE for ELEMENT with names turned into ids: #random -> C…, @ada or ada -> U… (lists comma-separated)."""
    etype = element.get("type")
    if value in (None, "") or etype not in USER_SELECTS + CONVERSATION_SELECTS:
        return value
    what = "user" if etype in USER_SELECTS else "conversation"
    return ",".join(resolve(what, part.strip()) for part in str(value).split(","))


def resolve_values(blocks: list[dict[str, Any]], values: dict[str, str], resolve: Resolver) -> dict[str, str]:
    """A submission's VALUES ("block_id.action_id" or "action_id" -> text) with select names made ids."""
    out = dict(values)
    for block in blocks or []:
        for element in elements(block) if isinstance(block, dict) else []:
            for key in (f"{block.get('block_id') or ''}.{element.get('action_id')}", str(element.get("action_id"))):
                if key in out:
                    out[key] = ids(element, out[key], resolve) or ""
    return out


def response_urls(
    emu: Emulator, view: dict[str, Any], state: dict[str, Any], app_id: str, user_id: str
) -> list[dict[str, Any]]:
    """view_submission's response_urls: one per conversation select with response_url_enabled (on the element, or
    its input block), for the conversation the user picked."""
    from slackctl.emulator.delivery import responseurl

    out = []
    for block in view.get("blocks") or []:
        element = block.get("element") if isinstance(block, dict) and block.get("type") == "input" else None
        if not isinstance(element, dict) or element.get("type") not in CONVERSATION_SELECTS[:2]:
            continue
        if not (element.get("response_url_enabled") or block.get("response_url_enabled")):
            continue
        block_id, action_id = str(block.get("block_id") or ""), str(element.get("action_id") or "")
        picked = ((state.get("values") or {}).get(block_id) or {}).get(action_id) or {}
        channel_id = picked.get("selected_conversation") or picked.get("selected_channel")
        if channel_id:
            out.append(
                {
                    "block_id": block_id,
                    "action_id": action_id,
                    "channel_id": channel_id,
                    "response_url": responseurl.mint(
                        emu, kind="actions", app_id=app_id, channel_id=channel_id, user_id=user_id
                    ),
                }
            )
    return out


def _feedback_button(element: dict[str, Any], value: str | None) -> dict[str, Any]:
    positive = element.get("positive_button") or {}
    negative = element.get("negative_button") or {}
    if value in (None, "", "positive", positive.get("value")):
        return positive
    if value in ("negative", negative.get("value")):
        return negative
    raise DriveError(
        f"feedback buttons {element.get('action_id')!r} have the values {positive.get('value')!r} "
        f"and {negative.get('value')!r} (or pass positive / negative), not {value!r}"
    )


def _option(element: dict[str, Any], value: str | None) -> dict[str, Any]:
    options = [o for o in element.get("options") or [] if isinstance(o, dict)]
    if value is None:
        if not options:
            raise DriveError(f"the overflow menu {element.get('action_id')!r} has no options")
        return options[0]
    for option in options:
        if option.get("value") == value:
            return option
    raise DriveError(
        f"the overflow menu {element.get('action_id')!r} has no option {value!r}: it has "
        + ", ".join(repr(o.get("value")) for o in options)
    )
