"""Hints that name what is really wrong (issue 19, item 5): the token's variable, a user token's scopes flag,
the argument and its type, the method name, a template's likely spelling."""

from __future__ import annotations


def test_a_refused_environment_token_names_its_variable(cli, emulator):
    result = cli("api", "call", "auth.test", env={"SLACK_TOKEN": "xoxb-1-2-bogus"})
    assert result.exit_code == 4
    assert "the token came from SLACK_TOKEN" in result.stderr and "unset it" in result.stderr


def test_missing_scope_on_a_user_token_suggests_user_scopes(cli, mint):
    token = mint("user", scopes=["users:read"])["token"]
    result = cli("api", "call", "chat.postMessage", "channel=general", "text=hi", env={"SLACK_USER_TOKEN": token})
    assert result.exit_code == 1, result.stderr
    assert "auth login --user-scopes chat:write" in result.stderr and "--scopes" not in result.stderr


def test_missing_scope_on_a_bot_token_still_suggests_scopes(cli, mint):
    token = mint("bot", scopes=["users:read"])["token"]
    result = cli("api", "call", "chat.postMessage", "channel=general", "text=hi", env={"SLACK_BOT_TOKEN": token})
    assert result.exit_code == 1 and "auth login --scopes chat:write" in result.stderr


def test_invalid_arguments_names_the_argument_and_its_type(cli, bot_token):
    result = cli("api", "call", "users.list", "limit=abc", env={"SLACK_TOKEN": bot_token})
    assert result.exit_code == 1
    assert "argument 'limit' of users.list is a number" in result.stderr
    assert "slackctl api describe users.list" in result.stderr and "METHOD" not in result.stderr


def test_the_general_invalid_arguments_hint_names_the_method():
    from slackctl.errors import hint_for

    assert hint_for("invalid_arguments", {}, "chat.update") == "see its arguments: slackctl api describe chat.update"


def test_a_mistyped_template_gets_a_did_you_mean(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("create", "my-app", "-t", "bolt-pyton")
    assert result.exit_code == 2
    assert "did you mean 'bolt-python'?" in result.stderr
