"""Web API: apps.uninstall — the app removes itself from the workspace: every token it holds stops working."""

from __future__ import annotations

import hmac
from typing import Any

from slackctl.emulator.webapi.registry import ApiError, Call, method


@method("apps.uninstall", auth=False)
def apps_uninstall(call: Call) -> dict[str, Any]:
    client_id = call.arg("client_id", required=True, error="invalid_client_id") or ""
    secret = call.arg("client_secret", required=True, error="bad_client_secret") or ""
    app = next((a for a in call.world.apps.values() if a["client_id"] == client_id), None)
    if app is None:
        raise ApiError("invalid_client_id")
    if not hmac.compare_digest(app["client_secret"], secret):
        raise ApiError("bad_client_secret")
    for record in call.world.tokens.values():
        if record["app_id"] == app["app_id"] and record["kind"] in ("bot", "user", "app"):
            record["revoked"] = True
    call.publish("app_uninstalled", app_id=app["app_id"])
    return {}
