"""Incoming webhooks of the emulator: minting hooks for apps that declare `incoming-webhook`, and serving
POST /services/T…/B…/SECRET with Slack's plain-text answers (`ok`, `no_text`, `channel_is_archived`, …)."""

from __future__ import annotations

import json
import urllib.parse
from typing import TYPE_CHECKING, Any

from slackctl.emulator import ids
from slackctl.emulator.httpd import Request, Response
from slackctl.emulator.world.state import DEFAULT_APP_ID

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator

SCOPE = "incoming-webhook"
PATH_PREFIX = "/services/"
MAX_ATTACHMENTS = 100
MAX_TEXT = 40000
# Slack's HTTP status for each plain-text answer of an incoming webhook.
STATUS = {
    "ok": 200,
    "invalid_payload": 400,
    "no_text": 400,
    "too_many_attachments": 400,
    "no_service": 404,
    "channel_not_found": 404,
    "channel_is_archived": 410,
    "action_prohibited": 403,
    "rollup_error": 500,
}


class _Answer(Exception):
    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


def mint(
    emu: Emulator, channel: str, app: str | None = None, answer: str | None = None, answer_count: int = 1
) -> dict[str, Any]:
    """A new hook posting into `channel` as `app` (which must declare the incoming-webhook scope).

    `answer` makes the hook answer that error the next `answer_count` times: a test switch for answers the
    emulator has no state for (action_prohibited, rollup_error)."""
    if answer is not None and answer not in STATUS:
        raise ValueError(f"unknown webhook answer {answer!r}: one of {', '.join(sorted(STATUS))}")
    world = emu.world
    with world.lock:
        record = world.apps.get(app or DEFAULT_APP_ID)
        if record is None:
            raise ValueError(f"unknown app {app!r}")
        if SCOPE not in record["bot_scopes"]:
            raise ValueError(
                f"app {record['app_id']} does not declare the {SCOPE} scope; create it with "
                f"bot_scopes including {SCOPE!r}"
            )
        ch = world.find_channel(channel)
        if ch is None:
            raise ValueError(f"no channel {channel!r}")
        hook_id = ids.slack_id("B")
        secret = ids.alnum(24)
        path = f"{PATH_PREFIX}{world.team['id']}/{hook_id}/{secret}"
        world.webhooks[path] = {
            "channel_id": ch["id"],
            "channel": f"#{ch['name']}",
            "app_id": record["app_id"],
            "hook_id": hook_id,
            "answer": answer,
            "answer_count": int(answer_count),
        }
    return {
        "url": f"{emu.url}{path}",
        "channel": f"#{ch['name']}",
        "channel_id": ch["id"],
        "app_id": record["app_id"],
        "configuration_url": f"{emu.url}/services/{hook_id}",
    }


def incoming_webhook(emu: Emulator, app_id: str, channel: str | None = None) -> dict[str, Any]:
    """What oauth.v2.access returns as `incoming_webhook` for an app with the scope (default channel #general)."""
    hook = mint(emu, channel or "general", app_id)
    return {
        "channel": hook["channel"],
        "channel_id": hook["channel_id"],
        "configuration_url": hook["configuration_url"],
        "url": hook["url"],
    }


def log_path(path: str) -> str:
    """The path as the request log shows it: the hook's secret masked (it is the credential)."""
    head, _, _ = path.rpartition("/")
    return f"{head}/…REDACTED" if path.count("/") >= 4 else path


def handle(emu: Emulator, req: Request) -> Response:
    if req.http_method != "POST":
        return Response.text("invalid_method", 405)
    try:
        message, channel_id = _accept(emu, req)
    except _Answer as exc:
        resp = Response.text(exc.error, STATUS.get(exc.error, 400))
    else:
        with emu.world.lock:
            emu.world.post(channel_id, message)
        resp = Response.text("ok")
    try:  # the request log shows the payload (not a secret; the URL is)
        resp.log_body = _payload(req)
    except _Answer:
        pass
    return resp


def _accept(emu: Emulator, req: Request) -> tuple[dict[str, Any], str]:
    world = emu.world
    with world.lock:
        hook = world.webhooks.get(req.path)
        if hook is None:
            raise _Answer("no_service")
        if hook.get("answer") and hook.get("answer_count", 0) > 0:
            hook["answer_count"] -= 1
            raise _Answer(hook["answer"])
        app = world.apps.get(hook["app_id"])
        if app is None:
            raise _Answer("no_service")
        channel = world.channels.get(hook["channel_id"])
        if channel is None:
            raise _Answer("channel_not_found")
        if channel["is_archived"]:
            raise _Answer("channel_is_archived")
    payload = _payload(req)
    message = _message(payload)
    message.update(
        {"bot_id": app["bot_id"], "app_id": app["app_id"], "user": app["bot_user_id"], "subtype": "bot_message"}
    )
    return message, hook["channel_id"]


def _payload(req: Request) -> dict[str, Any]:
    raw = req.body()
    ctype = req.content_type.split(";", 1)[0].strip().lower()
    try:
        if ctype == "application/x-www-form-urlencoded":
            form = dict(urllib.parse.parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
            raw = form.get("payload", "").encode()
        data = json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        raise _Answer("invalid_payload") from None
    if not isinstance(data, dict):
        raise _Answer("invalid_payload")
    return data


def _message(payload: dict[str, Any]) -> dict[str, Any]:
    text = payload.get("text")
    blocks = payload.get("blocks")
    attachments = payload.get("attachments")
    if text is not None and not isinstance(text, str):
        raise _Answer("invalid_payload")
    if blocks is not None and (
        not isinstance(blocks, list) or not all(isinstance(b, dict) and isinstance(b.get("type"), str) for b in blocks)
    ):
        raise _Answer("invalid_payload")
    if attachments is not None and not isinstance(attachments, list):
        raise _Answer("invalid_payload")
    if attachments and len(attachments) > MAX_ATTACHMENTS:
        raise _Answer("too_many_attachments")
    if not text and not blocks and not attachments:
        raise _Answer("no_text")
    if text and len(text) > MAX_TEXT:
        raise _Answer("invalid_payload")
    message: dict[str, Any] = {"text": text or ""}
    if blocks:
        message["blocks"] = blocks
    if attachments:
        message["attachments"] = attachments
    for key in ("thread_ts", "username", "icon_emoji", "icon_url"):
        if isinstance(payload.get(key), str):
            message[key] = payload[key]
    return message
