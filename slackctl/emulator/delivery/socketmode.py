"""Socket Mode: the WebSocket endpoint apps.connections.open points apps to, served with `websockets`.

Each URL is single-use (a ticket consumed by the handshake); an app holds up to 10 connections and each envelope
goes to one of them (round robin). The emulator sends `hello`, then envelopes; the app acknowledges each with its
envelope_id (and optionally a payload). `disconnect` (refresh_requested) is sent on a schedule when one is set, and
on demand; well-behaved clients then reconnect through apps.connections.open.

A client that stops reading (paused at a breakpoint, SIGSTOP) must not hold up anything else: each connection has
its own bounded outbox and writer thread, so queuing an envelope never blocks; a frame that cannot be written within
SEND_DEADLINE, or an outbox that fills up, gets the connection dropped (as Slack drops it), its envelopes failing
over to retries on the app's other connections. stop() cuts what is left after a short grace and never waits on a
client.
"""

from __future__ import annotations

import itertools
import json
import queue
import socket
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from slackctl.emulator.delivery.outbound import DeliveryFailure

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator

MAX_CONNECTIONS = 10
TICKET_LIFETIME = 30.0  # an unused URL stops working (Slack's are short-lived too)
ACCEPTS_RESPONSE = {"slash_commands", "interactive"}
DEBUG_HOST = "applink-emulator"
# An app's frames are acks, at most a view or a message as payload: a frame larger than this is refused with close
# code 1009 (message too big) instead of being read into memory whatever its size.
MAX_FRAME = 1024 * 1024
SEND_DEADLINE = 5.0  # seconds to write one frame; a client that cannot take it in that time is not reading
OUTBOX_FRAMES = 200  # frames queued for one connection beyond the one being written
STOP_GRACE = 0.5  # seconds stop() gives connections to take their close frame before they are cut
_CLOSE = object()  # in an outbox: close the connection after the frames before it


@dataclass
class _Waiter:
    link: _Link
    done: threading.Event = field(default_factory=threading.Event)
    payload: Any = None
    closed: bool = False


@dataclass
class _Link:
    """One connection: frames are queued (never blocking the caller) and written by its own writer thread."""

    ws: Any
    app_id: str
    opened: float
    send_deadline: float = SEND_DEADLINE
    outbox: queue.Queue[Any] = field(default_factory=lambda: queue.Queue(OUTBOX_FRAMES))
    sending_since: float | None = None  # when the frame being written was started (None: idle)
    dropped: threading.Event = field(default_factory=threading.Event)

    def start_writer(self) -> None:
        threading.Thread(target=self._write_loop, daemon=True, name=f"slackctl-socket-mode-writer-{id(self)}").start()

    def _write_loop(self) -> None:
        # The socket's timeout bounds each frame's sendall (a total, not per chunk): the send's deadline. Reads are
        # unaffected: the connection's reader only calls recv() once select() says data is there.
        self.ws.socket.settimeout(self.send_deadline)
        while not self.dropped.is_set():
            frame = self.outbox.get()
            if frame is _CLOSE:
                if not self.dropped.is_set():
                    _quiet_close(self.ws)
                break
            self.sending_since = time.monotonic()
            try:
                self.ws.send(frame)
            except Exception:  # noqa: BLE001 - a timed-out or failed write leaves half a frame: drop
                self.cut()
                break
            finally:
                self.sending_since = None

    def send_json(self, data: dict[str, Any]) -> None:
        """Queue DATA; DeliveryFailure (and the connection dropped) when the client is not draining its frames."""
        if self.dropped.is_set():
            raise DeliveryFailure("connection_failed", "the Socket Mode connection closed")
        if self.stalled():
            self.cut()
            raise DeliveryFailure("connection_failed", "the Socket Mode client stopped reading: dropped")
        try:
            self.outbox.put_nowait(json.dumps(data, separators=(",", ":")))
        except queue.Full:
            self.cut()
            raise DeliveryFailure("connection_failed", "the Socket Mode client stopped reading: dropped") from None

    def stalled(self) -> bool:
        since = self.sending_since
        return since is not None and time.monotonic() - since > self.send_deadline

    def close_after_queued(self) -> None:
        """Close (handshake on the writer thread) once the frames already queued are written."""
        try:
            self.outbox.put_nowait(_CLOSE)
        except queue.Full:
            self.cut()

    def cut(self) -> None:
        """Drop the connection now, as a network failure would: a client that does not read could never take a
        close frame. The reader sees the end at once; a writer stuck in sendall fails."""
        self.dropped.set()
        try:
            self.ws.socket.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            self.outbox.put_nowait(_CLOSE)  # wake an idle writer so it ends
        except queue.Full:
            pass


def _quiet_close(ws: Any) -> None:
    try:
        ws.close()
    except Exception:  # noqa: BLE001, S110 - already gone
        pass


