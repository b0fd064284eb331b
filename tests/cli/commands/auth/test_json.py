"""--json of auth status, auth list and auth whoami: the documented shapes (README, "JSON shapes"; issue 18)."""

from __future__ import annotations

import json

STATUS_KEYS = {
    "profile",
    "active",
    "team_id",
    "team",
    "user_id",
    "user",
    "kinds",
    "scopes",
    "expires",
    "storage",
    "slack_url",
    "tokens",
}
LIST_KEYS = {"profile", "active", "team_id", "team", "user_id", "user", "kinds", "storage", "slack_url"}


def test_status_json_has_the_documented_keys_and_a_check_per_token(cli, emulator, mint):
    assert cli("auth", "login", "--with-token", "-p", "acme", input=mint("bot")["token"]).exit_code == 0
    result = cli("auth", "status", "--json")
    assert result.exit_code == 0, result.stderr
    (entry,) = json.loads(result.stdout)["profiles"]
    assert set(entry) == STATUS_KEYS
    assert entry["profile"] == "acme" and entry["active"] is True and entry["storage"] == "keyring"
    assert entry["team_id"] == emulator.team["id"] and entry["kinds"] == ["bot"]
    assert entry["tokens"]["bot"]["ok"] is True and entry["tokens"]["bot"]["team_id"] == emulator.team["id"]
    assert isinstance(entry["scopes"]["bot"], list) and entry["expires"] == {}


def test_status_json_of_a_failing_token_says_why_and_exits_4(cli, mint):
    token = mint("bot")["token"]
    assert cli("auth", "login", "--with-token", "-p", "acme", input=token).exit_code == 0
    assert cli("api", "call", "auth.revoke", env={"SLACK_TOKEN": token}).exit_code == 0
    result = cli("auth", "status", "--json")
    assert result.exit_code == 4
    (entry,) = json.loads(result.stdout)["profiles"]
    assert entry["tokens"]["bot"] in ({"ok": False, "error": "token_revoked"}, {"ok": False, "error": "invalid_auth"})


def test_status_json_with_an_environment_token_names_its_variable(cli, bot_token):
    result = cli("auth", "status", "--json", env={"SLACK_TOKEN": bot_token})
    assert result.exit_code == 0, result.stderr
    (entry,) = json.loads(result.stdout)["profiles"]
    assert entry["profile"] is None and entry["source"] == "environment (SLACK_TOKEN)" and entry["ok"] is True
    assert bot_token not in result.stdout and entry["token"].startswith("xoxb-")


def test_list_json_is_an_array_with_the_documented_keys(cli, mint):
    assert cli("auth", "login", "--with-token", "-p", "acme", input=mint("bot")["token"]).exit_code == 0
    assert cli("auth", "login", "--with-token", "-p", "beta", input=mint("user")["token"]).exit_code == 0
    data = json.loads(cli("auth", "list", "--json").stdout)
    assert [d["profile"] for d in data] == ["acme", "beta"]
    assert all(set(d) == LIST_KEYS for d in data)
    assert data[0]["active"] is True and data[1]["kinds"] == ["user"] and data[1]["user_id"].startswith("U")
    assert json.loads(cli("auth", "list", "--json", env={"SLACKCTL_CONFIG_DIR": "/nonexistent-x"}).stdout) == []


def test_whoami_json_is_the_userinfo_claims(cli, mint):
    token = mint("user", scopes=["openid", "email", "profile"])["token"]
    assert cli("auth", "login", "--with-token", input=token).exit_code == 0
    result = cli("auth", "whoami", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert "ok" not in data
    assert data["sub"].startswith("U") and "@" in data["email"]
    assert data["https://slack.com/user_id"] == data["sub"] and data["https://slack.com/team_id"].startswith("T")
