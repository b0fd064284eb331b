"""The deploy hook gets the credentials of the app being deployed and of no other app of the profile."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.commands.deploy.helpers import config_login, make_project, the_app

HOOK = 'echo "bot=${SLACK_BOT_TOKEN:+set} app=${SLACK_APP_TOKEN:+set} id=$SLACK_APP_ID"'


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(tmp_path / "my-app", hooks={"deploy": HOOK})
    monkeypatch.chdir(root)
    return root


def test_a_new_apps_hook_does_not_get_the_bot_token_the_profile_holds_for_another_app(cli, mint, project, emulator):
    config_login(cli, mint)
    other = emulator.default_app["app_id"]
    # The same workspace's profile also holds a bot (and app-level) token of another app, pasted with
    # --with-token: slackctl does not know which app they belong to.
    assert cli("auth", "login", "--with-token", input=mint("bot", app_id=other)["token"] + "\n").exit_code == 0
    assert cli("auth", "login", "--with-token", input=mint("app", app_id=other)["token"] + "\n").exit_code == 0

    result = cli("deploy")
    assert result.exit_code == 0, result.stderr
    app_id = the_app(project)["app_id"]
    assert app_id != other
    assert f"│ bot= app= id={app_id}\n" in result.stderr


def test_a_profile_recorded_for_another_app_is_not_used_either(cli, mint, project, emulator):
    config_login(cli, mint)
    other = emulator.default_app["app_id"]
    assert cli("auth", "login", "--with-token", input=mint("bot", app_id=other)["token"] + "\n").exit_code == 0
    from slackctl.config import edit_config

    with edit_config() as config:  # what an OAuth install of the other app records
        config.profiles[config.active].app_id = other
    result = cli("deploy")
    assert result.exit_code == 0, result.stderr
    assert "│ bot= app= id=" in result.stderr