class SocketModeServer:
    """Started on the first apps.connections.open, on its own loopback port."""

    def __init__(self, emu: Emulator) -> None:
        self.emu = emu
        self.refresh_interval: float | None = None  # seconds of emulator time; None: never refresh
        self.send_deadline = SEND_DEADLINE
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)  # a connection opened or closed
        self._tickets: dict[str, tuple[str, float]] = {}
        self._links: dict[str, list[_Link]] = {}
        # Handshakes accepted but not yet serving, per app (their deadlines): they count towards MAX_CONNECTIONS,
        # or an app opening connections quickly could pass the limit before its handlers register the links.
        self._opening: dict[str, list[float]] = {}
        self._waiters: dict[str, _Waiter] = {}
        self._rr = itertools.count()
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self.port: int | None = None

    # ---- lifecycle ----------------------------------------------------------------------------------------
    def _ensure_started(self) -> None:
        with self._lock:
            if self._server is not None:
                return
            from websockets.sync.server import serve

            ssl_context = None
            if self.emu.tls:
                from slackctl.emulator.exec import servercerts

                _, cert_file, key_file = servercerts.ensure_certs(self.emu.cert_dir)
                ssl_context = servercerts.server_context(cert_file, key_file)
            self._server = serve(
                self._handle,
                self.emu.host,
                0,
                ssl=ssl_context,
                compression=None,
                process_request=self._check_ticket,
                ping_interval=None,
                max_size=MAX_FRAME,
                close_timeout=2,
                server_header="slackctl-emulator",
            )
            self.port = self._server.socket.getsockname()[1]
            self._thread = threading.Thread(
                target=self._server.serve_forever, daemon=True, name=f"slackctl-socket-mode-{self.port}"
            )
            self._thread.start()

    def stop(self) -> None:
        """Close every connection (a close frame, STOP_GRACE seconds to take it, then cut) and stop serving; never
        waits on a client."""
        with self._lock:
            server, self._server = self._server, None
            links = [link for links in self._links.values() for link in links]
        for link in links:
            link.close_after_queued()
        with self._changed:
            self._changed.wait_for(lambda: not any(self._links.values()), STOP_GRACE)
        for link in links:
            link.cut()
        if server is not None:
            # websockets' shutdown() joins its handler threads; they end once their sockets are cut, but a daemon
            # thread keeps even a surprise from blocking the caller.
            threading.Thread(target=server.shutdown, daemon=True, name="slackctl-socket-mode-stop").start()

    # ---- tickets ------------------------------------------------------------------------------------------
    def open_url(self, app_id: str) -> str:
        """A fresh single-use wss/ws URL for APP_ID (apps.connections.open)."""
        self._ensure_started()
        ticket = uuid.uuid4().hex
        now = time.monotonic()
        with self._lock:
            self._tickets = {t: v for t, v in self._tickets.items() if v[1] > now}
            self._tickets[ticket] = (app_id, now + TICKET_LIFETIME)
        host = f"[{self.emu.host}]" if ":" in self.emu.host else self.emu.host
        scheme = "wss" if self.emu.tls else "ws"
        return f"{scheme}://{host}:{self.port}/link/?ticket={ticket}&app_id={app_id}"

    def _check_ticket(self, connection: Any, request: Any) -> Any:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.path).query)
        ticket = (query.get("ticket") or [""])[0]
        with self._lock:
            entry = self._tickets.pop(ticket, None)
            if entry is None or entry[1] < time.monotonic():
                return connection.respond(
                    401, "invalid or already used Socket Mode URL: call apps.connections.open for a new one\n"
                )
            now = time.monotonic()
            opening = [t for t in self._opening.get(entry[0], []) if t > now]  # a failed handshake expires
            if len(self._links.get(entry[0], [])) + len(opening) >= MAX_CONNECTIONS:
                return connection.respond(429, f"too many connections (at most {MAX_CONNECTIONS} per app)\n")
            self._opening[entry[0]] = [*opening, now + TICKET_LIFETIME]
        connection.slack_app_id = entry[0]
        return None

    # ---- connections --------------------------------------------------------------------------------------
    def _handle(self, ws: Any) -> None:
        app_id = ws.slack_app_id
        link = _Link(ws, app_id, time.monotonic(), self.send_deadline)
        link.start_writer()
        with self._lock:
            opening = self._opening.get(app_id, [])
            if opening:
                opening.pop(0)
            links = self._links.setdefault(app_id, [])
            links.append(link)
            count = len(links)
            self._changed.notify_all()
        timer = None
        try:
            link.send_json(
                {
                    "type": "hello",
                    "num_connections": count,
                    "debug_info": {"host": DEBUG_HOST, "build_number": 1, "approximate_connection_time": 18060},
                    "connection_info": {"app_id": app_id},
                }
            )
            if self.refresh_interval:
                timer = threading.Timer(
                    self.refresh_interval / max(self.emu.time_scale, 1e-9), self._refresh, args=(link,)
                )
                timer.daemon = True
                timer.start()
            for message in ws:
                self._on_message(message)
        except Exception:  # noqa: BLE001, S110 - a connection closing mid-frame is normal
            pass
        finally:
            if timer is not None:
                timer.cancel()
            link.cut()  # ends its writer; the connection is over either way
            with self._lock:
                if link in self._links.get(app_id, []):
                    self._links[app_id].remove(link)
                    self._changed.notify_all()
                orphans = [(eid, w) for eid, w in self._waiters.items() if w.link is link]
                for eid, _ in orphans:
                    del self._waiters[eid]
            for _, waiter in orphans:
                waiter.closed = True
                waiter.done.set()

    def _on_message(self, message: str | bytes) -> None:
        try:
            data = json.loads(message)
        except ValueError:
            return
        if not isinstance(data, dict) or "envelope_id" not in data:
            return
        with self._lock:
            waiter = self._waiters.pop(str(data["envelope_id"]), None)
        if waiter is not None:
            waiter.payload = data.get("payload")
            waiter.done.set()

    def _refresh(self, link: _Link) -> None:
        if self.refresh_interval:  # turning the schedule off also calls off the refreshes already due
            self._disconnect_link(link, "refresh_requested")

    def _disconnect_link(self, link: _Link, reason: str | None) -> None:
        with self._lock:  # no new envelope goes to a link on its way out
            if link in self._links.get(link.app_id, []):
                self._links[link.app_id].remove(link)
                self._changed.notify_all()
        if reason is None:  # cut, as a network failure would: no close handshake to wait for
            link.cut()
            return
        try:
            link.send_json({"type": "disconnect", "reason": reason, "debug_info": {"host": DEBUG_HOST}})
        except DeliveryFailure:
            return  # dropped already
        link.close_after_queued()  # the close handshake waits for the client: on the writer thread, not here

    def _forget(self, link: _Link) -> None:
        with self._lock:
            if link in self._links.get(link.app_id, []):
                self._links[link.app_id].remove(link)
                self._changed.notify_all()

    def disconnect(self, app_id: str | None = None, reason: str | None = "refresh_requested") -> int:
        """Close the app's connections (all apps' when APP_ID is None), after a `disconnect` message when REASON
        is given (None: cut without notice, as a network failure would). Returns how many were closed."""
        with self._lock:
            links = [link for aid, ls in self._links.items() if app_id in (None, aid) for link in ls]
        for link in links:
            self._disconnect_link(link, reason)
        return len(links)

    def connections(self, app_id: str | None = None) -> int:
        with self._lock:
            return sum(len(ls) for aid, ls in self._links.items() if app_id in (None, aid))

    def wait_connected(self, app_id: str, count: int = 1, timeout: float = 10.0) -> bool:
        """Block until APP_ID holds at least COUNT connections (False after TIMEOUT seconds)."""
        with self._changed:
            return self._changed.wait_for(
                lambda: sum(len(ls) for aid, ls in self._links.items() if aid == app_id) >= count, timeout
            )

    # ---- envelopes ----------------------------------------------------------------------------------------
    def send(
        self, app_id: str, kind: str, payload: dict[str, Any], *, retry_attempt: int, retry_reason: str, timeout: float
    ) -> Any:
        """Send one envelope to one of the app's connections and wait for its ack; the ack's payload."""
        with self._lock:
            links = list(self._links.get(app_id, []))
        if not links:
            raise DeliveryFailure("connection_failed", "no Socket Mode connection (is the app running?)")
        link = links[next(self._rr) % len(links)]
        envelope_id = str(uuid.uuid4())
        waiter = _Waiter(link)
        with self._lock:
            self._waiters[envelope_id] = waiter
        envelope = {
            "envelope_id": envelope_id,
            "payload": payload,
            "type": kind,
            "accepts_response_payload": kind in ACCEPTS_RESPONSE,
            "retry_attempt": retry_attempt,
            "retry_reason": retry_reason,
        }
        try:
            link.send_json(envelope)
        except DeliveryFailure:
            with self._lock:
                self._waiters.pop(envelope_id, None)
            self._forget(link)
            raise
        if not waiter.done.wait(timeout):
            with self._lock:
                self._waiters.pop(envelope_id, None)
            if link.stalled():  # not reading: drop it, so the retry goes to another connection
                link.cut()
                self._forget(link)
            raise DeliveryFailure("timeout", f"no ack within {timeout:g} s")
        if waiter.closed:
            raise DeliveryFailure("connection_failed", "the connection closed before the ack")
        return waiter.payload
