"""slackctl tokens list / add / rotate / revoke / inspect / export against the emulator and the real keyring."""

from __future__ import annotations

import json
import shlex
import subprocess
import time
from pathlib import Path

import keyring
import pytest

from tests.cli.commands.deploy.helpers import config_login, config_toml, make_project, the_app
from tests.conftest import register_secret


def _login(cli, token: str, *extra: str) -> None:
    result = cli("auth", "login", "--with-token", *extra, input=token + "\n")
    assert result.exit_code == 0, result.stderr


def test_list_shows_every_credential_masked(cli, bot_token, mint, slackctl_env):
    _login(cli, bot_token)
    config_login(cli, mint)
    result = cli("tokens", "list", "--json")
    assert result.exit_code == 0, result.stderr
    rows = {r["name"].split("/", 1)[1]: r for r in json.loads(result.stdout)}
    assert set(rows) == {"bot", "config", "config-refresh"}
    assert rows["bot"]["masked"] == "xoxb-…" + bot_token[-4:] and rows["bot"]["storage"] == "keyring"
    assert rows["config-refresh"]["kind"] == "refresh"
    assert rows["config"]["expires"] > time.time() and rows["bot"]["expires"] is None
    table = cli("tokens", "list").stdout
    assert f"{rows['bot']['profile']}/bot\tbot\txoxb-…{bot_token[-4:]}\tnever\tkeyring" in table


def test_list_includes_deployed_app_secrets(cli, mint, tmp_path, monkeypatch, emulator):
    monkeypatch.chdir(make_project(tmp_path / "app"))
    config_login(cli, mint)
    assert cli("deploy").exit_code == 0
    app_id = the_app(tmp_path / "app")["app_id"]
    register_secret(
        *(emulator.world.apps[app_id][k] for k in ("client_secret", "signing_secret", "verification_token"))
    )
    names = [r["name"] for r in json.loads(cli("tokens", "list", "--json").stdout)]
    assert f"app:{app_id}/client-secret" in names and f"app:{app_id}/signing-secret" in names


def test_empty_list_says_how_to_log_in(cli):
    result = cli("tokens", "list")
    assert result.exit_code == 0 and "slackctl auth login" in result.stderr and result.stdout == ""


def test_add_checks_a_bot_token_with_slack_before_storing_it(cli, bot_token, slackctl_env):
    result = cli("tokens", "add", "bot", "--profile", "acme", input=bot_token + "\n")
    assert result.exit_code == 0, result.stderr
    assert keyring.get_password(slackctl_env["SLACKCTL_KEYRING_SERVICE"], "acme/bot") == bot_token
    bad = cli("tokens", "add", "bot", "--profile", "other", input="xoxb-1234-5678-notarealtokenatall\n")
    assert bad.exit_code == 4
    assert "other" not in config_toml(slackctl_env)["profiles"]


def test_add_refuses_a_token_of_another_kind(cli, user_token):
    result = cli("tokens", "add", "bot", input=user_token + "\n")
    assert result.exit_code == 2 and "does not look like a bot token" in result.stderr


def test_add_signing_secret_to_a_profile(cli, bot_token, slackctl_env):
    _login(cli, bot_token, "--profile", "acme")
    secret = "0123456789abcdef0123456789abcdef"
    register_secret(secret)
    result = cli("tokens", "add", "signing-secret", input=secret + "\n")
    assert result.exit_code == 0, result.stderr
    assert keyring.get_password(slackctl_env["SLACKCTL_KEYRING_SERVICE"], "acme/signing-secret") == secret
    assert "signing-secret" in config_toml(slackctl_env)["profiles"]["acme"]["kinds"]


def test_add_with_nothing_on_stdin_is_a_usage_error(cli):
    result = cli("tokens", "add", "bot", input="")
    assert result.exit_code == 2 and "printf" in result.stderr


def test_rotate_config_token_stores_a_new_pair(cli, mint, slackctl_env, emulator):
    config_login(cli, mint)
    profile = config_toml(slackctl_env)["active"]
    service = slackctl_env["SLACKCTL_KEYRING_SERVICE"]
    before = keyring.get_password(service, f"{profile}/config")
    before_refresh = keyring.get_password(service, f"{profile}/config-refresh")
    result = cli("tokens", "rotate", f"{profile}/config")
    assert result.exit_code == 0, result.stderr
    after = keyring.get_password(service, f"{profile}/config")
    register_secret(after, keyring.get_password(service, f"{profile}/config-refresh"))
    assert after != before and keyring.get_password(service, f"{profile}/config-refresh") != before_refresh
    assert "rotated" in result.stderr and after not in result.output
    assert len(emulator.requests("tooling.tokens.rotate")) == 2  # the login's own check, then ours


def test_rotate_of_a_token_that_does_not_rotate_is_refused(cli, bot_token):
    _login(cli, bot_token, "--profile", "acme")
    result = cli("tokens", "rotate", "acme/bot")
    assert result.exit_code == 2 and "does not rotate" in result.stderr
    assert cli("tokens", "rotate").exit_code == 2


