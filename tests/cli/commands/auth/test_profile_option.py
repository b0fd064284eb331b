"""-p/--profile selects a profile on every command and never switches the active one (issue 19, item 1)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest


def _active(env: dict[str, str]) -> str:
    return tomllib.loads((Path(env["SLACKCTL_CONFIG_DIR"]) / "config.toml").read_text())["active"]


@pytest.fixture
def two_profiles(cli, mint) -> tuple[str, str]:
    assert cli("auth", "login", "--with-token", "-p", "first", input=mint("bot")["token"]).exit_code == 0
    assert cli("auth", "login", "--with-token", "-p", "second", input=mint("bot")["token"]).exit_code == 0
    return "first", "second"


@pytest.mark.parametrize(
    "argv",
    [
        ("auth", "status"),
        ("auth", "list"),
        ("auth", "token"),
        ("auth", "whoami"),
        ("tokens", "list"),
        ("api", "call", "auth.test"),
        ("api", "describe", "chat.postMessage"),
    ],
)
def test_an_unknown_profile_is_exit_2_naming_the_known_ones(cli, two_profiles, argv):
    result = cli("-p", "nosuch", *argv)
    assert result.exit_code == 2, (argv, result.output)
    assert "no profile named 'nosuch' (profiles: first, second)" in result.stderr


def test_an_unknown_profile_is_refused_even_when_an_environment_token_wins(cli, two_profiles, bot_token):
    result = cli("-p", "nosuch", "api", "call", "auth.test", env={"SLACK_TOKEN": bot_token})
    assert result.exit_code == 2
    assert "no profile named 'nosuch'" in result.stderr


def test_status_with_p_checks_that_profile_and_leaves_the_active_marker(cli, slackctl_env, two_profiles):
    assert _active(slackctl_env) == "first"
    result = cli("auth", "status", "-p", "second", "--json")
    assert result.exit_code == 0, result.stderr
    entries = json.loads(result.stdout)["profiles"]
    assert [e["profile"] for e in entries] == ["second"]
    assert entries[0]["active"] is False
    assert _active(slackctl_env) == "first"
    human = cli("auth", "status", "-p", "second")
    assert human.stdout.startswith("  second:"), human.stdout  # no '*': second is not the active one


def test_list_with_p_shows_that_profile_with_the_real_active_marker(cli, slackctl_env, two_profiles):
    data = json.loads(cli("auth", "list", "-p", "second", "--json").stdout)
    assert [(d["profile"], d["active"]) for d in data] == [("second", False)]
    data = json.loads(cli("auth", "list", "--json").stdout)
    assert [(d["profile"], d["active"]) for d in data] == [("first", True), ("second", False)]


def test_login_with_p_may_still_name_a_new_profile(cli, slackctl_env, two_profiles, mint):
    result = cli("auth", "login", "--with-token", "-p", "third", input=mint("bot")["token"])
    assert result.exit_code == 0, result.stderr
    assert "third" in json.dumps(json.loads(cli("auth", "list", "--json").stdout))


def test_status_with_no_login_is_an_error_line(cli):
    result = cli("auth", "status")
    assert result.exit_code == 4
    assert result.stderr.startswith("error: not logged in to any workspace"), result.stderr


def test_storage_has_one_name_in_list_and_status(cli, mint):
    assert cli("auth", "login", "--with-token", "--insecure-storage", input=mint("bot")["token"]).exit_code == 0
    listing = cli("auth", "list").stdout
    status = cli("auth", "status").stdout
    assert "plaintext file" in listing and "plaintext file" in status
    assert json.loads(cli("auth", "list", "--json").stdout)[0]["storage"] == "file"
    assert json.loads(cli("auth", "status", "--json").stdout)["profiles"][0]["storage"] == "file"
