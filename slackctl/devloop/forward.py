"""`slackctl events forward`: hold a Socket Mode connection and relay each envelope to a URL as the HTTP request
Slack would have sent (events as JSON; slash commands and interactions form-encoded), signed with the app's
signing secret. A 2xx answer acknowledges the envelope, its body becoming the ack payload where Slack accepts one;
anything else is left unacknowledged, so Slack (or the emulator) retries it, as it would over HTTP.

Library code: deliveries and connection news are reported through callbacks; nothing is printed.
"""

from __future__ import annotations

import dataclasses
import json
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from slackctl.emulator.delivery.outbound import DeliveryFailure, post
from slackctl.slack import signing

# Slack gives an app 3 seconds to answer; an app slower than that would be retried by Slack too.
APP_TIMEOUT = 3.0
USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"
RECONNECT_MAX_DELAY = 30.0
RECV_POLL = 0.5
WORKERS = 8  # envelopes relayed at once (a slow handler must not hold up the others)


@dataclass(frozen=True)
class Delivery:
    """One relayed envelope."""

    at: float
    kind: str  # events_api, slash_commands, interactive
    type: str  # the event type, the command, or the interaction type
    status: int | None  # the app's HTTP status; None when it could not be reached
    latency_ms: float
    acked: bool
    envelope_id: str
    retry_attempt: int = 0
    error: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.at)),
            "kind": self.kind,
            "type": self.type,
            "status": self.status,
            "latency_ms": round(self.latency_ms, 1),
            "acked": self.acked,
            "envelope_id": self.envelope_id,
            "retry_attempt": self.retry_attempt,
            **({"error": self.error} if self.error else {}),
        }

    def line(self) -> str:
        when = time.strftime("%H:%M:%S", time.localtime(self.at))
        status = str(self.status) if self.status is not None else "---"
        note = f"  ({self.error})" if self.error else ("" if self.acked else "  (not acked: will be retried)")
        retry = f" retry {self.retry_attempt}" if self.retry_attempt else ""
        return f"{when}  {self.kind:<14} {self.type:<22} {status}  {self.latency_ms:7.1f} ms{retry}{note}"


def request_for(envelope: dict[str, Any]) -> tuple[bytes, str]:
    """The body and Content-Type Slack would have POSTed for this envelope."""
    kind, payload = envelope.get("type"), envelope.get("payload") or {}
    if kind == "slash_commands":
        fields = {k: ("true" if v is True else "false" if v is False else str(v)) for k, v in payload.items()}
        return urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
    if kind == "interactive":
        return (
            urllib.parse.urlencode({"payload": json.dumps(payload, separators=(",", ":"))}).encode(),
            "application/x-www-form-urlencoded",
        )
    return json.dumps(payload, separators=(",", ":")).encode(), "application/json"


def describe(envelope: dict[str, Any]) -> str:
    payload = envelope.get("payload") or {}
    kind = envelope.get("type")
    if kind == "events_api":
        return str((payload.get("event") or {}).get("type") or payload.get("type") or "?")
    if kind == "slash_commands":
        return str(payload.get("command") or "?")
    return str(payload.get("type") or "?")


def ack_payload(envelope: dict[str, Any], content_type: str, body: bytes) -> Any:
    """What to put in the ack: the app's JSON answer (or its text, for a command), where Slack takes one."""
    if not envelope.get("accepts_response_payload") or not body.strip():
        return None
    text = body.decode("utf-8", "replace")
    if "json" in content_type.lower() or text.lstrip()[:1] in ("{", "["):
        try:
            return json.loads(text)
        except ValueError:
            pass
    return {"text": text} if envelope.get("type") == "slash_commands" else None


