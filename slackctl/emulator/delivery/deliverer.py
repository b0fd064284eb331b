"""Delivering to apps: one entry point, `deliver(emu, app_id, kind, payload)`, whatever the transport.

Kinds are Socket Mode's envelope types: "events_api" (an event_callback), "slash_commands" (the command's fields)
and "interactive" (an interaction payload). An app with socket_mode_enabled gets envelopes over its WebSocket; any
other app gets signed POSTs to its manifest's request URLs. Events are retried as Slack retries them (at once, then
after 1 and 5 minutes, scaled by --time-scale); commands and interactions are not. Every delivery is journaled.
"""

from __future__ import annotations

import itertools
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slackctl.emulator.delivery import subscriptions
from slackctl.emulator.delivery.outbound import DeliveryFailure, NotDelivered
from slackctl.emulator.faults import DELIVERY_FAULT_KINDS, FaultQueue

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator

KINDS = ("events_api", "slash_commands", "interactive")
ACK_TIMEOUT = 3.0  # Slack's: an app must answer within 3 seconds
# Slack's retry schedule for events: the first retry nearly at once, then after one and after five minutes.
RETRY_DELAYS = (0.0, 60.0, 300.0)
WORKERS_PER_APP = 16  # deliveries to one app under way at once


@dataclass
class Ack:
    """The app's acknowledgement (or why there was none)."""

    ok: bool
    transport: str
    attempts: int
    latency: float | None = None  # seconds from send to ack, of the attempt that succeeded
    status: int | None = None  # HTTP status (HTTP transport)
    payload: Any = None  # the ack's payload / the response body (a command's or view_submission's answer)
    error: str = ""  # retry reason or other cause when not ok
    detail: str = ""  # what happened, in words: "HTTP 404", "no Socket Mode connection", "connection refused"

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "transport": self.transport,
            "attempts": self.attempts,
            "latency": self.latency,
            "status": self.status,
            "payload": self.payload,
            "error": self.error,
            "detail": self.detail,
        }


class Pending:
    """A delivery under way: wait(timeout) returns its Ack once the app acknowledged or delivery gave up;
    wait_first(timeout) the outcome of the first attempt (an event whose first attempt failed is retried later,
    as Slack does, but whoever caused it need not wait minutes to learn that the app did not answer)."""

    def __init__(self, delivery_id: str, app_id: str = "", type_: str = "") -> None:
        self.delivery_id = delivery_id
        self.app_id = app_id
        self.type = type_
        self._done = threading.Event()
        self._tried = threading.Event()
        self.ack: Ack | None = None
        self.first: Ack | None = None

    def attempted(self, ack: Ack) -> None:
        if not self._tried.is_set():
            self.first = ack
            self._tried.set()

    def resolve(self, ack: Ack) -> None:
        self.attempted(ack)
        if not self._done.is_set():
            self.ack = ack
            self._done.set()

    def wait(self, timeout: float | None = None) -> Ack | None:
        self._done.wait(timeout)
        return self.ack

    def wait_first(self, timeout: float | None = None) -> Ack | None:
        self._tried.wait(timeout)
        return self.first


class Deliverer:
    """Per-emulator delivery machinery: worker pools, retry timers, faults and the journal.

    Each app has its own pool (a lane): a delivery waits for its app's ack (up to 3 s) on a worker, so an app that
    stops answering (a Socket Mode client paused at a breakpoint) ties up only its own lane, never another app's."""

    def __init__(self, emu: Emulator) -> None:
        from slackctl.emulator.delivery.journal import Journal

        self.emu = emu
        self.journal = Journal()
        self.faults = FaultQueue(DELIVERY_FAULT_KINDS, "delivery fault")  # per app
        self.ack_timeout = ACK_TIMEOUT
        self._ids = itertools.count(1)
        self._pools: dict[str, ThreadPoolExecutor] = {}
        self._lock = threading.Lock()
        self._timers: set[threading.Timer] = set()
        self._closed = False

    def submit(self, lane: str, fn: Any, *args: Any) -> None:
        """Run FN(*ARGS) on LANE's pool (one lane per app)."""
        with self._lock:
            if self._closed:
                return
            pool = self._pools.get(lane)
            if pool is None:
                pool = self._pools[lane] = ThreadPoolExecutor(
                    max_workers=WORKERS_PER_APP, thread_name_prefix=f"slackctl-delivery-{lane}"
                )
            pool.submit(fn, *args)

    def later(self, delay: float, lane: str, fn: Any, *args: Any) -> None:
        if delay <= 0:
            self.submit(lane, fn, *args)
            return

        def fire() -> None:
            with self._lock:
                self._timers.discard(timer)
            self.submit(lane, fn, *args)

        timer = threading.Timer(delay, fire)
        timer.daemon = True
        with self._lock:
            if self._closed:
                return
            self._timers.add(timer)
        timer.start()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            timers, self._timers = list(self._timers), set()
            pools, self._pools = list(self._pools.values()), {}
        for timer in timers:
            timer.cancel()
        for pool in pools:
            pool.shutdown(wait=False, cancel_futures=True)

    def reopen(self) -> None:
        with self._lock:
            self._closed = False

    def next_id(self) -> str:
        return f"{next(self._ids)}"


