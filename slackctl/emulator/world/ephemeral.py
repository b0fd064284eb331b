"""Ephemeral messages: stored per (channel, user), seen only by that user, never in history or events."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator

MAX_KEPT = 500  # per (channel, user): Slack's clients drop ephemeral messages too; memory stays bounded


def _key(channel_id: str, user_id: str) -> str:
    return f"{channel_id}|{user_id}"


def add(emu: Emulator, channel_id: str, user_id: str, message: dict[str, Any]) -> dict[str, Any]:
    """Show MESSAGE to USER in CHANNEL; returns the stored message (with its ts)."""
    world = emu.world
    with world.lock:
        stored = {"type": "message", **copy.deepcopy(message)}
        stored.setdefault("ts", world.next_ts())
        stored["ephemeral"] = True
        shown = world.ephemeral.setdefault(_key(channel_id, user_id), [])
        shown.append(stored)
        del shown[:-MAX_KEPT]
        return copy.deepcopy(stored)


def for_user(emu: Emulator, channel_id: str, user_id: str) -> list[dict[str, Any]]:
    """What USER was shown ephemerally in CHANNEL, oldest first."""
    with emu.world.lock:
        return copy.deepcopy(emu.world.ephemeral.get(_key(channel_id, user_id), []))


def replace_last(emu: Emulator, channel_id: str, user_id: str, message: dict[str, Any] | None) -> bool:
    """response_url's replace_original/delete_original on an ephemeral: the newest one for USER is replaced
    (or removed when MESSAGE is None). False when there was none."""
    world = emu.world
    with world.lock:
        shown = world.ephemeral.get(_key(channel_id, user_id))
        if not shown:
            return False
        if message is None:
            shown.pop()
        else:
            shown[-1] = {"type": "message", **copy.deepcopy(message), "ts": shown[-1]["ts"], "ephemeral": True}
        return True
