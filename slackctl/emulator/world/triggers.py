"""trigger_id: minted when a user interacts (slash command, shortcut, button), valid 3 s of emulator time, once."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from slackctl.emulator import ids
from slackctl.emulator.webapi.registry import ApiError
from slackctl.emulator.world.state import TEAM_NUM

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator

LIFETIME = 3.0  # seconds, Slack's documented validity of a trigger_id


def mint(emu: Emulator, user_id: str, app_id: str, **context: Any) -> str:
    """A new trigger id for USER interacting with APP; CONTEXT (e.g. channel_id) travels with it."""
    world = emu.world
    with world.lock:
        # Slack's are "<digits>.<team number>.<hex>"; Bolt and the SDK treat them as opaque.
        trigger_id = f"{ids.digits(13)}.{TEAM_NUM}.{secrets.token_hex(16)}"
        now = world.now()
        # Used and expired ones are kept a while (so a second use says "exchanged", not "invalid"), then pruned.
        for key in [k for k, rec in world.triggers.items() if rec["expires_at"] < now - 600]:
            del world.triggers[key]
        world.triggers[trigger_id] = {
            "user_id": user_id,
            "app_id": app_id,
            "expires_at": now + LIFETIME,
            "used": False,
            **context,
        }
        return trigger_id


def consume(emu: Emulator, trigger_id: str, app_id: str | None = None) -> dict[str, Any]:
    """Spend TRIGGER_ID (for APP, when given): its record, or ApiError invalid/expired/exchanged_trigger_id."""
    world = emu.world
    with world.lock:
        rec = world.triggers.get(trigger_id or "")
        if rec is None or (app_id is not None and rec["app_id"] != app_id):
            raise ApiError("invalid_trigger_id")
        if rec["used"]:
            raise ApiError("exchanged_trigger_id")
        if world.now() > rec["expires_at"]:
            raise ApiError("expired_trigger_id")
        rec["used"] = True
        return dict(rec)
