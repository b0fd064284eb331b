"""Which calls are repeated after a server error: one rule (slack/reads.is_read_method) for `api call` and the
client, by the method's name; Slack documenting a write as GET does not make it safe to repeat."""

from __future__ import annotations

import pytest


@pytest.fixture
def bot_env(slackctl_env, bot_token):
    return {"SLACK_BOT_TOKEN": bot_token}


def test_a_write_documented_as_get_is_not_repeated_after_a_500(cli, emulator, bot_env):
    emulator.inject_fault("admin.emoji.add", "500", count=1)
    result = cli("api", "call", "admin.emoji.add", "name=party", "url=https://example.com/p.png", env=bot_env)
    assert result.exit_code != 0
    (req,) = emulator.requests("admin.emoji.add")
    assert req["status"] == 500


def test_a_read_whose_name_does_not_say_so_is_repeated_after_a_500(cli, emulator, bot_env):
    emulator.inject_fault("conversations.members", "500", count=1)
    result = cli("api", "call", "conversations.members", "channel=general", env=bot_env)
    assert result.exit_code == 0, result.stderr
    assert [r["status"] for r in emulator.requests("conversations.members")] == [500, 200]
