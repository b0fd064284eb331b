"""`slackctl auth status` with --slack-url naming another host than a profile's (issue 23 item 17): its tokens
are not asked there (every one came back FAILED, invalid_auth), they are shown as not checked."""

from __future__ import annotations

import json
import re

from slackctl.emulator import start_emulator


def test_status_with_another_slack_url_does_not_fail_the_tokens_of_other_hosts(cli, mint, emulator):
    assert cli("auth", "login", "--with-token", input=mint("bot")["token"]).exit_code == 0
    with start_emulator(auto_approve=True, rate_limits=False) as other:
        result = cli("--slack-url", other.url, "auth", "status")
        as_json = json.loads(cli("--slack-url", other.url, "auth", "status", "--json").stdout)
    assert result.exit_code == 0, result.stderr
    assert "FAILED" not in result.stdout
    assert f"not checked (logged in at {emulator.url})" in result.stdout
    (profile,) = as_json["profiles"]
    assert profile["tokens"]["bot"] == {"ok": None, "not_checked": f"logged in at {emulator.url}"}


def test_status_with_the_profiles_own_slack_url_still_checks_it(cli, mint, emulator):
    assert cli("auth", "login", "--with-token", input=mint("bot")["token"]).exit_code == 0
    result = cli("--slack-url", emulator.url + "/", "auth", "status")
    assert result.exit_code == 0 and re.search(r"bot +ok", result.stdout), result.stdout
