"""auth logout: an already-revoked token is success with a note (issue 19, item 8)."""

from __future__ import annotations

import json


def test_logout_all_with_an_already_revoked_token_exits_0_with_a_note(cli, mint):
    first, second = mint("bot")["token"], mint("bot")["token"]
    assert cli("auth", "login", "--with-token", "-p", "one", input=first).exit_code == 0
    assert cli("auth", "login", "--with-token", "-p", "two", input=second).exit_code == 0
    # Revoke the first token behind slackctl's back, as another machine's logout would.
    revoked = cli("api", "call", "auth.revoke", env={"SLACK_TOKEN": first})
    assert revoked.exit_code == 0, revoked.stderr
    result = cli("auth", "logout", "--all")
    assert result.exit_code == 0, result.stderr
    assert "already revoked" in result.stderr
    assert "revoked the bot token at Slack" in result.stderr  # the second one was revoked for real
    assert json.loads(cli("auth", "list", "--json").stdout) == []
