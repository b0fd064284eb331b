"""Installing apps into the emulated workspace from their manifests, and reading what an app subscribed to.

An installed app has a bot user in #general and #random, a bot token with the manifest's bot scopes, an app-level
token (xapp-, connections:write), a signing secret and client credentials — what Slack hands a developer after
"Install to workspace". What the app receives (events, commands, shortcuts, interactivity, Socket Mode, App Home)
is read from its manifest whenever a delivery is decided, so apps.manifest.update takes effect at once.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slackctl.emulator.delivery.subscriptions import events_url, manifest, socket_mode
from slackctl.emulator.world.state import GENERAL_ID, RANDOM_ID

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator
    from slackctl.emulator.world.state import World

LISTED_KEYS = (
    "app_id",
    "name",
    "bot_user_id",
    "bot_token",
    "app_token",
    "signing_secret",
    "client_id",
    "client_secret",
)


class ManifestError(ValueError):
    """A manifest file that cannot be read or is not a valid manifest (message names the file and the problem)."""


def load_manifest_file(path: str | Path) -> dict[str, Any]:
    """A manifest from a JSON or YAML file, validated as apps.manifest.create would."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ManifestError(f"cannot read manifest {path}: {exc.strerror or exc}") from None
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
    except ValueError as exc:  # json.JSONDecodeError
        raise ManifestError(f"manifest {path} is not valid JSON: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - yaml.YAMLError carries the line and column
        raise ManifestError(f"manifest {path} is not valid YAML: {exc}") from None
    check(data, str(path))
    return data


def check(data: Any, origin: str) -> None:
    """ManifestError naming the first problem the one manifest validator (slackctl.slack.manifest) finds."""
    from slackctl.slack.manifest import validate_manifest

    problems = validate_manifest(data)
    if problems:
        first = problems[0]
        raise ManifestError(
            f"manifest {origin} is invalid at {first.pointer or '/'}: {first.message}"
            + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else "")
        )


def settings_from_manifest(manifest: dict[str, Any]) -> dict[str, Any]:
    oauth = manifest.get("oauth_config") or {}
    scopes = oauth.get("scopes") or {}
    return {
        "name": manifest["display_information"]["name"],
        "redirect_urls": list(oauth.get("redirect_urls") or []),
        "pkce_enabled": bool(oauth.get("pkce_enabled", False)),
        "token_rotation": bool((manifest.get("settings") or {}).get("token_rotation_enabled", False)),
        "bot_scopes": list(scopes.get("bot") or []),
        "user_scopes": list(scopes.get("user") or []),
    }


def install_manifest(emu: Emulator, manifest: dict[str, Any]) -> dict[str, Any]:
    """Create and install an app from MANIFEST; returns the app record (caller holds no lock)."""
    with emu.world.lock:
        app = emu.world.create_app(manifest=manifest, **settings_from_manifest(manifest))
    install(emu, app)
    return app


def install(emu: Emulator, app: dict[str, Any]) -> None:
    """Make APP installed: bot user named and in #general/#random, tokens minted; then verify its request URL."""
    world = emu.world
    with world.lock:
        _install_locked(world, app)
    changed(emu, app)


def _install_locked(world: World, app: dict[str, Any]) -> None:
    bot = world.users.get(app["bot_user_id"])
    display = ((manifest(app).get("features") or {}).get("bot_user") or {}).get("display_name")
    if bot is not None and display:
        bot["name"] = str(display)
        bot["profile"]["display_name"] = bot["profile"]["display_name_normalized"] = str(display)
    for cid in (GENERAL_ID, RANDOM_ID):
        channel = world.channels.get(cid)
        if channel is not None and app["bot_user_id"] not in channel["members"]:
            channel["members"].append(app["bot_user_id"])
    # Under Grid an app whose manifest says org_deploy_enabled is installed org-wide, as org-ready apps are.
    org_ready = bool((manifest(app).get("settings") or {}).get("org_deploy_enabled"))
    app["enterprise_install"] = world.enterprise is not None and org_ready
    ensure_tokens(world, app)


def ensure_tokens(world: World, app: dict[str, Any]) -> None:
    """The installation's bot and app-level tokens, minted once and kept on the app record (and in --state)."""
    if not app.get("bot_token") or app["bot_token"] not in world.tokens:
        app["bot_token"] = world.mint_token(
            "bot",
            scopes=list(app["bot_scopes"]),
            app_id=app["app_id"],
            enterprise_install=bool(app.get("enterprise_install")),
        )["token"]
    if not app.get("app_token") or app["app_token"] not in world.tokens:
        app["app_token"] = world.mint_token("app", scopes=["connections:write"], app_id=app["app_id"])["token"]


def changed(emu: Emulator, app: dict[str, Any]) -> None:
    """After install or apps.manifest.update: Slack checks a saved Events request URL with url_verification."""
    url = events_url(app)
    if url and not socket_mode(app):
        from slackctl.emulator.delivery import deliverer

        deliverer.url_verification(emu, app["app_id"], url)


def snapshot(world: World, app_id: str) -> dict[str, Any]:
    """What reset() needs to put a start-up app back exactly as it was (same ids, secrets and tokens)."""
    import copy

    app = world.apps[app_id]
    return copy.deepcopy(
        {
            "app": app,
            "bot_user": world.users.get(app["bot_user_id"]),
            "tokens": {t: world.tokens[t] for t in (app.get("bot_token"), app.get("app_token")) if t in world.tokens},
        }
    )


def restore(world: World, snap: dict[str, Any]) -> None:
    import copy

    snap = copy.deepcopy(snap)
    app = snap["app"]
    world.apps[app["app_id"]] = app
    if snap["bot_user"] is not None:
        world.add_user(snap["bot_user"])
    world.tokens.update(snap["tokens"])
    _install_locked(world, app)


def listing(emu: Emulator) -> list[dict[str, Any]]:
    """GET /_emulator/apps: every app with the credentials a developer would copy from the app's settings."""
    world = emu.world
    with world.lock:
        out = []
        for app in world.apps.values():
            ensure_tokens(world, app)
            out.append(
                {k: app.get(k) for k in LISTED_KEYS}
                | {"socket_mode": socket_mode(app), "verification_token": app["verification_token"]}
            )
        return out


def find_app(world: World, ref: str) -> dict[str, Any] | None:
    """An app by id, name or bot user name."""
    if ref in world.apps:
        return world.apps[ref]
    for app in world.apps.values():
        bot = world.users.get(app["bot_user_id"]) or {}
        if ref in (app["name"], bot.get("name")):
            return app
    return None
