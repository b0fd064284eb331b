"""slackctl app link / unlink (an existing app id recorded or forgotten for an environment, in both tools' files)
and app list's installed column (auth.test with the app's own stored token), against the emulator."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
import tomli_w

from tests.cli.commands.deploy.helpers import config_login, make_project, writes


@pytest.fixture
def project(cli, mint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(tmp_path / "my-app")
    monkeypatch.chdir(root)
    config_login(cli, mint)
    return root


def test_link_records_the_app_so_deploy_updates_it(cli, project, emulator):
    existing = emulator.create_app(name="Made in the settings page")
    result = cli("app", "link", "--app", existing["app_id"], "--json")
    assert result.exit_code == 0, result.stderr
    team = emulator.team["id"]
    assert json.loads(result.stdout) == {"env": "dev", "app_id": existing["app_id"], "team_id": team}
    # Slack's CLI finds it too: apps.dev.json, team-keyed, IsDev.
    dev = json.loads((project / ".slack" / "apps.dev.json").read_text())
    assert dev[team]["app_id"] == existing["app_id"] and dev[team]["IsDev"] is True
    plan = json.loads(cli("deploy", "--dry-run", "--json").stdout)
    assert (plan["action"], plan["app_id"]) == ("update", existing["app_id"])


def test_link_refuses_to_replace_a_recorded_app_without_force(cli, project, emulator):
    first, second = emulator.create_app(name="One"), emulator.create_app(name="Two")
    assert cli("app", "link", "--app", first["app_id"], "--env", "prod").exit_code == 0
    result = cli("app", "link", "--app", second["app_id"], "--env", "prod")
    assert result.exit_code == 2 and f"already {first['app_id']}" in result.stderr and "--force" in result.stderr
    assert cli("app", "link", "--app", second["app_id"], "--env", "prod", "--force").exit_code == 0
    apps = json.loads((project / ".slack" / "apps.json").read_text())
    assert apps["apps"][emulator.team["id"]]["app_id"] == second["app_id"]


def test_link_refuses_what_is_not_an_app_id(cli, project):
    result = cli("app", "link", "--app", "not-an-app")
    assert result.exit_code == 2 and "is not an app id" in result.stderr
    assert not (project / ".slack" / "slackctl.json").exists()


def test_unlink_forgets_the_record_and_leaves_the_app(cli, project, emulator):
    existing = emulator.create_app(name="Keep me")
    assert cli("app", "link", "--app", existing["app_id"], "--env", "staging").exit_code == 0
    emulator.clear_requests()
    result = cli("app", "unlink", "--env", "staging")
    assert result.exit_code == 0, result.stderr
    assert "still exists at Slack" in result.stderr and writes(emulator) == []
    assert json.loads(cli("app", "list", "--json").stdout) == []
    assert existing["app_id"] in emulator.world.apps


def test_list_says_whether_each_app_is_installed(cli, mint, project, emulator, slackctl_env):
    app = emulator.create_app(name="Installed", bot_scopes=["chat:write"])
    other = emulator.create_app(name="Not ours")
    assert cli("app", "link", "--app", app["app_id"], "--env", "dev").exit_code == 0
    assert cli("app", "link", "--app", other["app_id"], "--env", "prod").exit_code == 0
    bot = mint("bot", app_id=app["app_id"])["token"]
    assert cli("auth", "login", "--with-token", input=bot + "\n").exit_code == 0
    # What an OAuth install (auth login) records and a pasted token cannot: the profile's app id.
    path = Path(slackctl_env["SLACKCTL_CONFIG_DIR"]) / "config.toml"
    config = tomllib.loads(path.read_text())
    (profile,) = [p for p in config["profiles"].values() if "bot" in p.get("kinds", [])]
    profile["app_id"] = app["app_id"]
    path.write_text(tomli_w.dumps(config))
    rows = {r["env"]: r["installed"] for r in json.loads(cli("app", "list", "--json").stdout)}
    assert rows == {"dev": "yes", "prod": "unknown"}  # no token of the prod app: nothing asked
    from slackctl.slack.client import SlackClient

    with SlackClient(emulator.url) as client:
        assert client.call("auth.revoke", {}, token=bot).ok
    rows = {r["env"]: r["installed"] for r in json.loads(cli("app", "list", "--json").stdout)}
    assert rows["dev"] == "no"
