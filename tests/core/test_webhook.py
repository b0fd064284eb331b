"""core/webhook.py without the network: every known answer's exit code and hint, templating's edges, URL checks
that never echo the URL."""

from __future__ import annotations

import pytest

from slackctl.core import webhook
from slackctl.errors import ExitCode, SlackctlError


@pytest.mark.parametrize("answer", sorted(webhook.ANSWERS))
def test_every_known_answer_has_its_exit_code_and_a_hint(answer):
    err = webhook.answer_error(400, answer + "\n")
    _, hint, code = webhook.ANSWERS[answer]
    assert err.exit_code == code and err.hint == hint and err.message.startswith(f"webhook: {answer}: ")
    url_answers = {"no_service", "no_service_id", "no_team", "team_disabled", "invalid_token"}
    assert (code == ExitCode.AUTH) == (answer in url_answers)


def test_an_unknown_answer_names_the_status_and_a_printable_first_line_only():
    assert webhook.answer_error(502, "<html>\x1b[31mbad gateway").message == "webhook: answered HTTP 502"
    assert webhook.answer_error(418, "teapot").message == "webhook: answered HTTP 418: teapot"
    assert webhook.answer_error(429, "").exit_code == ExitCode.API_ERROR


def test_template_replaces_nested_string_values_and_leaves_keys_and_other_types():
    out = webhook.render_template({"${K}": "${V}", "n": 1, "list": ["a${V}b", True, None]}, {"V": "x", "K": "k"})
    assert out == {"${K}": "x", "n": 1, "list": ["axb", True, None]}


def test_template_escape_and_bad_names():
    assert webhook.render_template("$${X} costs $5", {}) == "${X} costs $5"
    with pytest.raises(SlackctlError, match="not a variable name"):
        webhook.render_template({"a": "${not-a-name}"}, {})
    with pytest.raises(SlackctlError, match=r"/blocks/0/text uses \$\{MISSING\}"):
        webhook.render_template({"blocks": [{"text": "${MISSING}"}]}, {})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "is empty"),
        ("ftp://hooks.example/services/x", "not an http(s) URL"),
        ("https://hooks.example", "has no path"),
        ("https://a.example/x https://b.example/y", "more than one word"),
    ],
)
def test_url_checks_name_the_source_never_the_value(value, expected):
    with pytest.raises(SlackctlError) as info:
        webhook.url_from({"SLACK_WEBHOOK_URL": value}, None, None)
    assert expected in info.value.message and "SLACK_WEBHOOK_URL" in info.value.message
    assert not value or value not in info.value.message


def test_the_url_file_wins_and_only_its_first_line_counts():
    url = webhook.url_from(
        {"SLACK_WEBHOOK_URL": "https://env.example/services/a"},
        "https://file.example/services/b\n# comment\n",
        "hook.url",
    )
    assert url == "https://file.example/services/b"


def test_payloads_must_be_objects_and_yaml_is_accepted():
    assert webhook.load_payload("text: hi\n", "p.yaml") == {"text": "hi"}
    with pytest.raises(SlackctlError, match="must be a JSON object"):
        webhook.load_payload("- a\n- b\n", "p.yaml")
    with pytest.raises(SlackctlError, match="neither JSON nor YAML"):
        webhook.load_payload("text: [unclosed\n", "p.yaml")
