"""`slackctl webhook send` against the emulator's incoming webhooks: URL sources, payloads (JSON, YAML, fields,
--text), templating, every error answer with its exit code and hint, retries, and the URL kept secret."""

from __future__ import annotations

import json

import pytest

from tests.conftest import register_secret


@pytest.fixture
def hook_app(emulator):
    return emulator.create_app(name="Hooky", bot_scopes=["chat:write", "incoming-webhook"])


@pytest.fixture
def hook(emulator, hook_app):
    minted = emulator.mint_webhook("general", hook_app["app_id"])
    register_secret(minted["url"], minted["url"].rsplit("/", 1)[1])
    return minted


@pytest.fixture
def env(hook):
    return {"SLACK_WEBHOOK_URL": hook["url"]}


def _last(emulator):
    return emulator.messages("general")[-1]


def test_text_is_posted_as_the_app_and_ok_printed(cli, emulator, env, hook_app):
    result = cli("webhook", "send", "--text", "deployed v1.2", env=env)
    assert (result.exit_code, result.stdout) == (0, "ok\n"), result.stderr
    assert _last(emulator)["text"] == "deployed v1.2" and _last(emulator)["bot_id"] == hook_app["bot_id"]
    (req,) = emulator.requests("webhook")
    assert req["content_type"].startswith("application/json") and req["body"] == {"text": "deployed v1.2"}


def test_a_yaml_payload_file_with_fields_on_top(cli, emulator, env, tmp_path):
    (tmp_path / "msg.yaml").write_text("text: build\nblocks:\n  - type: divider\n")
    result = cli(
        "webhook", "send", "--payload", str(tmp_path / "msg.yaml"), "username=ci", "attachments[0][text]=log", env=env
    )
    assert result.exit_code == 0, result.stderr
    last = _last(emulator)
    assert last["blocks"] == [{"type": "divider"}] and last["username"] == "ci"
    assert last["attachments"] == [{"text": "log"}]


def test_a_json_payload_from_stdin(cli, emulator, env):
    result = cli("webhook", "send", "--payload", "-", input='{"text": "from stdin"}', env=env)
    assert result.exit_code == 0, result.stderr
    assert _last(emulator)["text"] == "from stdin"


@pytest.mark.secrets_in_files  # the URL file holds the URL on purpose
def test_url_file_wins_over_the_environment(cli, emulator, hook, tmp_path):
    path = tmp_path / "hook.url"
    path.write_text(hook["url"] + "\n")
    path.chmod(0o600)
    result = cli(
        "webhook",
        "send",
        "--url-file",
        str(path),
        "--text",
        "via file",
        env={"SLACK_WEBHOOK_URL": "https://example.invalid/services/T1/B1/nothing"},
    )
    assert result.exit_code == 0, result.stderr
    assert _last(emulator)["text"] == "via file"


def test_template_substitutes_environment_variables_in_string_values_only(cli, emulator, env, tmp_path):
    (tmp_path / "t.json").write_text(
        json.dumps(
            {
                "text": "${REPO} at ${SHA} by $${literal}",
                "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "*${REPO}*"}}],
            }
        )
    )
    result = cli(
        "webhook",
        "send",
        "--payload",
        str(tmp_path / "t.json"),
        "--template",
        env={**env, "REPO": 'o/r "quoted"', "SHA": "abc123"},
    )
    assert result.exit_code == 0, result.stderr
    last = _last(emulator)
    assert last["text"] == 'o/r "quoted" at abc123 by ${literal}'
    assert last["blocks"][0]["text"]["text"] == '*o/r "quoted"*'


def test_without_template_dollar_braces_are_sent_as_written(cli, emulator, env):
    assert cli("webhook", "send", "--text", "${HOME}", env=env).exit_code == 0
    assert _last(emulator)["text"] == "${HOME}"


def test_an_unset_template_variable_is_a_usage_error_and_nothing_is_sent(cli, emulator, env):
    result = cli("webhook", "send", "--text", "v${NOPE_NOT_SET}", "--template", env=env)
    assert result.exit_code == 2
    assert "${NOPE_NOT_SET}" in result.stderr and "not set" in result.stderr
    assert emulator.requests("webhook") == []


@pytest.mark.parametrize(
    ("args", "answer", "code", "hint"),
    [
        (["username=only"], "no_text", 1, "--text"),
        (['blocks:="not a list"'], "invalid_payload", 1, "JSON object"),
        (["text=t", "attachments:=" + json.dumps([{"text": "a"}] * 101)], "too_many_attachments", 1, "at most 100"),
    ],
)
def test_payload_answers_map_to_exit_codes_with_a_hint(cli, env, args, answer, code, hint):
    result = cli("webhook", "send", *args, env=env)
    assert result.exit_code == code, result.stderr
    assert f"webhook: {answer}" in result.stderr and hint in result.stderr
    assert result.stdout == ""


