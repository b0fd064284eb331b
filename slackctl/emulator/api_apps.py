"""Web API: apps.manifest.* (configuration tokens). Created apps are real emulator apps: their credentials
work for OAuth at once, with redirect URLs, PKCE and token rotation taken from the manifest."""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from slackctl.emulator import external  # noqa: F401 - registers apps.auth.external.*
from slackctl.emulator.registry import ApiError, Call, method

CONFIG = {"config": ["app_configurations:write"]}
CONFIG_READ = {"config": ["app_configurations:read", "app_configurations:write"]}
TOP_LEVEL = {"$schema", "_metadata", "display_information", "features", "oauth_config", "settings", "functions",
             "workflows", "datastores", "outgoing_domains", "types", "external_auth_providers",
             "app_directory", "mcp_servers"}
# Known keys of the objects whose shape Slack fixes (no additional properties allowed).
KNOWN_KEYS = {
    "display_information": {"name", "description", "background_color", "long_description"},
    "oauth_config": {"redirect_urls", "scopes", "token_management_enabled", "pkce_enabled"},
    "settings": {"allowed_ip_address_ranges", "event_subscriptions", "incoming_webhooks", "interactivity",
                 "org_deploy_enabled", "socket_mode_enabled", "is_hosted", "token_rotation_enabled",
                 "siws_links", "hermes_app_type", "function_runtime", "is_mcp_enabled"},
    "features": {"app_home", "bot_user", "functions", "shortcuts", "slash_commands", "workflow_steps",
                 "unfurl_domains", "assistant_view", "agent_view"},
}
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_SCOPE = re.compile(r"^[a-z_]+(?:[:.][a-z_.:]+)*$")


def validate_manifest(manifest: Any) -> list[dict[str, str]]:
    """A light structural check; each problem as {message, pointer} (JSON pointer into the manifest)."""
    errors: list[dict[str, str]] = []

    def err(pointer: str, message: str) -> None:
        errors.append({"message": message, "pointer": pointer})

    if not isinstance(manifest, dict):
        err("/", "the manifest must be a JSON object")
        return errors
    for key in sorted(set(manifest) - TOP_LEVEL):
        err(f"/{key}", f"unknown property '{key}'")
    for section, known in KNOWN_KEYS.items():
        value = manifest.get(section)
        if isinstance(value, dict):
            for key in sorted(set(value) - known):
                err(f"/{section}/{key}", f"unknown property '{key}' in {section}")
    info = manifest.get("display_information")
    if not isinstance(info, dict):
        err("/display_information", "display_information is required and must be an object")
    else:
        name = info.get("name")
        if not isinstance(name, str) or not name.strip():
            err("/display_information/name", "name is required")
        elif len(name) > 35:
            err("/display_information/name", "name must be at most 35 characters")
        for key, limit in (("description", 140), ("long_description", 4000)):
            value = info.get(key)
            if value is not None and (not isinstance(value, str) or len(value) > limit):
                err(f"/display_information/{key}", f"{key} must be a string of at most {limit} characters")
        color = info.get("background_color")
        if color is not None and (not isinstance(color, str) or not _COLOR.match(color)):
            err("/display_information/background_color", "background_color must look like #4a154b")
    features = manifest.get("features", {})
    if not isinstance(features, dict):
        err("/features", "features must be an object")
    elif "bot_user" in features:
        bot = features["bot_user"]
        name = bot.get("display_name") if isinstance(bot, dict) else None
        if not isinstance(name, str) or not 1 <= len(name) <= 80:
            err("/features/bot_user/display_name", "display_name is required (1-80 characters)")
    oauth = manifest.get("oauth_config", {})
    if not isinstance(oauth, dict):
        err("/oauth_config", "oauth_config must be an object")
        oauth = {}
    urls = oauth.get("redirect_urls", [])
    if not isinstance(urls, list):
        err("/oauth_config/redirect_urls", "redirect_urls must be a list")
    else:
        for i, url in enumerate(urls):
            parts = urllib.parse.urlsplit(url) if isinstance(url, str) else None
            if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
                err(f"/oauth_config/redirect_urls/{i}", "each redirect URL must be an http(s) URL")
    scopes = oauth.get("scopes", {})
    if not isinstance(scopes, dict):
        err("/oauth_config/scopes", "scopes must be an object with bot and user lists")
    else:
        for kind in ("bot", "user"):
            values = scopes.get(kind, [])
            if not isinstance(values, list) or not all(isinstance(s, str) and _SCOPE.match(s) for s in values):
                err(f"/oauth_config/scopes/{kind}", f"{kind} scopes must be a list of scope names")
    settings = manifest.get("settings", {})
    if not isinstance(settings, dict):
        err("/settings", "settings must be an object")
    else:
        for key in ("token_rotation_enabled", "socket_mode_enabled", "org_deploy_enabled"):
            if key in settings and not isinstance(settings[key], bool):
                err(f"/settings/{key}", f"{key} must be a boolean")
    return errors


