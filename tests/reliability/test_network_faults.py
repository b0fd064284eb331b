"""Network faults against the real emulator: a 429 storm on 30% of calls, 503s, responses cut off mid-body and
responses slower than --timeout. Every test checks what the user sees and, on the emulator, that no message
or item was lost or delivered twice."""

from __future__ import annotations

import json
import time

import pytest

from tests.reliability.helpers import cutting_proxy, storm


@pytest.fixture
def bot_env(slackctl_env, bot_token):
    return {"SLACK_BOT_TOKEN": bot_token}


def _texts(emulator, prefix: str) -> list[str]:
    return [m.get("text") for m in emulator.messages("general") if str(m.get("text", "")).startswith(prefix)]


def _wait_for_requests(emulator, method: str, count: int, deadline: float = 10.0) -> None:
    """A slow request finishes on the emulator after the client gave up: wait for it (no sleep-and-hope)."""
    end = time.monotonic() + deadline
    while len(emulator.requests(method)) < count:
        assert time.monotonic() < end, f"{method}: the emulator never finished {count} request(s)"
        time.sleep(0.02)


def _one_error_line(stderr: str) -> str:
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


# -- 429 storms ---------------------------------------------------------------------------------------------
def test_429_storm_on_30_percent_of_posts_delivers_every_message_once_in_order(cli, emulator, bot_env):
    sent = [f"storm {i:02d}" for i in range(20)]
    with storm(emulator, {"chat.postMessage"}, share=0.3) as s:
        for text in sent:
            result = cli(
                "api",
                "call",
                "chat.postMessage",
                "channel=general",
                f"text={text}",
                "--silent",
                "--max-retries",
                "20",
                env=bot_env,
            )
            assert result.exit_code == 0, result.stderr
            assert result.stdout == ""
    assert 0.15 <= s.hits / s.calls <= 0.45, (s.hits, s.calls)  # the storm really blew
    assert _texts(emulator, "storm ") == sent
    statuses = [r["status"] for r in emulator.requests("chat.postMessage")]
    assert statuses.count(429) == s.hits and statuses.count(200) == len(sent)


def test_429_storm_while_paging_delivers_every_item_once(cli, emulator, bot_env):
    emulator.seed({"generate": {"users": 1000}})
    calm = cli("api", "call", "users.list", "limit:=50", "--jsonl", "--jq", ".id", env=bot_env).stdout.split()
    with storm(emulator, {"users.list"}, share=0.3) as s:
        result = cli(
            "api", "call", "users.list", "limit:=50", "--jsonl", "--jq", ".id", "--max-retries", "20", env=bot_env
        )
    assert result.exit_code == 0, result.stderr
    assert s.hits >= 3
    ids = result.stdout.split()
    assert ids == calm and len(set(ids)) == len(ids) > 1000


def test_429_storm_longer_than_max_retries_says_what_to_do(cli, emulator, bot_env):
    with storm(emulator, {"chat.postMessage"}, share=1.0):
        result = cli(
            "api", "call", "chat.postMessage", "channel=general", "text=never", "--max-retries", "2", env=bot_env
        )
    assert result.exit_code == 1
    assert "ratelimited" in result.stderr and "--max-retries" in result.stderr
    assert _texts(emulator, "never") == []


# -- 503 ---------------------------------------------------------------------------------------------------
def test_503_on_a_read_is_retried_and_succeeds(cli, emulator, bot_env, instant_waits):
    emulator.inject_fault("conversations.history", "503", count=2, retry_after=0)
    result = cli("api", "call", "conversations.history", "channel=general", env=bot_env)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["ok"] is True
    assert len(emulator.requests("conversations.history")) == 3
    assert instant_waits == [0.5, 1.0]  # back-off asked for, not slept through by the test


def test_503_on_a_write_is_reported_and_not_repeated(cli, emulator, bot_env):
    emulator.inject_fault("chat.postMessage", "503", count=1, retry_after=0)
    result = cli("api", "call", "chat.postMessage", "channel=general", "text=unavailable", env=bot_env)
    assert result.exit_code == 1
    assert "service_unavailable" in result.stderr
    assert len(emulator.requests("chat.postMessage")) == 1 and _texts(emulator, "unavailable") == []


# -- connections dropped mid-response ----------------------------------------------------------------------
def test_write_cut_off_mid_response_is_exit_3_not_repeated_and_posted_once(cli, emulator, bot_env):
    with cutting_proxy(emulator.url, {"chat.postMessage": 1}) as proxy:
        result = cli(
            "api",
            "call",
            "chat.postMessage",
            "channel=general",
            "text=cut once",
            env=dict(bot_env, SLACKCTL_SLACK_URL=proxy.url),
        )
    assert proxy.cuts == ["chat.postMessage"]
    assert result.exit_code == 3
    line = _one_error_line(result.stderr)
    assert "chat.postMessage" in line and "may have been carried out" in line
    assert result.stdout == ""
    # The server did post it; slackctl did not post it a second time.
    assert _texts(emulator, "cut once") == ["cut once"]
    assert len(emulator.requests("chat.postMessage")) == 1


def test_read_cut_off_mid_response_is_retried_and_complete(cli, emulator, bot_env, instant_waits):
    emulator.seed({"generate": {"users": 300}})
    with cutting_proxy(emulator.url, {"users.list": 1}) as proxy:
        result = cli(
            "api",
            "call",
            "users.list",
            "limit:=100",
            "--paginate",
            "--jq",
            "[.members[].id]",
            env=dict(bot_env, SLACKCTL_SLACK_URL=proxy.url),
        )
    assert proxy.cuts == ["users.list"]
    assert result.exit_code == 0, result.stderr
    ids = json.loads(result.stdout)
    assert len(ids) == len(set(ids)) > 300
    assert instant_waits == [0.25]


# -- slower than --timeout ----------------------------------------------------------------------------------
def test_slow_write_past_timeout_is_exit_3_and_lands_exactly_once(cli, emulator, bot_env):
    emulator.inject_fault("chat.postMessage", "slow", count=1, delay=1.0)
    result = cli(
        "api", "call", "chat.postMessage", "channel=general", "text=slow once", "--timeout", "0.2", env=bot_env
    )
    assert result.exit_code == 3
    line = _one_error_line(result.stderr)
    assert "within the timeout" in line and "may have been made" in line
    _wait_for_requests(emulator, "chat.postMessage", 1)
    assert _texts(emulator, "slow once") == ["slow once"]  # posted by the server, never repeated by slackctl
    assert len(emulator.requests("chat.postMessage")) == 1


def test_slow_read_past_timeout_is_retried(cli, emulator, bot_env, instant_waits):
    emulator.inject_fault("conversations.history", "slow", count=1, delay=1.0)
    result = cli("api", "call", "conversations.history", "channel=general", "--timeout", "0.2", env=bot_env)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["ok"] is True
    _wait_for_requests(emulator, "conversations.history", 2)
    assert instant_waits == [0.5]


def test_slow_read_past_timeout_without_retries_is_exit_3(cli, emulator, bot_env):
    emulator.inject_fault("conversations.history", "slow", count=1, delay=1.0)
    result = cli(
        "api", "call", "conversations.history", "channel=general", "--timeout", "0.2", "--max-retries", "0", env=bot_env
    )
    assert result.exit_code == 3
    assert "within the timeout" in _one_error_line(result.stderr)
    _wait_for_requests(emulator, "conversations.history", 1)
