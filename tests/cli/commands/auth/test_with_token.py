"""auth login --with-token / status / list / switch / token / logout against the emulator and the real keyring."""

from __future__ import annotations

import json
import stat
import tomllib
from pathlib import Path

import keyring
import pytest


def _config(env: dict[str, str]) -> dict:
    return tomllib.loads((Path(env["SLACKCTL_CONFIG_DIR"]) / "config.toml").read_text())


def test_bot_token_login_stores_the_token_in_the_real_keyring(cli, slackctl_env, bot_token, emulator):
    result = cli("auth", "login", "--with-token", input=bot_token + "\n")
    assert result.exit_code == 0, result.stderr
    config = _config(slackctl_env)
    name = config["active"]
    profile = config["profiles"][name]
    assert profile["team_id"] == emulator.team["id"]
    assert profile["kinds"] == ["bot"]
    assert profile["storage"] == "keyring"
    # The secret is in the Secret Service, under our service name, and nowhere in config.toml.
    stored = keyring.get_password(slackctl_env["SLACKCTL_KEYRING_SERVICE"], f"{name}/bot")
    assert stored == bot_token
    assert bot_token not in (Path(slackctl_env["SLACKCTL_CONFIG_DIR"]) / "config.toml").read_text()


def test_config_file_and_dir_are_private(cli, slackctl_env, bot_token):
    assert cli("auth", "login", "--with-token", input=bot_token).exit_code == 0
    cfg_dir = Path(slackctl_env["SLACKCTL_CONFIG_DIR"])
    assert stat.S_IMODE(cfg_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((cfg_dir / "config.toml").stat().st_mode) == 0o600


def test_user_and_bot_tokens_of_one_workspace_share_a_profile(cli, slackctl_env, bot_token, user_token):
    assert cli("auth", "login", "--with-token", input=bot_token).exit_code == 0
    assert cli("auth", "login", "--with-token", input=user_token).exit_code == 0
    config = _config(slackctl_env)
    assert len(config["profiles"]) == 1
    assert sorted(next(iter(config["profiles"].values()))["kinds"]) == ["bot", "user"]


def test_token_prints_the_raw_token_for_scripts(cli, bot_token):
    cli("auth", "login", "--with-token", input=bot_token)
    result = cli("auth", "token", allow_secrets=True)
    assert result.exit_code == 0
    assert result.stdout.strip() == bot_token


def test_first_profile_becomes_active_and_later_ones_do_not(cli, slackctl_env, bot_token, mint):
    cli("auth", "login", "--with-token", input=bot_token)
    other = mint("bot")["token"]
    assert cli("auth", "login", "--with-token", "--profile", "second", input=other).exit_code == 0
    config = _config(slackctl_env)
    assert config["active"] != "second"
    assert cli("auth", "switch", "second").exit_code == 0
    assert _config(slackctl_env)["active"] == "second"
    third = mint("bot")["token"]
    assert cli("auth", "login", "--with-token", "-p", "third", "--activate", input=third).exit_code == 0
    assert _config(slackctl_env)["active"] == "third"


def test_switch_to_an_unknown_profile_is_a_usage_error(cli, bot_token):
    cli("auth", "login", "--with-token", input=bot_token)
    result = cli("auth", "switch", "nope")
    assert result.exit_code == 2
    assert "no profile named 'nope'" in result.stderr


@pytest.mark.parametrize(
    ("token", "code", "words"),
    [
        ("xoxc-1234567890-abcdefghijkl", 4, "web-client session tokens"),
        ("zzzz-1234567890-abcdefghijkl", 4, "unrecognised token type"),
        ("xoxb 12 34", 2, "malformed"),
        ("", 2, "no token on stdin"),
    ],
)
def test_refused_tokens_store_nothing(cli, slackctl_env, token, code, words):
    result = cli("auth", "login", "--with-token", input=token)
    assert result.exit_code == code, result.stderr
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (Path(slackctl_env["SLACKCTL_CONFIG_DIR"]) / "config.toml").exists()


def test_a_token_slack_rejects_is_refused_with_slacks_error(cli, slackctl_env):
    result = cli("auth", "login", "--with-token", input="xoxb-1111-2222-notarealtokenatall00")
    assert result.exit_code == 4
    assert "invalid_auth" in result.stderr
    assert not (Path(slackctl_env["SLACKCTL_CONFIG_DIR"]) / "config.toml").exists()


def test_app_token_is_stored_beside_the_profiles_other_tokens(cli, slackctl_env, bot_token, mint):
    cli("auth", "login", "--with-token", input=bot_token)
    app_token = mint("app")["token"]
    result = cli("auth", "login", "--with-token", input=app_token)
    assert result.exit_code == 0, result.stderr
    profile = next(iter(_config(slackctl_env)["profiles"].values()))
    assert sorted(profile["kinds"]) == ["app", "bot"]


def test_app_token_without_any_profile_is_a_usage_error(cli, mint):
    result = cli("auth", "login", "--with-token", input=mint("app")["token"])
    assert result.exit_code == 2
    assert "--profile" in result.stderr


def test_config_token_is_validated_by_rotating_it(cli, slackctl_env, mint, emulator):
    pair = mint("config")
    result = cli("auth", "login", "--with-token", input=f"{pair['token']}\n{pair['refresh_token']}\n")
    assert result.exit_code == 0, result.stderr
    name = _config(slackctl_env)["active"]
    profile = _config(slackctl_env)["profiles"][name]
    assert sorted(profile["kinds"]) == ["config", "config-refresh"]
    assert profile["expires"]["config"] > 0
    # It was rotated once: the stored pair is the new one, not what we piped in.
    stored = keyring.get_password(slackctl_env["SLACKCTL_KEYRING_SERVICE"], f"{name}/config")
    assert stored and stored != pair["token"] and stored.startswith("xoxe.xoxp-")
    assert [r["method"] for r in emulator.requests("tooling.tokens.rotate")]


def test_config_token_without_refresh_token_is_a_usage_error(cli, mint):
    result = cli("auth", "login", "--with-token", input=mint("config")["token"])
    assert result.exit_code == 2
    assert "refresh token" in result.stderr


def test_status_checks_live_and_reports_storage(cli, bot_token):
    cli("auth", "login", "--with-token", input=bot_token)
    result = cli("auth", "status", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    (entry,) = data["profiles"]
    assert entry["tokens"]["bot"]["ok"] is True
    assert entry["storage"] == "keyring"
    assert "chat:write" in entry["scopes"]["bot"]


def test_status_exits_4_when_the_active_token_was_revoked(cli, bot_token, emulator):
    import httpx

    cli("auth", "login", "--with-token", input=bot_token)
    httpx.post(emulator.url + "/api/auth.revoke", headers={"Authorization": f"Bearer {bot_token}"})
    result = cli("auth", "status")
    assert result.exit_code == 4
    assert "token_revoked" in result.stdout


def test_status_says_when_an_environment_token_is_in_use(cli, bot_token):
    result = cli("auth", "status", env={"SLACK_BOT_TOKEN": bot_token})
    assert result.exit_code == 0, result.stderr
    assert "environment (SLACK_BOT_TOKEN)" in result.stdout


def test_logout_revokes_remotely_and_deletes_locally(cli, slackctl_env, bot_token, emulator):
    cli("auth", "login", "--with-token", input=bot_token)
    name = _config(slackctl_env)["active"]
    result = cli("auth", "logout")
    assert result.exit_code == 0, result.stderr
    assert keyring.get_password(slackctl_env["SLACKCTL_KEYRING_SERVICE"], f"{name}/bot") is None
    assert _config(slackctl_env)["profiles"] == {}
    assert emulator.requests("auth.revoke"), "auth.revoke was not called"
    # The token is dead at "Slack" too.
    import httpx

    answer = httpx.post(emulator.url + "/api/auth.test", headers={"Authorization": f"Bearer {bot_token}"}).json()
    assert answer["error"] == "token_revoked"


def test_logout_keep_remote_leaves_the_token_valid(cli, slackctl_env, bot_token, emulator):
    cli("auth", "login", "--with-token", input=bot_token)
    assert cli("auth", "logout", "--keep-remote").exit_code == 0
    assert not emulator.requests("auth.revoke")


def test_failed_revoke_is_reported_and_local_deletion_still_happens(cli, slackctl_env, bot_token, emulator):
    cli("auth", "login", "--with-token", input=bot_token)
    name = _config(slackctl_env)["active"]
    emulator.inject_fault("auth.revoke", "500", count=10)
    result = cli("auth", "logout")
    assert result.exit_code == 1
    assert "could not revoke" in result.stderr
    assert keyring.get_password(slackctl_env["SLACKCTL_KEYRING_SERVICE"], f"{name}/bot") is None


def test_logout_all(cli, slackctl_env, bot_token, mint):
    cli("auth", "login", "--with-token", input=bot_token)
    cli("auth", "login", "--with-token", "-p", "two", input=mint("bot")["token"])
    assert cli("auth", "logout", "--all").exit_code == 0
    assert _config(slackctl_env)["profiles"] == {}


def test_list_shows_profiles_without_network(cli, bot_token, emulator):
    cli("auth", "login", "--with-token", input=bot_token)
    before = len(emulator.requests())
    result = cli("auth", "list", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["kinds"] == ["bot"]
    assert len(emulator.requests()) == before


def test_not_logged_in_says_what_to_run(cli):
    result = cli("auth", "token")
    assert result.exit_code == 4
    assert "run: slackctl auth login" in result.stderr


def test_a_config_token_login_against_the_emulator_names_the_profile_after_the_team(cli, mint, slackctl_env):
    """Issue 23 item 17: the README says `emulated-workspace`, as for a bot or user token (it was named after the
    team id, which tooling.tokens.rotate gives alone)."""
    minted = mint("config")
    result = cli("auth", "login", "--with-token", input=f"{minted['token']}\n{minted['refresh_token']}\n")
    assert result.exit_code == 0, result.stderr
    (profile,) = json.loads(cli("auth", "list", "--json").stdout)
    assert profile["profile"] == "emulated-workspace" and profile["team"] == "Emulated Workspace"