def manifest_arg(call: Call) -> dict[str, Any]:
    manifest = call.json_arg("manifest", required=True)
    errors = validate_manifest(manifest)
    if errors:
        raise ApiError("invalid_manifest", errors=errors)
    return manifest


def app_settings(manifest: dict[str, Any]) -> dict[str, Any]:
    oauth = manifest.get("oauth_config", {})
    scopes = oauth.get("scopes", {})
    return {
        "name": manifest["display_information"]["name"], "redirect_urls": list(oauth.get("redirect_urls", [])),
        "pkce_enabled": bool(oauth.get("pkce_enabled", False)),
        "token_rotation": bool(manifest.get("settings", {}).get("token_rotation_enabled", False)),
        "bot_scopes": list(scopes.get("bot", [])), "user_scopes": list(scopes.get("user", [])),
    }


def manifest_of(app: dict[str, Any]) -> dict[str, Any]:
    if app.get("manifest"):
        return app["manifest"]
    return {
        "display_information": {"name": app["name"]},
        "features": {"bot_user": {"display_name": app["name"], "always_online": False}},
        "oauth_config": {"redirect_urls": app["redirect_urls"], "pkce_enabled": app["pkce_enabled"],
                         "scopes": {"bot": app["bot_scopes"], "user": app["user_scopes"]}},
        "settings": {"token_rotation_enabled": app["token_rotation"], "org_deploy_enabled": False,
                     "socket_mode_enabled": False},
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
    params = {"client_id": app["client_id"], "scope": ",".join(app["bot_scopes"]),
              "user_scope": ",".join(app["user_scopes"])}
    return f"{call.emu.url}/oauth/v2/authorize?" + urllib.parse.urlencode(params)


@method("apps.manifest.validate", kinds=("config",), scopes=CONFIG)
def apps_manifest_validate(call: Call) -> dict[str, Any]:
    if call.arg("app_id"):
        app_arg(call)
    manifest_arg(call)
    return {}


@method("apps.manifest.create", kinds=("config",), scopes=CONFIG)
def apps_manifest_create(call: Call) -> dict[str, Any]:
    manifest = manifest_arg(call)
    app = call.world.create_app(manifest=manifest, **app_settings(manifest))
    from slackctl.emulator import appinstall  # E1: installed like `emulator start --manifest` (tokens, bot user)

    appinstall.install(call.emu, app)
    return {"app_id": app["app_id"], "credentials": {
        "client_id": app["client_id"], "client_secret": app["client_secret"],
        "verification_token": app["verification_token"], "signing_secret": app["signing_secret"]},
        "oauth_authorize_url": authorize_url(call, app)}


@method("apps.manifest.update", kinds=("config",), scopes=CONFIG)
def apps_manifest_update(call: Call) -> dict[str, Any]:
    app = app_arg(call)
    manifest = manifest_arg(call)
    settings = app_settings(manifest)
    if app["token_rotation"] and not settings["token_rotation"]:
        raise ApiError("invalid_manifest", errors=[{
            "message": "token rotation cannot be turned off once enabled",
            "pointer": "/settings/token_rotation_enabled"}])
    changed = (sorted(settings["bot_scopes"]), sorted(settings["user_scopes"])) != (
        sorted(app["bot_scopes"]), sorted(app["user_scopes"]))
    settings["pkce_enabled"] = settings["pkce_enabled"] or app["pkce_enabled"]  # PKCE cannot be undone
    app.update(settings, manifest=manifest)
    from slackctl.emulator import appinstall  # E1: a changed request URL is verified again, as on Slack

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
