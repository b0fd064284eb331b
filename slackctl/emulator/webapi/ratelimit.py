"""Slack-style rate limits: per-method tiers as token buckets, plus chat.postMessage's per-channel limit.

Time can run faster than the wall clock (`time_scale`): with time_scale=60 a "minute" lasts one real second,
so tests can hit and recover from limits quickly. Buckets are computed precisely; Retry-After (whole seconds,
as Slack sends) is the ceiling of the real wait, at least 1.
"""

from __future__ import annotations

import math
import threading
import time

from slackctl.slack import catalog

# Requests per minute by tier (Slack's published minimums); each method's tier comes from the method catalog, so
# every catalogued method is limited as Slack limits it. "special" methods have no published number and are not
# limited here, except chat.postMessage below.
TIER_PER_MINUTE = {"1": 1, "2": 20, "3": 50, "4": 100}
# Emulator methods outside the catalog (Slack-hosted external auth), with the tier of Slack's method pages.
UNCATALOGUED_TIERS = {
    "apps.auth.external.start": "3",
    "apps.auth.external.list": "3",
    "apps.auth.external.clientSecret.add": "3",
    "apps.auth.external.authMapping.update": "3",
}
# chat.postMessage: about one message per second per channel, "short bursts allowed" (Slack publishes no burst
# size; three lets a thread reply follow its parent, or two tests post back to back, as they do on Slack).
POST_MESSAGE_PER_SECOND = 1.0
POST_MESSAGE_BURST = 3.0


def method_tier(method: str) -> str | None:
    """The method's tier ("1".."4"), or None for special and unknown methods."""
    info = catalog.get(method)
    tier = info.tier if info is not None else UNCATALOGUED_TIERS.get(method)
    return tier if tier in TIER_PER_MINUTE else None


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
        tier = method_tier(method)
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