def deliverer(emu: Emulator) -> Deliverer:
    return emu.deliveries


def transport_of(app: dict[str, Any]) -> str:
    return "socket_mode" if subscriptions.socket_mode(app) else "http"


def deliver_async(emu: Emulator, app_id: str, kind: str, payload: dict[str, Any]) -> Pending:
    """Start delivering PAYLOAD to APP_ID; returns at once (safe to call from a bus listener, under the lock)."""
    if kind not in KINDS:
        raise ValueError(f"unknown delivery kind {kind!r}")
    d = deliverer(emu)
    app = emu.world.apps.get(app_id)
    if app is None:
        raise KeyError(f"no app {app_id}")
    transport = transport_of(app)
    delivery_id = d.next_id()
    pending = Pending(delivery_id, app_id, _type_of(kind, payload))
    entry = d.journal.open(
        kind=kind, app_id=app_id, transport=transport, type_=pending.type, delivery_id=delivery_id, payload=payload
    )
    job = _Job(emu, dict(app), kind, payload, transport, entry, pending, time.monotonic())
    d.submit(app_id, _attempt, job, 0, "")
    return pending


def deliver(emu: Emulator, app_id: str, kind: str, payload: dict[str, Any], timeout: float | None = None) -> Ack:
    """Deliver and wait for the ack (up to the ack timeout, 3 s); a not-ok Ack when the app did not acknowledge."""
    d = deliverer(emu)
    pending = deliver_async(emu, app_id, kind, payload)
    wait = d.ack_timeout + 0.5 if timeout is None else timeout
    ack = pending.wait(wait)
    if ack is None:
        app = emu.world.apps.get(app_id) or {}
        return Ack(
            False,
            transport_of(app) if app else "",
            0,
            error="no_ack_within_timeout",
            detail=f"no answer within {wait:g} s",
        )
    return ack


def outcomes(emu: Emulator, pendings: list[Pending]) -> list[dict[str, Any]]:
    """Each delivery's first attempt, once made (waiting at most the ack timeout in all): app, type, status
    (acked, retrying, failed or pending), attempts and, when not acked, what happened."""
    started = time.monotonic()
    deadline = started + deliverer(emu).ack_timeout + 0.5
    out = []
    for pending in pendings:
        ack = pending.wait_first(max(0.0, deadline - time.monotonic()))
        with emu.world.lock:
            app = emu.world.apps.get(pending.app_id) or {}
        entry: dict[str, Any] = {
            "app_id": pending.app_id,
            "app": app.get("name", pending.app_id),
            "type": pending.type,
            "delivery_id": pending.delivery_id,
        }
        if ack is None:
            entry.update(status="pending", attempts=0, error=f"no answer within {time.monotonic() - started:.1f} s")
        else:
            entry.update(
                status="acked" if ack.ok else ("failed" if pending.ack is not None else "retrying"),
                attempts=ack.attempts,
                transport=ack.transport,
            )
            if ack.status is not None:
                entry["http_status"] = ack.status
            if not ack.ok:
                entry["error"] = ack.detail or ack.error
        out.append(entry)
    return out


@dataclass
class _Job:
    emu: Emulator
    app: dict[str, Any]
    kind: str
    payload: dict[str, Any]
    transport: str
    entry: dict[str, Any]
    pending: Pending
    started: float