def test_an_archived_channel(cli, emulator, env):
    emulator.world.channels["C0EMU00001"]["is_archived"] = True
    result = cli("webhook", "send", "--text", "t", env=env)
    assert result.exit_code == 1 and "channel_is_archived" in result.stderr and "unarchive" in result.stderr


def test_a_deleted_channel(cli, emulator, env):
    del emulator.world.channels["C0EMU00001"]
    result = cli("webhook", "send", "--text", "t", env=env)
    assert result.exit_code == 1 and "channel_not_found" in result.stderr
    assert "create a new incoming webhook" in result.stderr


def test_an_unknown_or_revoked_hook_is_an_auth_failure(cli, hook):
    bad = hook["url"][:-3] + "zzz"
    register_secret(bad)
    result = cli("webhook", "send", "--text", "t", env={"SLACK_WEBHOOK_URL": bad})
    assert result.exit_code == 4 and "no_service" in result.stderr and "SLACK_WEBHOOK_URL" in result.stderr


def test_action_prohibited(cli, emulator, hook_app):
    minted = emulator.mint_webhook("general", hook_app["app_id"], answer="action_prohibited")
    register_secret(minted["url"])
    result = cli("webhook", "send", "--text", "t", env={"SLACK_WEBHOOK_URL": minted["url"]})
    assert result.exit_code == 1 and "action_prohibited" in result.stderr and "admin" in result.stderr


def test_rollup_error_is_retried_and_then_posts(cli, emulator, hook_app):
    minted = emulator.mint_webhook("general", hook_app["app_id"], answer="rollup_error", answer_count=1)
    register_secret(minted["url"])
    result = cli(
        "webhook", "send", "--text", "second try", "--max-retries", "1", env={"SLACK_WEBHOOK_URL": minted["url"]}
    )
    assert result.exit_code == 0, result.stderr
    assert len(emulator.requests("webhook")) == 2 and _last(emulator)["text"] == "second try"


def test_rollup_error_beyond_the_retries_is_reported(cli, emulator, hook_app):
    minted = emulator.mint_webhook("general", hook_app["app_id"], answer="rollup_error", answer_count=5)
    register_secret(minted["url"])
    result = cli("webhook", "send", "--text", "t", "--max-retries", "0", env={"SLACK_WEBHOOK_URL": minted["url"]})
    assert result.exit_code == 1 and "rollup_error" in result.stderr and "retry later" in result.stderr
    assert len(emulator.requests("webhook")) == 1


def test_429_waits_retry_after_and_retries(cli, emulator, env):
    emulator.inject_fault("webhook", "429", retry_after=0)
    result = cli("webhook", "send", "--text", "after the limit", env=env)
    assert result.exit_code == 0, result.stderr
    assert len(emulator.requests("webhook")) == 2 and _last(emulator)["text"] == "after the limit"


def test_no_url_says_where_to_put_it(cli):
    result = cli("webhook", "send", "--text", "t")
    assert result.exit_code == 2 and "SLACK_WEBHOOK_URL" in result.stderr and "--url-file" in result.stderr


def test_a_url_on_the_command_line_is_refused_without_echoing_it(cli, emulator, hook):
    result = cli("webhook", "send", hook["url"], "text=t")  # the secret scan fails the test if it is echoed
    assert result.exit_code == 2 and "command line" in result.stderr
    assert emulator.requests("webhook") == []


def test_a_malformed_url_is_named_by_its_source_not_shown(cli):
    secretish = "hooks-secret-value-123"
    register_secret(secretish)
    result = cli("webhook", "send", "--text", "t", env={"SLACK_WEBHOOK_URL": secretish})
    assert result.exit_code == 2 and "SLACK_WEBHOOK_URL is not an http(s) URL" in result.stderr


def test_verbose_shows_the_host_but_not_the_secret(cli, emulator, env):
    result = cli("--verbose", "webhook", "send", "--text", "t", env=env)
    assert result.exit_code == 0, result.stderr
    assert f"> POST {emulator.url}[REDACTED]" in result.stderr


def test_a_payload_that_is_not_an_object_is_refused_before_sending(cli, emulator, env, tmp_path):
    (tmp_path / "p.json").write_text("[1, 2]")
    result = cli("webhook", "send", "--payload", str(tmp_path / "p.json"), env=env)
    assert result.exit_code == 2 and "must be a JSON object" in result.stderr
    assert emulator.requests("webhook") == []


def test_text_twice_is_refused(cli, env):
    result = cli("webhook", "send", "--text", "a", "text=b", env=env)
    assert result.exit_code == 2 and "text" in result.stderr


def test_an_unreachable_hook_is_a_network_error(cli):
    import socket

    with socket.socket() as sock:  # a port nothing listens on once this closes
        sock.bind(("127.0.0.1", 0))
        free_port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{free_port}/services/T1/B1/abcdefabcdef"
    register_secret(url)
    result = cli("webhook", "send", "--text", "t", "--max-retries", "0", env={"SLACK_WEBHOOK_URL": url})
    assert result.exit_code == 3, result.stderr
    assert "abcdefabcdef" not in result.stderr
