"""Shared bits of the deploy / manifest / app / tokens tests: a small project in a tmp dir and a config login."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

MANIFEST: dict[str, Any] = {
    "display_information": {"name": "Deploy Test"},
    "features": {"bot_user": {"display_name": "deploy-test", "always_online": False}},
    "oauth_config": {
        "redirect_urls": ["https://example.com/slack/oauth_redirect"],
        "scopes": {"bot": ["chat:write"]},
    },
    "settings": {"org_deploy_enabled": False, "socket_mode_enabled": False, "token_rotation_enabled": False},
}


def make_project(
    root: Path,
    manifest: dict[str, Any] | None = None,
    hooks: dict[str, str] | None = None,
    environments: dict[str, Any] | None = None,
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "manifest.json").write_text(json.dumps(manifest or MANIFEST, indent=2) + "\n")
    if hooks is not None or environments is not None:
        (root / ".slack").mkdir(exist_ok=True)
    if hooks is not None:
        (root / ".slack" / "hooks.json").write_text(json.dumps({"hooks": hooks}))
    if environments is not None:
        (root / ".slack" / "environments.json").write_text(json.dumps(environments))
    return root


def config_login(cli: Any, mint: Any, **kwargs: Any) -> dict[str, Any]:
    """Store a fresh app configuration token (and its refresh token) as the active profile."""
    minted = mint("config", **kwargs)
    result = cli("auth", "login", "--with-token", input=f"{minted['token']}\n{minted['refresh_token']}\n")
    assert result.exit_code == 0, result.stderr
    return minted


def apps_json(root: Path) -> dict[str, Any]:
    """Slack CLI's .slack/apps.json (its deployed apps)."""
    return json.loads((root / ".slack" / "apps.json").read_text())


def records_json(root: Path) -> dict[str, Any]:
    """slackctl's own records, .slack/slackctl.json ({} when there is none)."""
    path = root / ".slack" / "slackctl.json"
    return json.loads(path.read_text()) if path.exists() else {}


def config_toml(env: dict[str, str]) -> dict[str, Any]:
    return tomllib.loads((Path(env["SLACKCTL_CONFIG_DIR"]) / "config.toml").read_text())


def the_app(root: Path, env: str = "dev") -> dict[str, Any]:
    teams = records_json(root)["environments"][env]
    assert len(teams) == 1
    return next(iter(teams.values()))


def writes(emulator: Any) -> list[str]:
    """Every manifest-changing call the emulator received."""
    names = ("apps.manifest.create", "apps.manifest.update", "apps.manifest.delete")
    return [r["method"] for r in emulator.requests() if r["method"] in names]


def export_manifest(emulator: Any, mint: Any, app_id: str) -> dict[str, Any]:
    """The manifest the emulator holds for `app_id`, read with a fresh configuration token."""
    from slackctl.slack.client import SlackClient

    with SlackClient(emulator.url) as client:
        return client.call("apps.manifest.export", {"app_id": app_id}, token=mint("config")["token"]).data["manifest"]
