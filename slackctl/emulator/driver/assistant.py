"""Assistant threads as Slack starts them: the user opens the app's assistant container, Slack posts the thread's
root in the DM with the subtype `assistant_app_thread` (so Bolt's thread-context store passes over it to the
app's first reply) and sends assistant_thread_started; switching channels sends assistant_thread_context_changed.

Each thread's record (world.assistant_threads["CHANNEL|TS"]) holds who and what it is about, and what the app set
through assistant.threads.* (status, title, suggested prompts): `shown` gives it to the user's messages, views,
the control surface (GET /_emulator/assistant-threads) and the web UI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slackctl.emulator.delivery import events, subscriptions
from slackctl.emulator.webapi.inproc import DriveError

if TYPE_CHECKING:
    from slackctl.emulator.delivery.deliverer import Pending
    from slackctl.emulator.server import Emulator

SHOWN = ("status", "loading_messages", "title", "prompts", "prompts_title")


def start(
    emu: Emulator, user_id: str, app: dict[str, Any], context_channel: str | None
) -> tuple[dict[str, Any], list[Pending]]:
    """The thread's record, and the deliveries its assistant_thread_started caused."""
    world = emu.world
    description = ((subscriptions.manifest(app).get("features") or {}).get("assistant_view") or {}).get(
        "assistant_description"
    ) or "New chat"
    with world.lock:
        dm = world.open_dm(user_id, app["bot_user_id"])
        # The root Slack's container shows; the user's, so the app's replies are the first bot messages.
        root = world.post(
            dm["id"],
            {
                "user": user_id,
                "text": description,
                "subtype": "assistant_app_thread",
                "assistant_app_thread": {"title": "", "title_blocks": [], "artifacts": []},
            },
        )
        record = {
            "channel_id": dm["id"],
            "thread_ts": root["ts"],
            "user_id": user_id,
            "app_id": app["app_id"],
            "context": _context(world, context_channel),
        }
        world.assistant_threads[f"{dm['id']}|{root['ts']}"] = record
        record = dict(record)
    with events.capture() as pendings:
        emu.bus.publish(
            "assistant_thread_started",
            channel_id=dm["id"],
            thread_ts=root["ts"],
            user=user_id,
            app_id=app["app_id"],
            context=record["context"],
        )
    return record, pendings


def change_context(
    emu: Emulator, user_id: str, thread: str | None, context_channel: str | None
) -> tuple[dict[str, Any], list[Pending]]:
    """The user, with THREAD (CHANNEL:TS; default their latest) open, moves to CONTEXT_CHANNEL."""
    world = emu.world
    with world.lock:
        mine = [r for r in world.assistant_threads.values() if r.get("user_id") == user_id and r.get("app_id")]
        if thread:
            channel, _, ts = thread.rpartition(":")
            mine = [r for r in mine if r["thread_ts"] == ts and channel in (r["channel_id"], "")]
        if not mine:
            raise DriveError(
                f"no assistant thread {thread} of this user"
                if thread
                else "this user has no assistant thread: start one (emulator assistant-thread)"
            )
        record = max(mine, key=lambda r: float(r["thread_ts"]))
        record["context"] = _context(world, context_channel)
        record = dict(record)
    with events.capture() as pendings:
        emu.bus.publish(
            "assistant_thread_context_changed",
            channel_id=record["channel_id"],
            thread_ts=record["thread_ts"],
            user=user_id,
            app_id=record["app_id"],
            context=record["context"],
        )
    return record, pendings


def _context(world: Any, channel_ref: str | None) -> dict[str, Any]:
    channel = world.find_channel(channel_ref) if channel_ref else None
    if channel_ref and channel is None:
        raise DriveError(f"no channel {channel_ref!r} for the context: use a name like #general or an id")
    return {"channel_id": channel["id"] if channel else None, "team_id": world.team["id"], "enterprise_id": None}


def shown(emu: Emulator, user_id: str) -> list[dict[str, Any]]:
    """USER's assistant threads with what the app set on them (status, title, prompts), oldest first."""
    with emu.world.lock:
        records = [dict(r) for r in emu.world.assistant_threads.values() if r.get("user_id") == user_id]
    return sorted(records, key=lambda r: float(r.get("thread_ts") or 0))


def annotate(emu: Emulator, channel_id: str, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """MESSAGES with each assistant thread's root carrying `assistant_thread`: its status, title and prompts."""
    with emu.world.lock:
        records = {k: dict(r) for k, r in emu.world.assistant_threads.items() if r.get("channel_id") == channel_id}
        pending_prompts = records.pop(channel_id, None)  # setSuggestedPrompts without thread_ts: the container's
    for message in messages:
        record = records.get(f"{channel_id}|{message.get('ts')}")
        if record is not None or (pending_prompts and message.get("subtype") == "assistant_app_thread"):
            merged = {**(pending_prompts or {}), **(record or {})}
            message["assistant_thread"] = {k: merged[k] for k in SHOWN if k in merged}
    return messages
