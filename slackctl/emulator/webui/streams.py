"""The web UI's live-update streams (server-sent events): at most MAX_STREAMS open at once, each with its own
bounded queue of ready-made frames, fed by one bus listener that never waits on a page.

Publishing a fact builds its frame once and offers it to every stream without blocking; a stream whose queue is
full (a page that stopped reading) is dropped: its response ends, and the browser's EventSource reconnects and
refetches. Its socket also has a small send buffer and a write timeout, so a page that never reads frees its
thread and its slot within WRITE_TIMEOUT even when nothing more is published.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from slackctl.emulator.bus import Bus

MAX_STREAMS = 100  # open pages (tabs) at once; more are refused with 503
STREAM_QUEUE = 200  # frames waiting for one page; a page this far behind is dropped and resyncs on reconnect
WRITE_TIMEOUT = 10.0  # seconds one write to a page may take
SEND_BUFFER = 16 * 1024  # bytes the kernel holds for a page (frames are ~100 bytes): a stalled page shows soon
BATCH = 0.05  # seconds a stream gathers facts before writing them
HEARTBEAT = 15.0  # seconds between keep-alive comments (proxies and browsers drop idle streams)
# What a page needs to know to refetch: never message bodies or views (it asks for those as the user it shows).
_FACT_FIELDS = ("channel_id", "user", "app_id", "ts", "action", "kind", "status")


class _Stream:
    def __init__(self) -> None:
        self.frames: queue.Queue[bytes] = queue.Queue(STREAM_QUEUE)
        self.dropped = False


class Streams:
    """The open streams of one emulator; subscribed to its bus while any is open."""

    def __init__(self, bus: Bus) -> None:
        self._bus = bus
        self._lock = threading.Lock()
        self._streams: set[_Stream] = set()
        self._unsubscribe: Any = None

    def count(self) -> int:
        with self._lock:
            return len(self._streams)

    def open(self) -> _Stream | None:
        """A new stream, or None when MAX_STREAMS are open."""
        with self._lock:
            if len(self._streams) >= MAX_STREAMS:
                return None
            stream = _Stream()
            self._streams.add(stream)
            if self._unsubscribe is None:
                self._unsubscribe = self._bus.subscribe(self._publish)
            return stream

    def close(self, stream: _Stream) -> None:
        with self._lock:
            self._streams.discard(stream)
            if not self._streams and self._unsubscribe is not None:
                self._unsubscribe()
                self._unsubscribe = None

    def _publish(self, kind: str, data: dict[str, Any]) -> None:
        frame = b"event: fact\ndata: " + json.dumps(fact_of(kind, data), separators=(",", ":")).encode() + b"\n\n"
        with self._lock:
            streams = list(self._streams)
        for stream in streams:
            try:
                stream.frames.put_nowait(frame)
            except queue.Full:  # the page stopped reading: drop it (it reconnects and resyncs)
                stream.dropped = True
                self.close(stream)

    def frames(self, stream: _Stream, stopped: Any) -> Iterator[bytes]:
        """STREAM's response body, until it is dropped, the page goes or STOPPED() (the emulator stopped)."""
        try:
            yield b"retry: 1000\n: connected\n\n"
            idle = 0.0
            while not stopped() and not stream.dropped:
                try:
                    frame = stream.frames.get(timeout=1.0)  # short, so a stopped emulator ends the stream promptly
                except queue.Empty:
                    idle += 1.0
                    if idle >= HEARTBEAT:
                        idle = 0.0
                        yield b": keep-alive\n\n"
                    continue
                idle = 0.0
                # A burst of facts (a post each millisecond) is written as one: each open page's thread wakes at
                # most every BATCH seconds, not once per fact, so a hundred pages barely slow the posts.
                time.sleep(BATCH)
                batch = [frame]
                while len(batch) < STREAM_QUEUE:
                    try:
                        batch.append(stream.frames.get_nowait())
                    except queue.Empty:
                        break
                yield b"".join(batch)
        finally:
            self.close(stream)


def fact_of(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """A bus fact as a page sees it: its kind and the ids it needs to know what to refetch."""
    fact: dict[str, Any] = {"fact": kind}
    for key in _FACT_FIELDS:
        value = data.get(key)
        if isinstance(value, str | int | float | bool):
            fact[key] = value
    message, view = data.get("message"), data.get("view")
    if isinstance(message, dict):
        fact.update({k: message[k] for k in ("ts", "thread_ts") if isinstance(message.get(k), str)})
    if isinstance(view, dict) and isinstance(view.get("id"), str):
        fact["view_id"] = view["id"]
    return fact
