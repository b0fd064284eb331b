"""A created project deploys as it is: `slackctl create` then `slackctl deploy` on the emulator."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest


@pytest.mark.parametrize("template", ["bolt-python", "bolt-python-http", "bolt-python-custom-step"])
def test_created_project_deploys_on_the_emulator(cli, mint, emulator, tmp_path: Path, monkeypatch, template: str):
    monkeypatch.chdir(tmp_path)
    created = cli("create", "e2e-app", "-t", template, "--no-install", "--no-git", "-d", "End to end")
    assert created.exit_code == 0, created.stderr
    monkeypatch.chdir(Path(created.stdout.strip()))
    config = mint("config")
    login = cli("auth", "login", "--with-token", input=f"{config['token']}\n{config['refresh_token']}\n")
    assert login.exit_code == 0, login.stderr
    deployed = cli("deploy", "--yes")
    assert deployed.exit_code == 0, deployed.stderr
    apps = json.loads(Path(".slack/apps.dev.json").read_text())  # the dev app, as Slack's CLI keeps it
    app_ids = [v["app_id"] for v in _walk(apps) if isinstance(v, dict) and "app_id" in v]
    assert len(app_ids) == 1
    exported = httpx.post(
        f"{emulator.url}/api/apps.manifest.export",
        data={"app_id": app_ids[0]},
        headers={"Authorization": f"Bearer {config['token']}"},
        timeout=30,
    ).json()
    assert exported["ok"] is True, exported
    local = json.loads(Path("manifest.json").read_text())
    assert exported["manifest"]["display_information"] == {"name": "e2e-app", "description": "End to end"}
    assert exported["manifest"]["oauth_config"]["scopes"] == local["oauth_config"]["scopes"]


def _walk(value):
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)
