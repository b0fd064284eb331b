"""Oversized and malformed JSON given to `slackctl api call` (--input, @file fields, stdin): one clear line, a
documented exit code, no traceback, and nothing sent. (Field syntax errors: tests/cli/test_fields.py; manifests:
tests/slack/test_manifest.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

DEPTH = 100_000  # far past Python's recursion limit: the JSON parser gives up


@pytest.fixture
def bot_env(slackctl_env, bot_token):
    return {"SLACK_BOT_TOKEN": bot_token}


def _one_error_line(stderr: str) -> str:
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


MALFORMED = {
    "truncated": (b'{"channel": "general", "text": ', "is not JSON"),
    "empty": (b"", "is not JSON"),
    "array": (b'[{"channel": "general"}]', "must hold a JSON object"),
    "string": (b'"general"', "must hold a JSON object"),
    "not utf-8": (b'{"text": "\xff\xfe"}', "not UTF-8"),
    "deeply nested": (b'{"blocks": ' + b"[" * DEPTH + b"]" * DEPTH + b"}", "is not JSON"),
    "trailing garbage": (b'{"channel": "general"} {"text": "two"}', "is not JSON"),
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_input_file_is_exit_2_naming_the_file_and_sends_nothing(cli, emulator, bot_env, tmp_path, name):
    content, words = MALFORMED[name]
    path = tmp_path / "body.json"
    path.write_bytes(content)
    result = cli("api", "call", "chat.postMessage", "--input", str(path), env=bot_env)
    assert result.exit_code == 2, result.stderr
    line = _one_error_line(result.stderr)
    assert "--input" in line and words in line, line
    assert result.stdout == ""
    assert emulator.requests("chat.postMessage") == []


def test_malformed_input_on_stdin_is_exit_2(cli, emulator, bot_env):
    result = cli("api", "call", "chat.postMessage", "--input", "-", input='{"channel": "general",', env=bot_env)
    assert result.exit_code == 2
    assert "--input - is not JSON" in _one_error_line(result.stderr)
    assert emulator.requests("chat.postMessage") == []


@pytest.mark.parametrize("where", ["missing", "directory"])
def test_an_input_path_that_is_not_a_file_is_exit_2(cli, emulator, bot_env, tmp_path, where):
    path = tmp_path / "nope.json" if where == "missing" else tmp_path
    result = cli("api", "call", "chat.postMessage", "--input", str(path), env=bot_env)
    assert result.exit_code == 2
    assert str(path) in _one_error_line(result.stderr)
    assert emulator.requests("chat.postMessage") == []


def test_deeply_nested_json_field_from_a_file_is_exit_2(cli, emulator, bot_env, tmp_path):
    path = tmp_path / "blocks.json"
    path.write_text("[" * DEPTH + "]" * DEPTH)
    result = cli("api", "call", "chat.postMessage", "channel=general", f"blocks:=@{path}", env=bot_env)
    assert result.exit_code == 2
    line = _one_error_line(result.stderr)
    assert "field 'blocks'" in line and "invalid JSON" in line
    assert emulator.requests("chat.postMessage") == []


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_json_number_constants_in_input_are_exit_2(cli, emulator, bot_env, tmp_path, constant):
    path = tmp_path / "body.json"
    path.write_text('{"channel": "general", "text": "x", "unfurl_media": ' + constant + "}")
    result = cli("api", "call", "chat.postMessage", "--input", str(path), env=bot_env)
    assert result.exit_code == 2, result.stderr
    assert emulator.requests("chat.postMessage") == []


def _big_file(path: Path, megabytes: int, *, as_json: bool) -> Path:
    filler = "x" * (megabytes * 1024 * 1024)
    path.write_text('{"channel": "general", "text": "' + filler + '"}' if as_json else filler)
    return path


@pytest.mark.parametrize("how", ["--input", "text=@file"])
def test_a_50_mb_body_is_one_clear_error_and_posts_nothing(cli, emulator, bot_env, tmp_path, how):
    if how == "--input":
        args = ["--input", str(_big_file(tmp_path / "big.json", 50, as_json=True))]
    else:
        args = ["channel=general", f"text=@{_big_file(tmp_path / 'big.txt', 50, as_json=False)}"]
    before = len(emulator.messages("general"))
    result = cli("api", "call", "chat.postMessage", *args, env=bot_env)
    # Slack (and the emulator) refuse the body: Slack's error, one line, exit 1; nothing half-posted.
    assert result.exit_code == 1, result.stderr
    line = _one_error_line(result.stderr)
    assert "chat.postMessage" in line and "request_too_large" in line
    assert len(emulator.messages("general")) == before


# -- issue 24 item 12: numbers and URLs that used to end in "unexpected … this is a bug" ----------------------------
@pytest.mark.parametrize(
    "args,env",
    [
        (("api", "call", "auth.test", "--timeout", "nan"), {}),
        (("api", "call", "auth.test", "--timeout", "inf"), {}),
        (("api", "call", "auth.test"), {"SLACKCTL_TIMEOUT": "1e400"}),
        (("api", "call", "auth.test"), {"SLACKCTL_TIMEOUT": "nan"}),
        (
            ("webhook", "send", "--text", "x", "--timeout", "nan"),
            {"SLACK_WEBHOOK_URL": "http://127.0.0.1:9/services/T1/B1/x"},
        ),
        (("auth", "login", "--client-id", "1.2", "--no-browser", "--timeout", "nan"), {}),
    ],
    ids=[
        "--timeout nan",
        "--timeout inf",
        "SLACKCTL_TIMEOUT=1e400",
        "SLACKCTL_TIMEOUT=nan",
        "webhook nan",
        "login nan",
    ],
)
def test_a_timeout_that_is_not_a_finite_number_is_one_usage_line(cli, emulator, bot_env, args, env):
    result = cli(*args, env={**bot_env, **env})
    assert result.exit_code == 2, result.stderr
    line = _one_error_line(result.stderr)
    assert "--timeout must be a number of seconds" in line and "this is a bug" not in line
    assert emulator.requests() == []


@pytest.mark.parametrize("url", ["http://[::1", "http://127.0.0.1:99999", "http://:8787"])
@pytest.mark.parametrize("via", ["--slack-url", "SLACKCTL_SLACK_URL"])
def test_a_slack_url_urllib_cannot_read_is_one_usage_line(cli, emulator, bot_env, url, via):
    args = ("--slack-url", url, "api", "call", "auth.test") if via == "--slack-url" else ("api", "call", "auth.test")
    result = cli(*args, env={**bot_env, **({"SLACKCTL_SLACK_URL": url} if via != "--slack-url" else {})})
    assert result.exit_code == 2, result.stderr
    assert "--slack-url is not a valid URL" in _one_error_line(result.stderr)


@pytest.mark.secrets_in_files  # the URL file holds the URL on purpose
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_webhook_url_file_other_users_can_read_is_refused_with_the_chmod_fix(cli, emulator, tmp_path, mode):
    path = tmp_path / "hook.url"
    path.write_text("http://127.0.0.1:9/services/T1/B1/secretpart\n")
    path.chmod(mode)
    result = cli("webhook", "send", "--url-file", str(path), "--text", "x")
    assert result.exit_code == 2
    line = _one_error_line(result.stderr)
    assert f"is readable by other users (mode {mode:04o})" in line and f"chmod 600 {path}" in line
    assert "secretpart" not in result.output
