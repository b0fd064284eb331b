"""response_url: the URL a slash command or a message interaction hands the app for answering later.

Served by the emulator at /commands/TEAM/ID/SECRET and /actions/TEAM/ID/SECRET (Slack's live at hooks.slack.com);
valid 30 minutes and 5 uses. A JSON body with text/blocks and response_type ephemeral (default, shown to the user
only) or in_channel (posted by the app's bot), or replace_original / delete_original for the message the
interaction came from.
"""

from __future__ import annotations

import json
import secrets
from typing import TYPE_CHECKING, Any

from slackctl.emulator.httpd import Request, Response
from slackctl.emulator.webapi.inproc import app_api
from slackctl.emulator.world import ephemeral

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator

LIFETIME = 30 * 60.0
MAX_USES = 5


def mint(
    emu: Emulator,
    *,
    kind: str,
    app_id: str,
    channel_id: str,
    user_id: str,
    message_ts: str | None = None,
    is_ephemeral: bool = False,
) -> str:
    """A new response_url (KIND "commands" or "actions") for APP answering USER in CHANNEL."""
    rid, secret = f"{secrets.randbelow(10**13):013d}", secrets.token_urlsafe(18)
    with emu.world.lock:
        emu.world.response_urls[f"{rid}/{secret}"] = {
            "app_id": app_id,
            "channel_id": channel_id,
            "user_id": user_id,
            "message_ts": message_ts,
            "is_ephemeral": is_ephemeral,
            "uses": 0,
            "expires_at": emu.world.now() + LIFETIME,
        }
    return f"{emu.url}/{kind}/{emu.world.team['id']}/{rid}/{secret}"


def is_response_path(path: str) -> bool:
    return path.startswith(("/commands/", "/actions/"))


def log_path(path: str) -> str:
    """A response_url as the request log shows it: like a webhook, its last part is the secret."""
    return path.rsplit("/", 1)[0] + "/REDACTED"


def handle(emu: Emulator, req: Request) -> Response:
    parts = req.path.strip("/").split("/")
    key = "/".join(parts[2:4]) if len(parts) == 4 else ""
    with emu.world.lock:
        rec = emu.world.response_urls.get(key)
        if rec is None:
            return Response.json({"ok": False, "error": "no_service"}, 404)
        if emu.world.now() > rec["expires_at"]:
            return Response.json({"ok": False, "error": "expired_url"}, 404)
        if rec["uses"] >= MAX_USES:
            return Response.json({"ok": False, "error": "used_url"}, 404)
        if req.http_method != "POST":
            return Response.json({"ok": False, "error": "invalid_method"}, 405)
        rec["uses"] += 1
        rec = dict(rec)
    try:
        body = json.loads(req.body() or b"{}")
        if not isinstance(body, dict):
            raise ValueError("not an object")
    except ValueError:
        return Response.json({"ok": False, "error": "invalid_payload"}, 400)
    error = answer(emu, rec, body)
    if error:
        return Response.json({"ok": False, "error": error}, 400 if error != "no_text" else 400)
    return Response.json({"ok": True})


def answer(emu: Emulator, rec: dict[str, Any], body: dict[str, Any]) -> str | None:
    """Apply a response (from a response_url POST or a command's immediate answer); an error code or None."""
    app = emu.world.apps.get(rec["app_id"])
    if app is None:
        return "no_service"
    fields = {k: body[k] for k in ("text", "blocks", "attachments", "thread_ts") if body.get(k) not in (None, "")}
    truthy = ("true", "1", True)
    if body.get("delete_original") in truthy:
        if rec["is_ephemeral"]:
            ephemeral.replace_last(emu, rec["channel_id"], rec["user_id"], None)
            emu.bus.publish("ephemeral_changed", channel_id=rec["channel_id"], user=rec["user_id"])
            return None
        if rec["message_ts"]:
            app_api(emu, app, "chat.delete", channel=rec["channel_id"], ts=rec["message_ts"])
        return None
    if not fields:
        return "no_text"
    if body.get("replace_original") in truthy and (rec["message_ts"] or rec["is_ephemeral"]):
        if rec["is_ephemeral"]:
            ephemeral.replace_last(
                emu, rec["channel_id"], rec["user_id"], {**fields, "user": app["bot_user_id"], "bot_id": app["bot_id"]}
            )
            emu.bus.publish("ephemeral_changed", channel_id=rec["channel_id"], user=rec["user_id"])
            return None
        app_api(
            emu,
            app,
            "chat.update",
            channel=rec["channel_id"],
            ts=rec["message_ts"],
            **{k: v for k, v in fields.items() if k != "thread_ts"},
        )
        return None
    if body.get("response_type") == "in_channel":
        app_api(emu, app, "chat.postMessage", channel=rec["channel_id"], **fields)
        return None
    shown = ephemeral.add(
        emu,
        rec["channel_id"],
        rec["user_id"],
        {**fields, "user": app["bot_user_id"], "bot_id": app["bot_id"], "app_id": app["app_id"]},
    )
    emu.bus.publish("ephemeral_posted", channel_id=rec["channel_id"], user=rec["user_id"], message=shown)
    return None