def test_deploy_rotates_a_config_token_that_is_about_to_expire(
    cli, mint, slackctl_env, emulator, tmp_path, monkeypatch
):
    monkeypatch.chdir(make_project(tmp_path / "app"))
    config_login(cli, mint)
    from slackctl.config import edit_config

    with edit_config() as config:
        config.profiles[config.active].expires["config"] = int(time.time()) + 60  # inside the refresh margin
    emulator.clear_requests()
    assert cli("deploy").exit_code == 0
    methods = [r["method"] for r in emulator.requests()]
    assert methods[0] == "tooling.tokens.rotate" and "apps.manifest.create" in methods
    assert (
        config_toml(slackctl_env)["profiles"][config_toml(slackctl_env)["active"]]["expires"]["config"]
        > time.time() + 3600
    )


def test_revoke_revokes_at_slack_and_deletes_locally(cli, bot_token, slackctl_env, emulator):
    _login(cli, bot_token, "--profile", "acme")
    result = cli("tokens", "revoke", "acme/bot")
    assert result.exit_code == 0, result.stderr
    assert len(emulator.requests("auth.revoke")) == 1
    assert keyring.get_password(slackctl_env["SLACKCTL_KEYRING_SERVICE"], "acme/bot") is None
    assert "bot" not in config_toml(slackctl_env)["profiles"]["acme"].get("kinds", [])
    from slackctl.slack.client import SlackClient

    with SlackClient(emulator.url) as client:
        assert client.call("auth.test", token=bot_token, raise_on_error=False).data["error"] == "token_revoked"


def test_revoke_of_an_unknown_name_lists_where_to_look(cli):
    result = cli("tokens", "revoke", "nobody/bot")
    assert result.exit_code == 2 and "slackctl tokens list" in result.stderr


def test_inspect_shows_type_scopes_and_identity_but_not_the_token(cli, bot_token, emulator):
    _login(cli, bot_token, "--profile", "acme")
    result = cli("tokens", "inspect", "acme/bot", "--json")
    assert result.exit_code == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["type"] == "bot token" and info["valid"] is True and info["team_id"] == emulator.team["id"]
    assert "chat:write" in info["scopes"] and info["masked"].endswith(bot_token[-4:])
    assert "scopes:" in cli("tokens", "inspect", "acme/bot").stdout


def test_inspect_reads_a_token_from_stdin(cli, user_token):
    result = cli("tokens", "inspect", "-", input=user_token + "\n")
    assert result.exit_code == 0, result.stderr
    assert "user token" in result.stdout and "valid:     yes" in result.stdout and "True" not in result.stdout


def test_inspect_of_a_rejected_token_exits_4(cli):
    result = cli("tokens", "inspect", "-", input="xoxb-1111-2222-notarealtokenvalue\n")
    assert result.exit_code == 4 and "invalid_auth" in result.stdout and "valid:     no" in result.stdout


def test_export_prints_profile_tokens_and_project_app_secrets(cli, mint, bot_token, tmp_path, monkeypatch, emulator):
    root = make_project(tmp_path / "app")
    monkeypatch.chdir(root)
    config_login(cli, mint)
    _login(cli, bot_token)
    assert cli("deploy").exit_code == 0
    app = emulator.world.apps[the_app(root)["app_id"]]
    result = cli("tokens", "export", allow_secrets=True)
    assert result.exit_code == 0, result.stderr
    assert f"export SLACK_BOT_TOKEN={bot_token}" in result.stdout.splitlines()
    assert f"export SLACK_SIGNING_SECRET={app['signing_secret']}" in result.stdout.splitlines()
    assert f"export SLACK_CLIENT_ID={app['client_id']}" in result.stdout.splitlines()
    assert "warning" not in result.stderr  # stdout is not a terminal
    # eval-able: a shell reading it gets the same values.
    shell = subprocess.run(
        ["sh", "-c", result.stdout + '\nprintf "%s" "$SLACK_CLIENT_SECRET"'], capture_output=True, text=True
    )
    assert shell.stdout == app["client_secret"]
    as_json = json.loads(cli("tokens", "export", "--format", "json", allow_secrets=True).stdout)
    assert as_json["SLACK_BOT_TOKEN"] == bot_token
    dotenv = cli("tokens", "export", "--format", "dotenv", allow_secrets=True).stdout
    assert f"SLACK_BOT_TOKEN={bot_token}" in dotenv.splitlines()


def test_export_warns_when_stdout_is_a_terminal(bot_token, slackctl_env, cli):
    pexpect = pytest.importorskip("pexpect")
    import os
    import sys

    _login(cli, bot_token)
    child = pexpect.spawn(
        sys.executable, ["-m", "slackctl", "tokens", "export"], env=dict(os.environ), encoding="utf-8", timeout=30
    )
    child.expect(pexpect.EOF)
    assert "printing secrets to the terminal" in child.before
    assert f"export SLACK_BOT_TOKEN={shlex.quote(bot_token)}" in child.before


def test_export_with_nothing_stored_is_a_usage_error(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("tokens", "export")
    assert result.exit_code == 2 and "slackctl auth login" in result.stderr


def test_no_secret_reaches_the_command_line_of_the_hook(cli, mint, tmp_path, monkeypatch):
    """The deploy hook receives tokens in its environment only (checked via its own argv)."""
    root = make_project(tmp_path / "app", hooks={"deploy": "cat /proc/$$/cmdline | tr '\\0' ' '"})
    monkeypatch.chdir(root)
    config_login(cli, mint)
    result = cli("deploy")  # the cli fixture fails the test if any registered secret shows up
    assert result.exit_code == 0, result.stderr
    assert Path(root / ".slack" / "slackctl.json").exists()  # the deploy was recorded
