"""Progress of a long --paginate (issue 19, item 11): a live line on a terminal, nothing extra when piped unless
--progress asks for it."""

from __future__ import annotations

import json
import os
import sys

import pexpect


def test_piped_paging_prints_nothing_extra(cli, bot_token):
    result = cli("api", "call", "users.list", "limit=1", "--paginate", env={"SLACK_TOKEN": bot_token})
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert len(json.loads(result.stdout)["members"]) >= 2


def test_progress_flag_reports_each_page_when_piped(cli, bot_token):
    result = cli("api", "call", "users.list", "limit=1", "--paginate", "--progress", env={"SLACK_TOKEN": bot_token})
    assert result.exit_code == 0, result.stderr
    members = len(json.loads(result.stdout)["members"])
    lines = [line for line in result.stderr.splitlines() if line.startswith("… users.list:")]
    assert lines[0] == "… users.list: 1 page, 1 items"
    assert lines[-1] == f"… users.list: {members} pages, {members} items"
    jsonl = cli("api", "call", "users.list", "limit=1", "--jsonl", "--progress", env={"SLACK_TOKEN": bot_token})
    assert f"… users.list: {members} pages, {members} items" in jsonl.stderr


def test_a_terminal_gets_a_live_line_with_pages_and_items(slackctl_env, bot_token):
    env = dict(os.environ, SLACK_TOKEN=bot_token, TERM="xterm")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "slackctl", "api", "call", "users.list", "limit=1", "--paginate", "--jq", ".members | length"],
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 160),
    )
    child.expect(r"users\.list: \d+ pages?, \d+ items")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
