"""`slackctl api batch`: many calls from JSON lines — exactly once, in order per key, in one process."""

from __future__ import annotations

import json

import pytest

from tests.conftest import register_secret


@pytest.fixture
def bot_env(slackctl_env, bot_token):
    return {"SLACK_BOT_TOKEN": bot_token}


def _lines(*bodies: dict) -> str:
    return "".join(json.dumps(b) + "\n" for b in bodies)


def _texts(emulator, channel: str, prefix: str) -> list[str]:
    return [m["text"] for m in emulator.messages(channel) if str(m.get("text", "")).startswith(prefix)]


def test_batch_posts_every_line_once_in_order_per_channel(cli, emulator, bot_env):
    bodies = [{"channel": ch, "text": f"b-{ch}-{i}"} for i in range(6) for ch in ("general", "random")]
    result = cli("api", "batch", "chat.postMessage", input=_lines(*bodies), env=bot_env)
    assert result.exit_code == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    # One response per line, printed in input order.
    assert [r["message"]["text"] for r in out] == [b["text"] for b in bodies]
    for ch in ("general", "random"):
        assert _texts(emulator, ch, "b-") == [f"b-{ch}-{i}" for i in range(6)]
    assert len(emulator.requests("chat.postMessage")) == len(bodies)


def test_batch_waits_out_per_channel_rate_limits_without_duplicates(cli, slackctl_env):
    from slackctl.emulator import start_emulator

    with start_emulator(rate_limits=True) as emu:
        token = emu.mint_token(kind="bot")["token"]
        register_secret(token)
        bodies = [{"channel": ch, "text": f"r-{i}"} for i in range(5) for ch in ("general", "random")]
        result = cli(
            "api",
            "batch",
            "chat.postMessage",
            input=_lines(*bodies),
            env={"SLACK_BOT_TOKEN": token, "SLACKCTL_SLACK_URL": emu.url},
        )
        assert result.exit_code == 0, result.stderr
        for ch in ("general", "random"):
            assert _texts(emu, ch, "r-") == [f"r-{i}" for i in range(5)]
        statuses = [r["status"] for r in emu.requests("chat.postMessage")]
        assert statuses.count(200) == len(bodies)
        assert 429 in statuses, "the per-channel limit was never hit: this test would not show waiting"


def test_a_bad_line_is_exit_2_and_nothing_is_sent(cli, emulator, bot_env):
    text = _lines({"channel": "general", "text": "ok"}) + "{not json\n"
    result = cli("api", "batch", "chat.postMessage", input=text, env=bot_env)
    assert result.exit_code == 2
    assert "stdin line 2 is not JSON" in result.stderr
    assert emulator.requests("chat.postMessage") == []


def test_a_token_field_is_refused(cli, emulator, bot_env):
    result = cli("api", "batch", "chat.postMessage", input=_lines({"channel": "general", "token": "x"}), env=bot_env)
    assert result.exit_code == 2
    assert "token" in result.stderr
    assert emulator.requests("chat.postMessage") == []


def test_failed_lines_are_named_and_the_rest_still_go_out(cli, emulator, bot_env):
    bodies = [
        {"channel": "general", "text": "f-1"},
        {"channel": "CNOPE000", "text": "f-2"},
        {"channel": "general", "text": "f-3"},
    ]
    result = cli("api", "batch", "chat.postMessage", input=_lines(*bodies), env=bot_env)
    assert result.exit_code == 1
    assert "line 2: chat.postMessage failed: channel_not_found" in result.stderr
    assert _texts(emulator, "general", "f-") == ["f-1", "f-3"]
    assert len(result.stdout.splitlines()) == 3


def test_a_write_that_hits_a_server_error_is_not_repeated(cli, emulator, bot_env):
    emulator.inject_fault("chat.postMessage", "500", count=1)
    result = cli("api", "batch", "chat.postMessage", input=_lines({"channel": "general", "text": "once"}), env=bot_env)
    assert result.exit_code != 0
    assert len(emulator.requests("chat.postMessage")) == 1


def test_batch_from_a_file_with_no_key(cli, emulator, bot_env, tmp_path):
    path = tmp_path / "calls.jsonl"
    path.write_text(_lines({"channel": "general", "text": "k-1"}, {"channel": "general", "text": "k-2"}))
    result = cli("api", "batch", "chat.postMessage", "--input", str(path), "--key", "", env=bot_env)
    assert result.exit_code == 0, result.stderr
    assert sorted(_texts(emulator, "general", "k-")) == ["k-1", "k-2"]


def test_ctrl_c_stops_sending_and_says_how_many_calls_were_made(slackctl_env):
    import os
    import re
    import signal
    import subprocess
    import sys

    from slackctl.emulator import start_emulator

    with start_emulator(rate_limits=True) as emu:
        token = emu.mint_token(kind="bot")["token"]
        register_secret(token)
        bodies = [{"channel": "general", "text": f"i-{i}"} for i in range(8)]  # 1 per second: ~7 s in all
        env = dict(os.environ, SLACK_BOT_TOKEN=token, SLACKCTL_SLACK_URL=emu.url)
        proc = subprocess.Popen(
            [sys.executable, "-m", "slackctl", "api", "batch", "chat.postMessage"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(_lines(*bodies))
        proc.stdin.close()
        first = proc.stdout.readline()  # the first response is out: the batch is under way
        assert json.loads(first)["ok"] is True
        proc.send_signal(signal.SIGINT)
        out = proc.stdout.read()
        assert proc.stderr is not None
        err = proc.stderr.read()
        assert proc.wait(30) == 130, err
        match = re.search(r"interrupted: (\d+) of 8 calls were made", err)
        assert match, err
        made = int(match.group(1))
        texts = _texts(emu, "general", "i-")
        assert 1 <= made < 8
        assert texts == [f"i-{i}" for i in range(made)]  # exactly the calls it reports, once each, in order
        assert token not in out + err
