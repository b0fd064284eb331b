"""Delivery over HTTP: the request Slack sends to an app's request URL for each kind, signed (v0) as Slack signs.

Events go as JSON to the Event Subscriptions URL, slash commands as form fields to the command's URL, interactions
as a form with one `payload` field (JSON) to the Interactivity URL. Retries carry X-Slack-Retry-Num and
X-Slack-Retry-Reason; an answer with X-Slack-No-Retry: 1 stops them.
"""

from __future__ import annotations

import json
import secrets
import time
import urllib.parse
from typing import TYPE_CHECKING, Any

from slackctl.emulator.delivery import subscriptions
from slackctl.emulator.delivery.outbound import DeliveryFailure, check_destination, post
from slackctl.slack import signing

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator

USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"


def request_url(app: dict[str, Any], kind: str, payload: dict[str, Any]) -> str | None:
    if kind == "events_api":
        return subscriptions.events_url(app)
    if kind == "slash_commands":
        cmd = subscriptions.slash_command(app, str(payload.get("command") or ""))
        return (cmd or {}).get("url") or None
    return subscriptions.interactivity_url(app)


def encode(kind: str, payload: dict[str, Any]) -> tuple[bytes, str]:
    if kind == "events_api":
        return json.dumps(payload, separators=(",", ":")).encode(), "application/json"
    if kind == "slash_commands":
        return urllib.parse.urlencode(
            {k: "" if v is None else str(v) for k, v in payload.items()}
        ).encode(), "application/x-www-form-urlencoded"
    body = urllib.parse.urlencode({"payload": json.dumps(payload, separators=(",", ":"))}).encode()
    return body, "application/x-www-form-urlencoded"


def signed_headers(secret: str, body: bytes, content_type: str) -> dict[str, str]:
    # Real time, not the emulator's clock: the app checks the timestamp against its own clock (replay window).
    return {
        "Content-Type": content_type,
        "User-Agent": USER_AGENT,
        **signing.headers(secret, body, timestamp=int(time.time())),
    }


def parse_answer(body: bytes, content_type: str) -> Any:
    """An app's answer: JSON when it is JSON, else its text (a slash command may answer plain text)."""
    text = body.decode("utf-8", "replace")
    if not text.strip():
        return None
    if "json" in content_type or text.lstrip().startswith(("{", "[")):
        try:
            return json.loads(text)
        except ValueError:
            pass
    return text


def send(
    emu: Emulator,
    app: dict[str, Any],
    kind: str,
    payload: dict[str, Any],
    *,
    retry_num: int,
    retry_reason: str,
    timeout: float,
) -> tuple[int, Any, bool]:
    """(status, parsed answer, no_retry) of one attempt; DeliveryFailure when there is no answer."""
    url = request_url(app, kind, payload)
    if not url:
        what = {
            "events_api": "an Event Subscriptions request_url",
            "slash_commands": f"a url for {payload.get('command')}",
            "interactive": "an Interactivity request_url",
        }[kind]
        raise DeliveryFailure("no_request_url", f"the app's manifest has no {what} (and Socket Mode is off)")
    check_destination(url, emu.allow_public_delivery)
    body, ctype = encode(kind, payload)
    headers = signed_headers(app["signing_secret"], body, ctype)
    if retry_num:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = retry_reason
    answer = post(url, body, headers, timeout)
    no_retry = answer.headers.get("x-slack-no-retry", "") == "1"
    return answer.status, parse_answer(answer.body, answer.headers.get("content-type", "")), no_retry


def verify_url(emu: Emulator, app_id: str, url: str, timeout: float) -> tuple[bool, str]:
    """Send url_verification to URL; (ok, detail). The app must echo the challenge."""
    with emu.world.lock:
        app = dict(emu.world.apps[app_id])
    check_destination(url, emu.allow_public_delivery)
    challenge = secrets.token_urlsafe(24)
    payload = {"token": app["verification_token"], "challenge": challenge, "type": "url_verification"}
    body, ctype = encode("events_api", payload)
    answer = post(url, body, signed_headers(app["signing_secret"], body, ctype), timeout)
    if not 200 <= answer.status < 300:
        return False, f"the URL answered HTTP {answer.status}"
    got = parse_answer(answer.body, answer.headers.get("content-type", ""))
    value = got.get("challenge") if isinstance(got, dict) else got
    if value != challenge:
        return False, "the URL did not answer with the challenge"
    return True, "challenge echoed"
