"""`--verbose` never shows a client secret, a URL's password or a webhook URL's userinfo (issue 24 item 8)."""

from __future__ import annotations

import json

import pytest

from slackctl.slack.tokens import redact
from tests.conftest import register_secret

CLIENT_SECRET = "c0ffee5ecret0123456789abcdef"  # not token-shaped: only the field name can find it
PASSWORD = "Pa55w0rdInTheUrl"


@pytest.fixture(autouse=True)
def _secrets() -> None:
    register_secret(CLIENT_SECRET, PASSWORD)


def test_client_secret_typed_on_the_command_line_is_refused_before_anything_is_sent(cli, emulator):
    result = cli("api", "call", "oauth.v2.access", "client_id=1.2", f"client_secret={CLIENT_SECRET}", "code=x")
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert "client_secret is not typed on the command line" in line and "client_secret=@-" in line
    assert emulator.requests("oauth.v2.access") == []


@pytest.mark.secrets_in_files  # the --input body holds the secret on purpose
@pytest.mark.parametrize("how", ["--input json", "field from stdin"])
def test_client_secret_from_input_or_stdin_is_sent_and_redacted_in_verbose(cli, emulator, tmp_path, how):
    if how == "--input json":
        body = tmp_path / "body.json"
        body.write_text(json.dumps({"client_id": "1.2", "client_secret": CLIENT_SECRET, "code": "x"}))
        result = cli("--verbose", "api", "call", "oauth.v2.access", "--input", str(body))
    else:
        result = cli(
            "--verbose",
            "api",
            "call",
            "oauth.v2.access",
            "client_id=1.2",
            "client_secret=@-",
            "code=x",
            input=CLIENT_SECRET,
        )
    assert result.exit_code == 4  # invalid_code: Slack got the call
    (req,) = emulator.requests("oauth.v2.access")
    assert req["body"]["client_secret"]  # sent (the emulator's request log keeps it redacted)
    # a form body (oauth.v2.access takes no JSON); the cli fixture already checked CLIENT_SECRET is absent
    assert "&client_secret=[REDACTED]&" in result.stderr


def test_a_password_in_slack_url_is_not_shown_by_verbose(cli, emulator, bot_token):
    host = emulator.url.split("://", 1)[1]
    result = cli(
        "--verbose",
        "--slack-url",
        f"http://someone:{PASSWORD}@{host}",
        "api",
        "call",
        "auth.test",
        env={"SLACK_TOKEN": bot_token},
    )
    assert result.exit_code == 0, result.stderr
    assert f"> POST http://***@{host}/api/auth.test" in result.stderr


def test_a_webhook_urls_userinfo_is_not_shown_by_verbose(cli, emulator):
    app = emulator.create_app(name="Hooky", bot_scopes=["chat:write", "incoming-webhook"])
    url = emulator.mint_webhook("general", app["app_id"])["url"]
    register_secret(url, url.rsplit("/", 1)[1])
    scheme, rest = url.split("://", 1)
    with_password = f"{scheme}://hook:{PASSWORD}@{rest}"
    result = cli("--verbose", "webhook", "send", "--text", "hi", env={"SLACK_WEBHOOK_URL": with_password})
    assert "> POST" in result.stderr  # the request line is there, scrubbed


def test_redact_scrubs_userinfo_and_secret_fields_whatever_their_values_look_like():
    assert redact("GET https://u:p@h.example/x and ftp://tok@h/") == "GET https://***@h.example/x and ftp://***@h/"
    assert redact("a=1&client_secret=abc%2Fdef&b=2") == "a=1&client_secret=[REDACTED]&b=2"
    assert redact('{"signing_secret": "x\\"y", "n": 1}') == '{"signing_secret": "[REDACTED]", "n": 1}'
    assert (
        redact("mail me at a@b.example, see https://h.example/p@q")
        == "mail me at a@b.example, see https://h.example/p@q"
    )
