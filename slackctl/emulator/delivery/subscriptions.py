"""What an installed app receives, read from its manifest at delivery time (so apps.manifest.update takes effect at
once): bot events, request URLs, slash commands, shortcuts, interactivity, Socket Mode, App Home."""

from __future__ import annotations

from typing import Any


def manifest(app: dict[str, Any]) -> dict[str, Any]:
    return app.get("manifest") or {}


def _settings(app: dict[str, Any]) -> dict[str, Any]:
    return manifest(app).get("settings") or {}


def _features(app: dict[str, Any]) -> dict[str, Any]:
    return manifest(app).get("features") or {}


def socket_mode(app: dict[str, Any]) -> bool:
    return bool(_settings(app).get("socket_mode_enabled"))


def bot_events(app: dict[str, Any]) -> set[str]:
    subs = _settings(app).get("event_subscriptions") or {}
    return {str(e) for e in subs.get("bot_events") or []}


def events_url(app: dict[str, Any]) -> str | None:
    return (_settings(app).get("event_subscriptions") or {}).get("request_url") or None


def interactivity(app: dict[str, Any]) -> dict[str, Any] | None:
    inter = _settings(app).get("interactivity") or {}
    return inter if inter.get("is_enabled") else None


def interactivity_url(app: dict[str, Any]) -> str | None:
    return (interactivity(app) or {}).get("request_url") or None


def slash_command(app: dict[str, Any], name: str) -> dict[str, Any] | None:
    for cmd in _features(app).get("slash_commands") or []:
        if cmd.get("command") == name:
            return cmd
    return None


def shortcut(app: dict[str, Any], callback_id: str) -> dict[str, Any] | None:
    for sc in _features(app).get("shortcuts") or []:
        if sc.get("callback_id") == callback_id:
            return sc
    return None


def home_tab_enabled(app: dict[str, Any]) -> bool:
    return bool((_features(app).get("app_home") or {}).get("home_tab_enabled"))
