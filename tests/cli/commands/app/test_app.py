"""slackctl app list / delete / settings against the emulator."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import keyring
import pytest

from tests.cli.commands.deploy.helpers import config_login, config_toml, make_project, records_json, the_app, writes


@pytest.fixture
def deployed(cli, mint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(tmp_path / "my-app")
    monkeypatch.chdir(root)
    config_login(cli, mint)
    assert cli("deploy").exit_code == 0
    return root


def test_list_shows_the_projects_apps(cli, deployed, emulator):
    app_id = the_app(deployed)["app_id"]
    result = cli("app", "list")
    assert result.exit_code == 0
    assert result.stdout.split("\t")[:4] == ["dev", app_id, "Deploy Test", emulator.team["id"]]
    rows = json.loads(cli("app", "list", "--json").stdout)
    assert rows[0]["app_id"] == app_id and rows[0]["credentials"] == f"app:{app_id}"


def test_delete_needs_yes_without_a_terminal(cli, deployed, emulator):
    emulator.clear_requests()
    result = cli("app", "delete")
    assert result.exit_code == 2 and "--yes" in result.stderr
    assert writes(emulator) == []


def test_delete_removes_the_app_its_secrets_and_its_record(cli, deployed, emulator, slackctl_env):
    app_id = the_app(deployed)["app_id"]
    result = cli("app", "delete", "--yes")
    assert result.exit_code == 0, result.stderr
    assert app_id not in emulator.world.apps
    assert writes(emulator)[-1] == "apps.manifest.delete"
    assert records_json(deployed).get("environments") == {}
    assert keyring.get_password(slackctl_env["SLACKCTL_KEYRING_SERVICE"], f"app:{app_id}/client-secret") is None
    assert app_id not in config_toml(slackctl_env).get("apps", {})
    # Deploying again creates a fresh app.
    assert cli("deploy").exit_code == 0
    assert the_app(deployed)["app_id"] != app_id


def test_forget_keeps_the_app_at_slack(cli, deployed, emulator):
    app_id = the_app(deployed)["app_id"]
    result = cli("app", "delete", "--forget", "--yes")
    assert result.exit_code == 0, result.stderr
    assert app_id in emulator.world.apps
    assert records_json(deployed).get("environments") == {}


def test_delete_of_an_unknown_environment_says_which_exist(cli, deployed):
    result = cli("app", "delete", "--env", "prod", "--yes")
    assert result.exit_code == 2 and "environments with apps: dev" in result.stderr


def test_settings_prints_the_url_of_the_host_in_use_with_no_browser(cli, deployed, emulator):
    assert the_app(deployed)["app_id"]
    result = cli("app", "settings", "--no-browser")
    assert result.exit_code == 0
    # Against the emulator the app's settings are its /_emulator/apps listing, not Slack's page (issue 19 item 5).
    assert result.stdout.strip() == f"{emulator.url}/_emulator/apps"


def test_settings_opens_the_browser_from_BROWSER(cli, deployed, tmp_path, emulator):
    opened = tmp_path / "opened"
    browser = tmp_path / "browser.sh"
    browser.write_text(f"#!/bin/sh\nprintf '%s' \"$1\" > {opened}\n")
    browser.chmod(browser.stat().st_mode | stat.S_IXUSR)
    result = cli("app", "settings", env={"BROWSER": str(browser)})
    assert result.exit_code == 0, result.stderr
    assert opened.read_text() == f"{emulator.url}/_emulator/apps"
    assert result.stdout == ""


def test_settings_without_a_display_prints_the_url(cli, deployed, emulator):
    result = cli("app", "settings", env={"DISPLAY": None, "WAYLAND_DISPLAY": None, "BROWSER": None})
    assert result.exit_code == 0
    assert result.stdout.strip() == f"{emulator.url}/_emulator/apps"
    assert os.environ.get("BROWSER") is None
