"""Slack-style rate limits: per-method tiers as token buckets, plus chat.postMessage's per-channel limit.

Time can run faster than the wall clock (`time_scale`): with time_scale=60 a "minute" lasts one real second,
so tests can hit and recover from limits quickly. Buckets are computed precisely; Retry-After (whole seconds,
as Slack sends) is the ceiling of the real wait, at least 1.
"""

from __future__ import annotations

import math
import threading
import time

# Requests per minute by tier; tiers of the implemented methods (from Slack's method documentation).
TIER_PER_MINUTE = {"t1": 1, "t2": 20, "t3": 50, "t4": 100}
METHOD_TIERS = {
    "api.test": "t4", "auth.revoke": "t3", "chat.delete": "t3", "chat.update": "t3",
    "conversations.create": "t2", "conversations.history": "t3", "conversations.info": "t3",
    "conversations.join": "t3", "conversations.list": "t2", "users.info": "t4", "users.list": "t2",
    "files.getUploadURLExternal": "t4", "files.completeUploadExternal": "t4", "oauth.v2.exchange": "t3",
    "openid.connect.token": "t4", "openid.connect.userInfo": "t3", "apps.manifest.create": "t1",
    "apps.manifest.update": "t1", "apps.manifest.delete": "t1", "apps.manifest.export": "t3",
    "apps.manifest.validate": "t3", "apps.connections.open": "t3", "apps.auth.external.start": "t3",
    "apps.auth.external.list": "t3", "apps.auth.external.delete": "t4",
    "apps.auth.external.clientSecret.add": "t3", "apps.auth.external.authMapping.update": "t3",
    # The methods apps call (tiers from Slack's method pages; chat.getPermalink and assistant.threads.setStatus
    # are "special", without a published number, so they are not limited here).
    "conversations.archive": "t2", "conversations.setTopic": "t2", "reactions.remove": "t2", "pins.add": "t2",
    "pins.remove": "t2", "pins.list": "t2", "chat.startStream": "t2", "chat.stopStream": "t2",
    "chat.scheduleMessage": "t3", "chat.scheduledMessages.list": "t3", "chat.deleteScheduledMessage": "t3",
    "chat.meMessage": "t3", "conversations.open": "t3", "conversations.replies": "t3", "conversations.invite": "t3",
    "conversations.leave": "t3", "users.lookupByEmail": "t3", "users.conversations": "t3", "reactions.add": "t3",
    "reactions.get": "t3", "team.info": "t3", "bots.info": "t3", "functions.completeSuccess": "t3",
    "functions.completeError": "t3", "chat.postEphemeral": "t4", "conversations.members": "t4",
    "users.profile.get": "t4", "views.open": "t4", "views.push": "t4", "views.update": "t4", "views.publish": "t4",
    "assistant.threads.setTitle": "t4", "assistant.threads.setSuggestedPrompts": "t4", "chat.appendStream": "t4",
}
# chat.postMessage: about one message per second per channel, with a burst of one.
POST_MESSAGE_PER_SECOND = 1.0
POST_MESSAGE_BURST = 1.0


class RateLimiter:
    def __init__(self, *, enabled: bool = True, time_scale: float = 1.0) -> None:
        if time_scale <= 0:
            raise ValueError("time_scale must be positive")
        self.enabled = enabled
        self.time_scale = time_scale
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, ...], tuple[float, float]] = {}  # key -> (tokens, last emulated time)

    def _now(self) -> float:
        return time.monotonic() * self.time_scale

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()

    def check(self, method: str, app_key: str, channel: str | None = None) -> float | None:
        """Take one request from the right bucket; None when allowed, else the real seconds to wait."""
        if not self.enabled:
            return None
        if method == "chat.postMessage":
            if channel is None:
                return None
            return self._take(("post", app_key, channel), POST_MESSAGE_BURST, POST_MESSAGE_PER_SECOND)
        tier = METHOD_TIERS.get(method)
        if tier is None:
            return None
        per_minute = TIER_PER_MINUTE[tier]
        return self._take(("tier", app_key, method), float(per_minute), per_minute / 60.0)

    def _take(self, key: tuple[str, ...], capacity: float, rate: float) -> float | None:
        with self._lock:
            now = self._now()
            tokens, last = self._buckets.get(key, (capacity, now))
            tokens = min(capacity, tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return None
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / rate / self.time_scale


def retry_after_header(wait_seconds: float) -> str:
    return str(max(1, math.ceil(wait_seconds - 1e-9)))