def relay(envelope: dict[str, Any], to: str, secret: str, timeout: float = APP_TIMEOUT) -> tuple[Delivery, Any]:
    """POST one envelope to TO; (what happened, the ack to send or None for no ack)."""
    body, content_type = request_for(envelope)
    headers = {"Content-Type": content_type, "User-Agent": USER_AGENT, **signing.headers(secret, body)}
    attempt = int(envelope.get("retry_attempt") or 0)
    if attempt:
        headers["X-Slack-Retry-Num"] = str(attempt)
        headers["X-Slack-Retry-Reason"] = str(envelope.get("retry_reason") or "timeout")
    started, at = time.monotonic(), time.time()
    envelope_id = str(envelope.get("envelope_id", ""))

    def delivery(status: int | None, acked: bool, error: str = "") -> Delivery:
        return Delivery(
            at=at,
            kind=str(envelope.get("type")),
            type=describe(envelope),
            status=status,
            latency_ms=(time.monotonic() - started) * 1000,
            acked=acked,
            envelope_id=envelope_id,
            retry_attempt=attempt,
            error=error,
        )

    try:
        answer = post(to, body, headers, timeout)
    except DeliveryFailure as exc:
        return delivery(None, False, exc.detail), None
    if not 200 <= answer.status < 300:
        return delivery(answer.status, False), None
    ack: dict[str, Any] = {"envelope_id": envelope_id}
    payload = ack_payload(envelope, answer.headers.get("content-type", ""), answer.body)
    if payload is not None:
        ack["payload"] = payload
    return delivery(answer.status, True), ack


class Forwarder:
    """Connect (apps.connections.open through `open_url`), relay envelopes, reconnect when the link drops or
    Slack asks for it, until `stop` is set."""

    def __init__(
        self,
        *,
        open_url: Callable[[], str],
        to: str,
        secret: str,
        on_delivery: Callable[[Delivery], None],
        on_status: Callable[[str], None],
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.open_url = open_url
        self.to = to
        self.secret = secret
        self.on_delivery = on_delivery
        self.on_status = on_status
        self.ssl_context = ssl_context
        self.stop = threading.Event()
        self._send_lock = threading.Lock()

    def run(self) -> None:
        delay, first = 1.0, True
        with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="slackctl-forward") as pool:
            while not self.stop.is_set():
                try:
                    url = self.open_url()  # errors of the first connection are the caller's (bad token...)
                except Exception as exc:  # noqa: BLE001 - later ones are retried: the network comes back
                    if first:
                        raise
                    self.on_status(f"reconnecting in {delay:g} s: {getattr(exc, 'message', exc)}")
                    self.stop.wait(delay)
                    delay = min(delay * 2, RECONNECT_MAX_DELAY)
                    continue
                first = False
                if self._session(url, pool):
                    delay = 1.0

    def _session(self, url: str, pool: ThreadPoolExecutor) -> bool:
        """One WebSocket connection; True when it was established."""
        from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI
        from websockets.sync.client import connect

        ssl_ctx = self.ssl_context if url.startswith("wss:") else None
        try:
            ws = connect(url, ssl=ssl_ctx, open_timeout=10, close_timeout=2, max_size=None, compression=None)
        except (OSError, InvalidHandshake, InvalidURI, TimeoutError) as exc:
            self.on_status(f"could not connect to Socket Mode: {exc}")
            self.stop.wait(1.0)
            return False
        with ws:
            while not self.stop.is_set():
                try:
                    raw = ws.recv(timeout=RECV_POLL)
                except TimeoutError:
                    continue
                except ConnectionClosed:
                    self.on_status("the Socket Mode connection closed; reconnecting")
                    return True
                try:
                    message = json.loads(raw)
                except ValueError:
                    continue
                kind = message.get("type")
                if kind == "hello":
                    count = message.get("num_connections")
                    self.on_status(
                        f"connected to Socket Mode; forwarding to {self.to}"
                        + (f" ({count} connection{'s' if count != 1 else ''})" if count else "")
                    )
                elif kind == "disconnect":
                    self.on_status(f"Slack asked to reconnect ({message.get('reason', 'no reason')})")
                    return True
                elif message.get("envelope_id"):
                    pool.submit(self._relay_and_ack, ws, message)
        return True

    def _relay_and_ack(self, ws: Any, envelope: dict[str, Any]) -> None:
        delivery, ack = relay(envelope, self.to, self.secret)
        if ack is not None:
            try:
                with self._send_lock:
                    ws.send(json.dumps(ack, separators=(",", ":")))
            except Exception as exc:  # noqa: BLE001 - the link dropped: Slack redelivers the envelope
                delivery = dataclasses.replace(delivery, acked=False, error=f"ack not sent: {exc}")
        self.on_delivery(delivery)
