"""Scheduled messages coming due (chat.scheduleMessage stores them in `World.scheduled`): the Emulator's one
timer for the soonest of them, and posting every message whose time has come."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from slackctl.emulator.webapi.registry import ApiError
from slackctl.emulator.world.messages import post_in

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator


class Scheduler:
    """One timer per emulator, for the soonest scheduled message (not a thread per message: a test may schedule
    thousands, up to 120 days ahead); post_due re-arms it for the next one."""

    def __init__(self, emu: Emulator) -> None:
        self.emu = emu
        self._lock = threading.Lock()
        self._timer: tuple[float, threading.Timer] | None = None  # (monotonic due time, timer)

    def arm(self, delay: float) -> None:
        """Wake in DELAY seconds, unless an earlier wake-up is already set."""
        due = time.monotonic() + max(0.0, delay)
        with self._lock:
            current = self._timer
            if current is not None and current[0] <= due and current[1].is_alive():
                return
            if current is not None:
                current[1].cancel()
            timer = threading.Timer(max(0.0, delay) + 0.01, self.post_due, kwargs={"from_timer": True})
            timer.daemon = True
            self._timer = (due, timer)
            timer.start()

    def post_due(self, from_timer: bool = False) -> int:
        """Post every scheduled message whose time has come (also run before each Web API call, so a moved clock
        counts); returns how many were posted."""
        emu = self.emu
        world = emu.world
        posted = 0
        with world.lock:
            now = world.now()
            due = sorted(
                (rec for rec in world.scheduled.values() if rec["post_at"] <= now), key=lambda rec: rec["post_at"]
            )
            for rec in due:
                del world.scheduled[rec["id"]]
                channel = world.channels.get(rec["channel_id"])
                if channel is None or channel["is_archived"]:
                    continue  # Slack drops a scheduled message whose channel is gone
                try:
                    stored = post_in(
                        world, channel, {**rec["author"], **rec["fields"]}, rec["thread_ts"], rec["reply_broadcast"]
                    )
                except ApiError:
                    continue  # its thread was deleted meanwhile
                emu.bus.publish("message_posted", channel_id=channel["id"], message=dict(stored))
                posted += 1
            later = [rec["post_at"] for rec in world.scheduled.values()]
        if from_timer:
            with self._lock:
                current = self._timer
                if current is not None and current[1] is threading.current_thread():
                    self._timer = None
        if later and (from_timer or posted):
            self.arm(min(later) - now)
        return posted