def _attempt(job: _Job, n: int, reason: str) -> None:
    emu = job.emu
    d = deliverer(emu)
    fault = d.faults.take(job.app["app_id"])
    sent_at = time.monotonic()
    try:
        if fault is not None and fault["kind"] == "delay":
            time.sleep(float(fault["delay"]))
        if fault is not None and fault["kind"] == "drop":
            time.sleep(d.ack_timeout)  # the app never sees it: to the sender it looks like no answer in time
            raise DeliveryFailure("http_timeout" if job.transport == "http" else "timeout", "dropped (fault)")
        if fault is not None and fault["kind"] == "500":
            raise DeliveryFailure("http_error", "HTTP 500 (injected fault)", status=500)
        if fault is not None and fault["kind"] == "disconnect":
            emu.socket_mode.disconnect(job.app["app_id"], reason=None)
        if job.transport == "socket_mode":
            result = emu.socket_mode.send(
                job.app["app_id"], job.kind, job.payload, retry_attempt=n, retry_reason=reason, timeout=d.ack_timeout
            )
            status = None
        else:
            from slackctl.emulator.delivery import httpdelivery

            status, result, no_retry = httpdelivery.send(
                emu, job.app, job.kind, job.payload, retry_num=n, retry_reason=reason, timeout=d.ack_timeout
            )
            if not 200 <= status < 300:
                cls = _NoRetry if no_retry else DeliveryFailure
                raise cls("http_error", f"HTTP {status}", status=status)
    except DeliveryFailure as failure:
        latency = time.monotonic() - sent_at
        d.journal.attempt(
            job.entry,
            attempt=n,
            ok=False,
            reason=failure.reason,
            detail=failure.detail,
            latency=round(latency, 6),
            **({"status": failure.status} if failure.status else {}),
        )
        refused = isinstance(failure, NotDelivered)
        failed = Ack(
            False,
            job.transport,
            n + 1,
            round(latency, 6),
            failure.status,
            failure.detail,
            error=failure.reason,
            detail=failure.detail,
        )
        retries = RETRY_DELAYS if job.kind == "events_api" and not (refused or isinstance(failure, _NoRetry)) else ()
        if n < len(retries) and not emu.stopped:
            delay = retries[n] / max(emu.time_scale, 1e-9)
            d.journal.finish(job.entry, "retrying", error=failure.reason, detail=failure.detail)
            job.pending.attempted(failed)
            d.later(delay, job.app["app_id"], _attempt, job, n + 1, failure.reason)
            _announce(emu, job.entry)
            return
        d.journal.finish(
            job.entry, "not_delivered" if refused else "failed", error=failure.reason, detail=failure.detail
        )
        job.pending.resolve(failed)
        _announce(emu, job.entry)
        return
    except Exception as exc:  # noqa: BLE001 - a bug in one delivery must not kill the worker
        d.journal.finish(job.entry, "failed", error=f"internal: {type(exc).__name__}: {exc}")
        job.pending.resolve(
            Ack(False, job.transport, n + 1, error="internal_error", detail=f"internal error: {type(exc).__name__}")
        )
        _announce(emu, job.entry)
        return
    latency = time.monotonic() - sent_at
    from slackctl.emulator.delivery.journal import redacted

    # The app's answer (an ack's payload, an HTTP response body) is journaled too: the web UI shows it.
    d.journal.attempt(
        job.entry, attempt=n, ok=True, status=status, latency=round(latency, 6), response=redacted(result)
    )
    d.journal.finish(job.entry, "acked", round(latency, 6))
    job.pending.resolve(Ack(True, job.transport, n + 1, latency, status, result))
    _announce(emu, job.entry)


def _announce(emu: Emulator, entry: dict[str, Any]) -> None:
    # Waiters (the driver, the plugin, the web UI) re-check on bus facts; a finished delivery is one.
    emu.bus.publish(
        "delivery_finished",
        delivery_id=entry["delivery_id"],
        app_id=entry["app_id"],
        delivery_kind=entry["kind"],
        status=entry["status"],
    )


class _NoRetry(DeliveryFailure):
    """The app asked for no retries (X-Slack-No-Retry: 1)."""


def _type_of(kind: str, payload: dict[str, Any]) -> str:
    if kind == "events_api":
        return str((payload.get("event") or {}).get("type") or payload.get("type") or "")
    if kind == "slash_commands":
        return str(payload.get("command") or "")
    return str(payload.get("type") or "")


def url_verification(emu: Emulator, app_id: str, url: str) -> None:
    """Check a saved Events request URL as Slack does; the outcome is journaled, a failure is not fatal."""
    d = deliverer(emu)
    entry = d.journal.open(
        kind="url_verification",
        app_id=app_id,
        transport="http",
        type_="url_verification",
        delivery_id=d.next_id(),
        payload={"url": url},
    )

    def run() -> None:
        from slackctl.emulator.delivery import httpdelivery

        started = time.monotonic()
        status = "failed"
        try:
            ok, detail = httpdelivery.verify_url(emu, app_id, url, d.ack_timeout)
        except DeliveryFailure as failure:
            ok, detail = False, f"{failure.reason}: {failure.detail}"
            status = "not_delivered" if isinstance(failure, NotDelivered) else status
        latency = round(time.monotonic() - started, 6)
        d.journal.attempt(entry, attempt=0, ok=ok, detail=detail, latency=latency)
        d.journal.finish(entry, "acked" if ok else status, latency if ok else None, **({} if ok else {"error": detail}))
        if not ok:
            emu.note(f"url_verification of {url} for app {app_id} failed: {detail}")
        _announce(emu, entry)

    d.submit(app_id, run)
