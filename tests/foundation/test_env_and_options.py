"""Environment variables over stored tokens, global options anywhere, --version, usage errors."""

from __future__ import annotations

import pytest


def test_env_token_order_is_slack_token_then_bot_then_user(cli, mint, bot_token, user_token):
    first = mint("bot")["token"]
    result = cli(
        "auth",
        "token",
        allow_secrets=True,
        env={"SLACK_TOKEN": first, "SLACK_BOT_TOKEN": bot_token, "SLACK_USER_TOKEN": user_token},
    )
    assert result.stdout.strip() == first
    both = {"SLACK_BOT_TOKEN": bot_token, "SLACK_USER_TOKEN": user_token}
    result = cli("auth", "token", allow_secrets=True, env=both)
    assert result.stdout.strip() == bot_token
    result = cli("auth", "token", allow_secrets=True, env={"SLACK_USER_TOKEN": user_token})
    assert result.stdout.strip() == user_token


def test_env_token_wins_over_the_stored_profile(cli, bot_token, mint):
    cli("auth", "login", "--with-token", input=bot_token)
    env_tok = mint("bot")["token"]
    result = cli("auth", "token", allow_secrets=True, env={"SLACK_TOKEN": env_tok})
    assert result.stdout.strip() == env_tok


def test_global_options_work_after_the_subcommand(cli, bot_token, mint):
    cli("auth", "login", "--with-token", input=bot_token)
    other = mint("bot")["token"]
    cli("auth", "login", "--with-token", "--profile", "other", input=other)
    result = cli("auth", "token", "-p", "other", allow_secrets=True)
    assert result.stdout.strip() == other


def test_profile_env_var_selects_the_profile(cli, bot_token, mint):
    cli("auth", "login", "--with-token", input=bot_token)
    other = mint("bot")["token"]
    cli("auth", "login", "--with-token", "--profile", "other", input=other)
    result = cli("auth", "token", allow_secrets=True, env={"SLACKCTL_PROFILE": "other"})
    assert result.stdout.strip() == other


def test_unknown_profile_is_a_usage_error(cli, bot_token):
    cli("auth", "login", "--with-token", input=bot_token)
    result = cli("auth", "token", "--profile", "ghost")
    assert result.exit_code == 2
    assert "ghost" in result.stderr


def test_bad_slack_url_is_a_usage_error(cli):
    result = cli("--slack-url", "slack.com", "auth", "list")
    assert result.exit_code == 2
    assert "--slack-url" in result.stderr


def test_unreachable_slack_is_a_network_error(cli, bot_token, instant_waits):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # Nothing listens on that port now: this machine said so, so there is nothing to wait for (issue 23 item 15).
    result = cli("auth", "login", "--with-token", "--slack-url", f"http://127.0.0.1:{port}", input=bot_token)
    assert result.exit_code == 3
    assert "cannot reach" in result.stderr
    assert instant_waits == []
    # A host that could not be reached: never reached a server, so retried with back-off.
    result = cli("auth", "login", "--with-token", "--slack-url", "http://slackctl-test.invalid", input=bot_token)
    assert result.exit_code == 3
    assert "cannot reach" in result.stderr
    assert instant_waits == [0.25, 0.5, 1.0, 2.0, 4.0]


@pytest.mark.parametrize("args", [["--version"], ["auth", "--version"]])
def test_version(run_slackctl, args):
    result = run_slackctl(*args[-1:])
    assert result.exit_code == 0
    assert result.stdout.startswith("slackctl ")


def test_unknown_option_is_one_line_exit_2(cli):
    result = cli("auth", "status", "--bogus")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "slackctl auth status --help" in result.stderr


def test_console_script_and_module_agree(run_slackctl):
    result = run_slackctl("--help")
    assert result.exit_code == 0
    assert "auth" in result.stdout
