"""The web UI's routes: the page at / (for browsers; other clients keep the JSON summary), its static files under
/_ui/, a secret-free workspace summary and the live-update stream (server-sent events from emu.bus).

Everything the page *does* goes through the control surface's POST /_emulator/drive/VERB (the same driver the CLI
and the tests use), so this module only serves and describes; it builds no payloads.

Served behind the control surface's gate (loopback clients, a loopback Host so a DNS-rebinding page cannot reach
it, no foreign Origin), with a Content-Security-Policy that allows nothing but this origin's own files.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING, Any

from slackctl.emulator.delivery import subscriptions
from slackctl.emulator.httpd import Response
from slackctl.emulator.webui.streams import MAX_STREAMS, SEND_BUFFER, WRITE_TIMEOUT

if TYPE_CHECKING:
    from slackctl.emulator.httpd import Request
    from slackctl.emulator.server import Emulator

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
STATIC = {
    "app.css": "text/css; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "blockkit.js": "text/javascript; charset=utf-8",
}
MAX_LISTED = 500  # users / channels in the summary: a seeded workspace of a million users stays a small page


def wants_page(req: Request) -> bool:
    """GET / from a browser (Accept: text/html); curl, httpx and the tests keep getting the JSON summary."""
    return req.path == "/" and req.http_method in ("GET", "HEAD") and "text/html" in req.header("Accept")


def handles(req: Request) -> bool:
    return req.path.startswith("/_ui/") or wants_page(req)


def _with_headers(resp: Response) -> Response:
    resp.headers.update(SECURITY_HEADERS)
    return resp


def _static(name: str) -> bytes:
    return resources.files("slackctl.emulator.webui").joinpath(name).read_bytes()


def handle(emu: Emulator, req: Request) -> Response:
    from slackctl.emulator import control

    refused = control.gate(emu, req, "ui")  # the control surface's own checks: one implementation
    if refused is not None:
        return _with_headers(refused)
    path = req.path
    if path == "/" or path == "/_ui/":
        return _with_headers(Response(200, _static("index.html"), "text/html; charset=utf-8"))
    if req.http_method not in ("GET", "HEAD"):
        return _with_headers(
            Response.json(
                {"ok": False, "error": "the UI's own routes are read-only: actions go to POST /_emulator/drive/VERB"},
                405,
            )
        )
    name = path[len("/_ui/") :]
    if name in STATIC:
        return _with_headers(Response(200, _static(name), STATIC[name]))
    if name == "workspace":
        return _with_headers(Response.json({"ok": True, **summary(emu, req.query.get("user") or None)}))
    if name == "events":
        stream = emu.ui_streams.open()
        if stream is None:
            return _with_headers(
                Response.json(
                    {
                        "ok": False,
                        "error": f"too many open live-update streams (at most "
                        f"{MAX_STREAMS}): close some tabs of the web UI",
                    },
                    503,
                )
            )
        resp = Response.streaming(
            emu.ui_streams.frames(stream, lambda: emu.stopped), "text/event-stream; charset=utf-8"
        )
        resp.stream_write_timeout, resp.stream_send_buffer = WRITE_TIMEOUT, SEND_BUFFER
        return _with_headers(resp)
    return _with_headers(Response.json({"ok": False, "error": f"no UI file {path}"}, 404))


# ---- the workspace summary -------------------------------------------------------------------------------------
def _app_summary(app: dict[str, Any]) -> dict[str, Any]:
    features = subscriptions.manifest(app).get("features") or {}
    commands = [
        {"command": c.get("command"), "description": c.get("description", ""), "usage_hint": c.get("usage_hint", "")}
        for c in features.get("slash_commands") or []
    ]
    shortcuts = [
        {"callback_id": s.get("callback_id"), "name": s.get("name", ""), "type": s.get("type", "")}
        for s in features.get("shortcuts") or []
    ]
    return {
        "app_id": app["app_id"],
        "name": app["name"],
        "bot_user_id": app.get("bot_user_id"),
        "bot_id": app.get("bot_id"),
        "commands": commands,
        "shortcuts": shortcuts,
        "home_tab": subscriptions.home_tab_enabled(app) or "app_home_opened" in subscriptions.bot_events(app),
    }


def summary(emu: Emulator, user_id: str | None) -> dict[str, Any]:
    """Who is in the workspace, which conversations USER sees, and the apps' commands and shortcuts — no tokens,
    secrets or message bodies."""
    world = emu.world
    with world.lock:
        users = [world.users[uid] for uid in world.user_order[:MAX_LISTED]]
        people = [
            {"id": u["id"], "name": u["name"], "real_name": u.get("real_name", ""), "is_bot": bool(u.get("is_bot"))}
            for u in users
            if not u.get("deleted")
        ]
        humans = [p for p in people if not p["is_bot"]]
        wanted = next((p["id"] for p in humans if user_id in (p["id"], p["name"])), None)  # an id or a name
        fallback = next((p["id"] for p in humans if p["name"] == "ada"), humans[0]["id"] if humans else None)
        me = wanted or fallback
        channels, dms = [], []
        for cid in world.channel_order:
            ch = world.channels[cid]
            if ch.get("is_archived"):
                continue
            member = me in ch.get("members", [])
            if ch.get("is_im") or ch.get("is_mpim"):
                if member:
                    others = [m for m in ch["members"] if m != me] or [me]
                    names = [(world.get_user(m) or {}).get("name", m) for m in others]
                    dms.append({"id": cid, "name": ", ".join(names), "is_im": bool(ch.get("is_im"))})
            elif not ch.get("is_private") or member:
                channels.append(
                    {"id": cid, "name": ch["name"], "is_private": bool(ch.get("is_private")), "member": member}
                )
            if len(channels) >= MAX_LISTED:
                break
        apps = [_app_summary(a) for a in world.apps.values()]
        # Link triggers to click (their shortcut_url carries a secret: only ids and names here).
        triggers = [
            {"id": t["id"], "name": t["name"], "app_id": t["app_id"], "workflow": t["callback_id"]}
            for t in world.workflow_triggers.values()
            if t["type"] == "shortcut"
        ][:MAX_LISTED]
        return {
            "team": dict(world.team),
            "me": me,
            "users": people,
            "channels": channels,
            "dms": dms[:MAX_LISTED],
            "apps": apps,
            "triggers": triggers,
        }
