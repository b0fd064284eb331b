"""auth logout: an already-revoked token is success with a note (issue 19, item 8)."""

from __future__ import annotations

import json

import httpx
import pytest


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


@pytest.mark.parametrize("how", ["environment", "option", "argument"])
def test_logout_of_a_named_profile_exits_0_and_deletes_it(run_slackctl, mint, emulator, how: str):
    """Issue 23 item 11: with SLACKCTL_PROFILE=acme the logout revoked and deleted, then failed with exit 2 "no
    profile named 'acme'" (the environment's profile was checked again after the delete)."""
    token = mint("bot")["token"]
    assert run_slackctl("auth", "login", "--with-token", "-p", "acme", input=token).exit_code == 0
    assert run_slackctl("auth", "login", "--with-token", "-p", "other", input=mint("bot")["token"]).exit_code == 0
    args, env = {
        "environment": ((), {"SLACKCTL_PROFILE": "acme"}),
        "option": (("-p", "acme"), {}),
        "argument": (("acme",), {}),
    }[how]
    result = run_slackctl("auth", "logout", *args, env=env)
    assert result.exit_code == 0, result.stderr
    assert "logged out of 'acme'" in result.stderr and "no profile" not in result.stderr
    assert [p["profile"] for p in json.loads(run_slackctl("auth", "list", "--json").stdout)] == ["other"]
    answer = httpx.post(f"{emulator.url}/api/auth.test", headers={"Authorization": f"Bearer {token}"}).json()
    assert answer["error"] == "token_revoked"
