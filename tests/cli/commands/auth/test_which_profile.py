"""A second login to a workspace goes to the right profile (issue 19, item 2): -p, else the active one when it
is that workspace, else a question at a terminal or an error listing the candidates."""

from __future__ import annotations

import json

import pytest


def _kinds(cli) -> dict[str, list[str]]:
    return {p["profile"]: p["kinds"] for p in json.loads(cli("auth", "list", "--json").stdout)}


@pytest.fixture
def three_profiles(cli, mint) -> None:
    for name in ("a", "b", "c"):
        assert cli("auth", "login", "--with-token", "-p", name, input=mint("bot")["token"]).exit_code == 0


def _config_login(cli, mint, *args: str):
    minted = mint("config")
    return cli("auth", "login", "--with-token", *args, input=f"{minted['token']}\n{minted['refresh_token']}\n")


def test_a_login_goes_to_the_active_profile_of_that_workspace(cli, mint, three_profiles):
    assert cli("auth", "switch", "b").exit_code == 0
    result = _config_login(cli, mint)
    assert result.exit_code == 0, result.stderr
    assert "profile 'b'" in result.stderr
    assert _kinds(cli) == {"a": ["bot"], "b": ["bot", "config", "config-refresh"], "c": ["bot"]}


def test_a_login_goes_to_the_profile_p_names(cli, mint, three_profiles):
    assert _config_login(cli, mint, "-p", "c").exit_code == 0
    assert _kinds(cli)["c"] == ["bot", "config", "config-refresh"]


def test_without_a_terminal_an_ambiguous_login_lists_the_candidates(cli, mint, three_profiles):
    from slackctl.config import config_path, edit_config

    with edit_config(config_path()) as config:  # the active profile is another workspace's
        config.profiles["c"].team_id = "T0OTHER01"
        config.active = "c"
    result = _config_login(cli, mint)
    assert result.exit_code == 2
    assert "2 profiles are logged in to" in result.stderr and "a, b" in result.stderr
    assert "--profile NAME" in result.stderr
    assert _kinds(cli) == {"a": ["bot"], "b": ["bot"], "c": ["bot"]}  # nothing stored


def test_a_login_that_replaces_a_stored_token_says_so(cli, mint):
    first = mint("bot")["token"]
    assert cli("auth", "login", "--with-token", "-p", "conf", input=first).exit_code == 0
    again = cli("auth", "login", "--with-token", "-p", "conf", input=first)
    assert again.exit_code == 0 and "replaced" not in again.stderr  # the same token: nothing lost
    other = cli("auth", "login", "--with-token", "-p", "conf", input=mint("bot")["token"])
    assert other.exit_code == 0
    assert "warning: replaced the bot token stored in conf/bot" in other.stderr and "-p NAME" in other.stderr
