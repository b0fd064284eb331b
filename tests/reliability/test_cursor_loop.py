"""`api call --paginate` / `--jsonl` against a server whose next_cursor repeats: slackctl stops with exit 1 and
one line saying so, instead of fetching the same pages forever. (A real loopback server; it ends the pages after
50 calls so that a slackctl without the check still finishes, and the test can count what it fetched.)"""

from __future__ import annotations

import json

import pytest

from tests.reliability.hostile import hostile_server

GIVE_UP = 50


def _repeating(cycle: list[str]):
    def answer(method: str, before: int) -> dict:
        cursor = cycle[before % len(cycle)] if before < GIVE_UP else ""
        return {"ok": True, "members": [{"id": f"U{before}"}], "response_metadata": {"next_cursor": cursor}}

    return answer


@pytest.mark.parametrize("cycle", [["same"], ["a", "b", "c"]], ids=["same-cursor", "cycle-of-three"])
@pytest.mark.parametrize("mode", ["--paginate", "--jsonl"])
def test_a_repeating_next_cursor_stops_with_exit_1(cli, slackctl_env, bot_token, cycle, mode):
    with hostile_server(_repeating(cycle)) as server:
        result = cli(
            "api", "call", "users.list", mode, env={"SLACK_BOT_TOKEN": bot_token, "SLACKCTL_SLACK_URL": server.url}
        )
    assert result.exit_code == 1, result.stderr
    # Each cursor is asked for once; the repeat is seen on the page after the cycle (one more page may have been
    # prefetched while that page was handled), and nothing more is asked.
    assert len(cycle) + 1 <= len(server.calls) <= len(cycle) + 2
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "next_cursor" in lines[0] and "repeat" in lines[0], result.stderr
    if mode == "--jsonl":  # what was read before the loop was seen is still written, each item once
        ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
        assert ids == [f"U{i}" for i in range(len(cycle) + 1)]
    else:
        assert result.stdout == ""


def test_distinct_cursors_are_followed_to_the_end(cli, slackctl_env, bot_token):
    def answer(method: str, before: int) -> dict:
        return {
            "ok": True,
            "members": [{"id": f"U{before}"}],
            "response_metadata": {"next_cursor": f"c{before}" if before < 4 else ""},
        }

    with hostile_server(answer) as server:
        result = cli(
            "api",
            "call",
            "users.list",
            "--paginate",
            env={"SLACK_BOT_TOKEN": bot_token, "SLACKCTL_SLACK_URL": server.url},
        )
    assert result.exit_code == 0, result.stderr
    assert [m["id"] for m in json.loads(result.stdout)["members"]] == [f"U{i}" for i in range(5)]


def test_datastore_query_jsonl_stops_at_a_repeating_cursor(cli, slackctl_env, bot_token):
    def answer(method: str, before: int) -> dict:
        cursor = "same" if before < GIVE_UP else ""
        return {
            "ok": True,
            "datastore": "tasks",
            "items": [{"id": f"t{before}"}],
            "response_metadata": {"next_cursor": cursor},
        }

    with hostile_server(answer) as server:
        result = cli(
            "datastore",
            "query",
            '{"datastore": "tasks"}',
            "--jsonl",
            env={"SLACK_BOT_TOKEN": bot_token, "SLACKCTL_SLACK_URL": server.url},
        )
    assert result.exit_code == 1, result.stderr
    assert 2 <= len(server.calls) <= 3
    assert "next_cursor" in result.stderr and "repeat" in result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["t0", "t1"]
