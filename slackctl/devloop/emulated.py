"""An emulator's apps as a child process sees them: which app, its tokens and signing secret, the proxy env.

The emulator is reached over its /_emulator/ control surface (loopback only), so this works for an emulator in
this process (`run --emulator`) and for one started elsewhere (`emulator start`, then `emulator exec`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from slackctl import settings
from slackctl.errors import NetworkError, UsageError

CONTROL_TIMEOUT = 10.0


@dataclass(frozen=True)
class EmulatedApp:
    app_id: str
    name: str
    bot_token: str
    app_token: str
    signing_secret: str

    def environment(self) -> dict[str, str]:
        return {
            settings.ENV_BOT_TOKEN: self.bot_token,
            settings.ENV_APP_TOKEN: self.app_token,
            settings.ENV_SIGNING_SECRET: self.signing_secret,
        }

    @property
    def secrets(self) -> list[str]:
        return [self.bot_token, self.app_token, self.signing_secret]


def control(url: str, path: str, body: dict[str, Any] | None = None, *, ca_file: str | None = None) -> Any:
    """One call to the emulator's control surface; None for 404 (an older emulator without that endpoint)."""
    from slackctl.slack.transport import request

    data = json.dumps(body).encode() if body is not None else None
    try:
        # The control surface is on loopback: never send it through a proxy from the environment.
        resp = request(
            "POST" if data is not None else "GET",
            f"{url.rstrip('/')}/_emulator/{path}",
            headers={"Content-Type": "application/json"} if data else {},
            body=data,
            timeout=CONTROL_TIMEOUT,
            ca_bundle=ca_file,
            trust_env=False,
            what="the emulator's control surface",
            repeatable=data is None,
        )
    except NetworkError as exc:
        raise NetworkError(
            f"no slackctl emulator answers at {url} ({exc.message})",
            "start one (slackctl emulator start) and pass its URL with --slack-url",
        ) from None
    if resp.status_code == 404:
        return None
    try:
        if resp.status_code >= 400:
            raise ValueError(resp.status_code)
        return json.loads(resp.content)
    except ValueError:
        raise NetworkError(
            f"the emulator at {url} answered {resp.status_code} to /_emulator/{path}",
            "is that a slackctl emulator? start one: slackctl emulator start",
        ) from None


def find_app(url: str, wanted: str | None, *, ca_file: str | None = None) -> EmulatedApp:
    """APP (an id or a name); by default the app installed from a manifest, else the emulator's default app."""
    listed = control(url, "apps", ca_file=ca_file)
    apps = listed.get("apps", []) if isinstance(listed, dict) else (listed if isinstance(listed, list) else [])
    info = control(url, "info", ca_file=ca_file) or {}
    default_id = str((info.get("default_app") or {}).get("app_id", ""))
    if wanted:
        chosen = next((a for a in apps if wanted in (a.get("app_id"), a.get("name"))), None)
        if chosen is None and wanted != default_id:
            names = ", ".join(f"{a.get('app_id')} ({a.get('name')})" for a in apps) or "only the default app"
            raise UsageError(
                f"the emulator has no app '{wanted}' (apps: {names})",
                "install one with: slackctl emulator start --manifest manifest.json",
            )
    else:
        installed = [a for a in apps if a.get("app_id") != default_id]
        chosen = installed[0] if installed else next((a for a in apps if a.get("app_id") == default_id), None)
    if chosen and chosen.get("bot_token") and chosen.get("app_token"):
        return EmulatedApp(
            str(chosen["app_id"]),
            str(chosen.get("name", "")),
            str(chosen["bot_token"]),
            str(chosen["app_token"]),
            str(chosen.get("signing_secret", "")),
        )
    app = chosen or info.get("default_app") or {}
    app_id = str(app.get("app_id") or default_id)
    bot = control(url, "tokens", {"kind": "bot", "app_id": app_id}, ca_file=ca_file) or {}
    app_token = control(url, "tokens", {"kind": "app", "app_id": app_id}, ca_file=ca_file) or {}
    secret = str(app.get("signing_secret") or (info.get("default_app") or {}).get("signing_secret", ""))
    if not bot.get("token") or not app_token.get("token"):
        raise UsageError(f"the emulator at {url} would not mint tokens for app {app_id}", "restart the emulator")
    return EmulatedApp(app_id, str(app.get("name", "")), str(bot["token"]), str(app_token["token"]), secret)


TOKEN_KINDS = ("config", "bot", "user", "app")


def token(url: str, kind: str, app_ref: str | None, *, ca_file: str | None = None) -> dict[str, Any]:
    """A token of the running emulator: APP's bot or app-level token as installed (find_app's choice of app), a
    fresh user token (of ada, for APP) or a fresh app configuration token (with its refresh token)."""
    if kind not in TOKEN_KINDS:
        raise UsageError(f"unknown --kind '{kind}'", "use one of: " + ", ".join(TOKEN_KINDS))
    app = find_app(url, app_ref, ca_file=ca_file)
    out: dict[str, Any] = {"kind": kind, "app_id": app.app_id, "app": app.name}
    if kind in ("bot", "app"):
        return {**out, "token": app.bot_token if kind == "bot" else app.app_token}
    minted = control(url, "tokens", {"kind": kind, "app_id": app.app_id}, ca_file=ca_file) or {}
    if not minted.get("token"):
        raise UsageError(f"the emulator at {url} would not mint a {kind} token", "restart the emulator")
    if kind == "config":
        del out["app_id"], out["app"]  # a configuration token is the workspace member's, for every app
    keys = ("token", "user_id", "team_id", "scopes", "refresh_token", "expires_in")
    return {**out, **{k: minted[k] for k in keys if k in minted}}
