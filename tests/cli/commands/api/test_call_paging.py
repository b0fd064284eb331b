"""`slackctl api call` pagination (merge, JSON lines, limits) and the retry rules for 429, 5xx and drops."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def bot_env(slackctl_env, bot_token):
    return {"SLACK_BOT_TOKEN": bot_token}


@pytest.fixture
def many_users(emulator):
    emulator.seed({"generate": {"users": 450}})
    return emulator


def _user_count(cli, env):
    return len(json.loads(cli("api", "call", "users.list", "limit:=1000", env=env).stdout)["members"])


def test_paginate_merges_every_page_into_one_response(cli, many_users, bot_env):
    total = _user_count(cli, bot_env)
    many_users.clear_requests()
    result = cli("api", "call", "users.list", "--paginate", "limit:=100", env=bot_env)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    ids = [m["id"] for m in data["members"]]
    assert len(ids) == total == len(set(ids))
    assert data["response_metadata"]["next_cursor"] == ""
    requests = many_users.requests("users.list")
    assert len(requests) == -(-total // 100)
    assert "cursor" not in requests[0]["body"] and all("cursor" in r["body"] for r in requests[1:])


def test_paginate_uses_a_page_size_of_200_by_default(cli, many_users, bot_env):
    assert cli("api", "call", "users.list", "--paginate", "--silent", env=bot_env).exit_code == 0
    assert {r["body"]["limit"] for r in many_users.requests("users.list")} == {"200"}


def test_jsonl_streams_one_item_per_line(cli, many_users, bot_env):
    total = _user_count(cli, bot_env)
    result = cli("api", "call", "users.list", "--jsonl", env=bot_env)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == total
    assert all(json.loads(line)["id"].startswith("U") for line in lines)


def test_jsonl_with_jq_filters_each_item(cli, many_users, bot_env):
    result = cli("api", "call", "users.list", "--jsonl", "--jq", ".name", "--limit", "3", env=bot_env)
    assert result.stdout.splitlines() == ["ada", "grace", "linus"]


def test_limit_stops_early_and_asks_for_no_more_pages(cli, many_users, bot_env):
    merged = cli("api", "call", "users.list", "--limit", "250", env=bot_env)
    assert len(json.loads(merged.stdout)["members"]) == 250
    assert len(many_users.requests("users.list")) == 2
    many_users.clear_requests()
    streamed = cli("api", "call", "users.list", "--jsonl", "--limit", "5", env=bot_env)
    assert len(streamed.stdout.splitlines()) == 5
    (only,) = many_users.requests("users.list")
    assert only["body"]["limit"] == "5"


def test_error_on_a_later_page_fails_the_command(cli, many_users, bot_env):
    many_users.inject_fault("users.list", "500", count=10)
    result = cli("api", "call", "users.list", "--paginate", "--max-retries", "1", env=bot_env)
    assert result.exit_code == 1
    assert "internal_error" in result.stderr


def test_paginated_json_body_carries_the_cursor_in_the_body(cli, many_users, bot_env):
    result = cli("api", "call", "conversations.list", "--paginate", "--json-body", "limit:=1", env=bot_env)
    assert result.exit_code == 0, result.stderr
    requests = many_users.requests("conversations.list")
    assert len(requests) > 1
    assert all(r["content_type"].startswith("application/json") for r in requests)
    assert all("cursor" in r["body"] for r in requests[1:])


# -- 429 ------------------------------------------------------------------------------------------------------
def test_429_waits_and_retries_without_duplicating_the_write(cli, emulator, bot_env):
    emulator.inject_fault("chat.postMessage", "429", count=2, retry_after=0)
    result = cli("api", "call", "chat.postMessage", "channel=general", "text=exactly once", env=bot_env)
    assert result.exit_code == 0, result.stderr
    assert len(emulator.requests("chat.postMessage")) == 3
    posted = [m for m in emulator.messages("general") if m.get("text") == "exactly once"]
    assert len(posted) == 1


def test_429_during_paging_loses_no_page(cli, many_users, bot_env):
    total = _user_count(cli, bot_env)
    many_users.clear_requests()
    many_users.inject_fault("users.list", "429", count=1, retry_after=0)
    result = cli("api", "call", "users.list", "--jsonl", "limit:=100", env=bot_env)
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert len(ids) == total == len(set(ids))


def test_429_shows_a_wait_line_and_gives_up_after_max_retries(cli, emulator, bot_env):
    emulator.inject_fault("auth.test", "429", count=5, retry_after=0)
    result = cli("-v", "api", "call", "auth.test", "--max-retries", "2", env=bot_env)
    assert result.exit_code == 1
    assert len(emulator.requests("auth.test")) == 3
    assert result.stderr.count("rate-limited on auth.test: retrying in") == 2
    assert "Slack is rate-limiting auth.test" in result.stderr and "--max-retries" in result.stderr


# -- 5xx and dropped connections -------------------------------------------------------------------------------
def test_a_read_is_retried_after_a_500(cli, emulator, bot_env):
    emulator.inject_fault("users.list", "500", count=1)
    result = cli("api", "call", "users.list", env=bot_env)
    assert result.exit_code == 0
    assert len(emulator.requests("users.list")) == 2


def test_a_write_is_not_retried_after_a_500(cli, emulator, bot_env):
    emulator.inject_fault("chat.postMessage", "500", count=1)
    result = cli("api", "call", "chat.postMessage", "channel=general", "text=once", env=bot_env)
    assert result.exit_code == 1 and "internal_error" in result.stderr
    assert len(emulator.requests("chat.postMessage")) == 1


def test_a_write_is_not_retried_after_a_dropped_connection(cli, emulator, bot_env):
    emulator.inject_fault("chat.postMessage", "drop", count=1)
    result = cli("api", "call", "chat.postMessage", "channel=general", "text=once", env=bot_env)
    assert result.exit_code == 3
    assert "may have been carried out" in result.stderr
    assert len(emulator.requests("chat.postMessage")) == 1


def test_a_read_is_retried_after_a_dropped_connection(cli, emulator, bot_env):
    emulator.inject_fault("conversations.history", "drop", count=1)
    result = cli("api", "call", "conversations.history", "channel=general", env=bot_env)
    assert result.exit_code == 0, result.stderr
    assert len(emulator.requests("conversations.history")) == 2


def test_connection_refused_is_retried_then_exit_3(cli, slackctl_env, bot_token):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again before the call: nothing listens there
    result = cli(
        "--slack-url",
        f"http://127.0.0.1:{port}",
        "api",
        "call",
        "chat.postMessage",
        "channel=C1",
        "text=x",
        "--max-retries",
        "1",
        env={"SLACK_BOT_TOKEN": bot_token},
    )
    assert result.exit_code == 3 and "cannot reach" in result.stderr


def test_timeout_applies_to_each_response(cli, emulator, bot_env):
    emulator.inject_fault("chat.postMessage", "slow", count=1, delay=1.0)
    result = cli("api", "call", "chat.postMessage", "channel=general", "text=x", "--timeout", "0.2", env=bot_env)
    assert result.exit_code == 3 and "within the timeout" in result.stderr and "--timeout" in result.stderr
    from tests.slack.test_client import wait_for_log

    wait_for_log(emulator, "chat.postMessage")


def test_jsonl_into_a_closed_pipe_stops_quietly(emulator, slackctl_env, bot_token):
    import os
    import subprocess
    import sys

    emulator.seed({"generate": {"users": 5000}})
    env = dict(os.environ, SLACK_BOT_TOKEN=bot_token)
    proc = subprocess.Popen(
        [sys.executable, "-m", "slackctl", "api", "call", "users.list", "--jsonl"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    first = proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=30) == 0, stderr
    assert json.loads(first)["id"] and stderr == ""
    assert len(emulator.requests("users.list")) < 5000 // 200  # stopped fetching pages
