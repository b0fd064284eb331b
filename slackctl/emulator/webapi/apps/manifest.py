"""Web API: apps.manifest.* (configuration tokens). Created apps are real emulator apps: their credentials
work for OAuth at once, with redirect URLs, PKCE and token rotation taken from the manifest. Manifests are
checked by the one validator slackctl has (slackctl.slack.manifest, Slack's published schema)."""

from __future__ import annotations

import urllib.parse
from typing import Any

from slackctl.emulator.webapi.registry import ApiError, Call, method

CONFIG = {"config": ["app_configurations:write"]}
CONFIG_READ = {"config": ["app_configurations:read", "app_configurations:write"]}


def validate_manifest(manifest: Any) -> list[dict[str, str]]:
    """Each problem as Slack's apps.manifest.validate gives it ({message, pointer}); the same validator and
    the same packaged schema as `slackctl manifest validate` (slackctl.slack.manifest)."""
    from slackctl.slack.manifest import validate_manifest as check

    return [{"message": p.message, "pointer": p.pointer or "/"} for p in check(manifest)]


def manifest_arg(call: Call, app: dict[str, Any] | None = None) -> dict[str, Any]:
    manifest = call.json_arg("manifest", required=True)
    errors = validate_manifest(manifest)
    if not errors and app is not None:
        errors = change_problems(app, manifest)
    if errors:
        raise ApiError("invalid_manifest", errors=errors)
    return manifest


def change_problems(app: dict[str, Any], manifest: dict[str, Any]) -> list[dict[str, str]]:
    """What Slack refuses for an existing app although the schema allows it (validate with app_id, update)."""
    rotation = bool((manifest.get("settings") or {}).get("token_rotation_enabled", False))
    if app["token_rotation"] and not rotation:
        return [
            {
                "message": "token rotation cannot be turned off once enabled",
                "pointer": "/settings/token_rotation_enabled",
            }
        ]
    return []


def app_settings(manifest: dict[str, Any]) -> dict[str, Any]:
    oauth = manifest.get("oauth_config", {})
    scopes = oauth.get("scopes", {})
    return {
        "name": manifest["display_information"]["name"],
        "redirect_urls": list(oauth.get("redirect_urls", [])),
        "pkce_enabled": bool(oauth.get("pkce_enabled", False)),
        "token_rotation": bool(manifest.get("settings", {}).get("token_rotation_enabled", False)),
        "bot_scopes": list(scopes.get("bot", [])),
        "user_scopes": list(scopes.get("user", [])),
    }


def manifest_of(app: dict[str, Any]) -> dict[str, Any]:
    if app.get("manifest"):
        return app["manifest"]
    return {
        "display_information": {"name": app["name"]},
        "features": {"bot_user": {"display_name": app["name"], "always_online": False}},
        "oauth_config": {
            "redirect_urls": app["redirect_urls"],
            "pkce_enabled": app["pkce_enabled"],
            "scopes": {"bot": app["bot_scopes"], "user": app["user_scopes"]},
        },
        "settings": {
            "token_rotation_enabled": app["token_rotation"],
            "org_deploy_enabled": False,
            "socket_mode_enabled": False,
        },
    }


def app_arg(call: Call) -> dict[str, Any]:
    app_id = call.arg("app_id", required=True, error="invalid_app_id") or ""
    if not app_id.startswith("A"):
        raise ApiError("invalid_app_id")
    app = call.world.apps.get(app_id)
    if app is None:
        raise ApiError("app_not_found")
    return app


def authorize_url(call: Call, app: dict[str, Any]) -> str:
    params = {
        "client_id": app["client_id"],
        "scope": ",".join(app["bot_scopes"]),
        "user_scope": ",".join(app["user_scopes"]),
    }
    return f"{call.emu.url}/oauth/v2/authorize?" + urllib.parse.urlencode(params)


@method("apps.manifest.validate", kinds=("config",), scopes=CONFIG)
def apps_manifest_validate(call: Call) -> dict[str, Any]:
    manifest_arg(call, app_arg(call) if call.arg("app_id") else None)
    return {}


@method("apps.manifest.create", kinds=("config",), scopes=CONFIG)
def apps_manifest_create(call: Call) -> dict[str, Any]:
    manifest = manifest_arg(call)
    app = call.world.create_app(manifest=manifest, **app_settings(manifest))
    from slackctl.emulator.world import appinstall  # E1: installed like `emulator start --manifest` (tokens, bot user)

    appinstall.install(call.emu, app)
    return {
        "app_id": app["app_id"],
        "credentials": {
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "verification_token": app["verification_token"],
            "signing_secret": app["signing_secret"],
        },
        "oauth_authorize_url": authorize_url(call, app),
    }


@method("apps.manifest.update", kinds=("config",), scopes=CONFIG)
def apps_manifest_update(call: Call) -> dict[str, Any]:
    app = app_arg(call)
    manifest = manifest_arg(call, app)
    settings = app_settings(manifest)
    changed = (sorted(settings["bot_scopes"]), sorted(settings["user_scopes"])) != (
        sorted(app["bot_scopes"]),
        sorted(app["user_scopes"]),
    )
    settings["pkce_enabled"] = settings["pkce_enabled"] or app["pkce_enabled"]  # PKCE cannot be undone
    app.update(settings, manifest=manifest)
    from slackctl.emulator.world import appinstall  # E1: a changed request URL is verified again, as on Slack

    appinstall.changed(call.emu, app)
    return {"app_id": app["app_id"], "permissions_updated": changed}


@method("apps.manifest.export", kinds=("config",), scopes=CONFIG_READ)
def apps_manifest_export(call: Call) -> dict[str, Any]:
    return {"manifest": manifest_of(app_arg(call))}


@method("apps.manifest.delete", kinds=("config",), scopes=CONFIG)
def apps_manifest_delete(call: Call) -> dict[str, Any]:
    app = app_arg(call)
    del call.world.apps[app["app_id"]]
    for rec in call.world.tokens.values():
        if rec["app_id"] == app["app_id"]:
            rec["revoked"] = True
    return {}
