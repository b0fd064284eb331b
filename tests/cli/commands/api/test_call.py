"""`slackctl api call`: encodings, tokens, output and errors, checked against the emulator's request log."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def bot_env(slackctl_env, bot_token):
    return {"SLACK_BOT_TOKEN": bot_token}


def _calls(emulator, method):
    return emulator.requests(method)


# -- encodings ---------------------------------------------------------------------------------------------
def test_string_fields_are_form_encoded_with_a_bearer_header(cli, emulator, bot_env):
    result = cli("api", "call", "chat.postMessage", "channel=general", "text=hello there", env=bot_env)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["message"]["text"] == "hello there"
    (req,) = _calls(emulator, "chat.postMessage")
    assert req["http_method"] == "POST"
    assert req["content_type"].startswith("application/x-www-form-urlencoded")
    assert req["headers"]["Authorization"] == "Bearer xoxb-…REDACTED"
    assert req["body"] == {"channel": "general", "text": "hello there"}  # no token field


def test_a_json_field_switches_to_a_json_body(cli, emulator, bot_env):
    result = cli(
        "api",
        "call",
        "chat.postMessage",
        "channel=general",
        "text=t",
        'blocks:=[{"type": "divider"}]',
        "unfurl_links:=false",
        env=bot_env,
    )
    assert result.exit_code == 0, result.stderr
    (req,) = _calls(emulator, "chat.postMessage")
    assert req["content_type"].startswith("application/json")
    assert req["body"] == {"channel": "general", "text": "t", "blocks": [{"type": "divider"}], "unfurl_links": False}
    assert emulator.messages("general")[-1]["blocks"] == [{"type": "divider"}]


def test_json_body_flag_sends_json_for_plain_strings(cli, emulator, bot_env):
    assert (
        cli("api", "call", "chat.postMessage", "channel=general", "text=t", "--json-body", env=bot_env).exit_code == 0
    )
    (req,) = _calls(emulator, "chat.postMessage")
    assert req["content_type"].startswith("application/json")


def test_method_without_json_support_gets_json_text_in_a_form(cli, emulator, bot_env):
    # files.getUploadURLExternal is documented as not accepting JSON bodies.
    result = cli("api", "call", "files.getUploadURLExternal", "filename=a.txt", "length:=5", env=bot_env)
    assert result.exit_code == 0, result.stderr
    (req,) = _calls(emulator, "files.getUploadURLExternal")
    assert req["content_type"].startswith("application/x-www-form-urlencoded")
    assert req["body"] == {"filename": "a.txt", "length": "5"}


def test_get_methods_put_fields_in_the_query_string(cli, emulator, bot_env):
    assert cli("api", "call", "users.list", "limit:=2", env=bot_env).exit_code == 0  # documented GET
    assert cli("api", "call", "auth.test", "-X", "GET", env=bot_env).exit_code == 0
    (users,) = _calls(emulator, "users.list")
    assert users["http_method"] == "GET" and users["path"].endswith("?limit=2")
    (auth,) = _calls(emulator, "auth.test")
    assert auth["http_method"] == "GET" and "token" not in auth["path"]
    assert auth["headers"]["Authorization"] == "Bearer xoxb-…REDACTED"


def test_input_file_is_the_body_and_fields_add_to_it(cli, emulator, bot_env, tmp_path):
    body = tmp_path / "body.json"
    body.write_text(json.dumps({"channel": "general", "blocks": [{"type": "divider"}]}), encoding="utf-8")
    assert cli("api", "call", "chat.postMessage", "--input", str(body), "text=x", env=bot_env).exit_code == 0
    assert (
        cli(
            "api",
            "call",
            "chat.postMessage",
            "--input",
            "-",
            env=bot_env,
            input='{"channel": "general", "text": "from stdin"}',
        ).exit_code
        == 0
    )
    first, second = _calls(emulator, "chat.postMessage")
    assert first["content_type"].startswith("application/json")
    assert first["body"] == {"channel": "general", "blocks": [{"type": "divider"}], "text": "x"}
    assert second["body"] == {"channel": "general", "text": "from stdin"}


def test_values_from_a_file_and_from_stdin(cli, emulator, bot_env, tmp_path):
    msg = tmp_path / "msg.txt"
    msg.write_text("from a file", encoding="utf-8")
    assert cli("api", "call", "chat.postMessage", "channel=general", f"text=@{msg}", env=bot_env).exit_code == 0
    assert (
        cli("api", "call", "chat.postMessage", "channel=general", "text=@-", env=bot_env, input="piped text").exit_code
        == 0
    )
    texts = [r["body"]["text"] for r in _calls(emulator, "chat.postMessage")]
    assert texts == ["from a file", "piped text"]


def test_nested_fields_make_a_json_object(cli, emulator, bot_env):
    result = cli(
        "api",
        "call",
        "chat.postMessage",
        "channel=general",
        "text=t",
        "metadata[event_type]=deploy",
        "metadata[event_payload][version]:=3",
        env=bot_env,
    )
    assert result.exit_code == 0, result.stderr
    (req,) = _calls(emulator, "chat.postMessage")
    assert req["body"]["metadata"] == {"event_type": "deploy", "event_payload": {"version": 3}}


# -- bad input: exit 2, one line, nothing sent -------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "stdin", "expected"),
    [
        (["channel"], None, "malformed field 'channel'"),
        (["text=@/no/such/file.txt"], None, "field 'text': cannot read /no/such/file.txt"),
        (["blocks:=[{"], None, "field 'blocks': invalid JSON"),
        (["text=a", "text=b"], None, "field 'text' is given twice"),
        (["--input", "-"], "not json", "--input - is not JSON"),
        (["--input", "-"], "[1, 2]", "must hold a JSON object"),
        (["--jq", ".[] | "], None, "invalid --jq expression"),
        (["token=xoxb-1234-5678-abcdefgh"], None, "tokens are not sent as a field"),
        (["-X", "PUT"], None, "-X PUT"),
        (["--as", "robot"], None, "--as robot"),
        (["--token-stdin", "text=@-"], "x", "--token-stdin and @- both read stdin"),
    ],
)
def test_bad_input_exits_2_and_sends_nothing(cli, emulator, bot_env, args, stdin, expected):
    result = cli("api", "call", "chat.postMessage", *args, input=stdin, env=bot_env)
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""
    assert emulator.requests() == []


def test_unknown_method_suggests_and_force_still_calls_it(cli, emulator, bot_env):
    result = cli("api", "call", "chat.postMesage", "text=x", env=bot_env)
    assert result.exit_code == 2
    assert "unknown method 'chat.postMesage'" in result.stderr and "did you mean chat.postMessage" in result.stderr
    assert emulator.requests() == []
    forced = cli("api", "call", "chat.postMesage", "text=x", "--force", env=bot_env)
    assert forced.exit_code == 1  # the emulator (like Slack) answers unknown_method
    assert json.loads(forced.stdout)["error"] == "unknown_method"
    assert len(_calls(emulator, "chat.postMesage")) == 1


# -- Slack errors --------------------------------------------------------------------------------------------
def test_ok_false_prints_the_response_and_a_hint_and_exits_1(cli, bot_env):
    result = cli("api", "call", "conversations.info", "channel=C_NOPE", env=bot_env)
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"ok": False, "error": "channel_not_found"}
    (line,) = result.stderr.strip().splitlines()
    assert "conversations.info failed: channel_not_found" in line and "check the channel id" in line


def test_invalid_auth_exits_4_and_mentions_ip_allow_lists(cli, slackctl_env):
    result = cli("api", "call", "auth.test", env={"SLACK_TOKEN": "xoxb-0000-1111-notarealtoken"})
    assert result.exit_code == 4
    assert "invalid_auth" in result.stderr and "allow-list" in result.stderr
    assert "notarealtoken" not in result.output


def test_missing_scope_names_the_scope(cli, mint, slackctl_env):
    token = mint("bot", scopes=["chat:write"])["token"]
    result = cli("api", "call", "users.list", env={"SLACK_BOT_TOKEN": token})
    assert result.exit_code == 1
    assert "missing_scope" in result.stderr and "users:read" in result.stderr and "auth login" in result.stderr


def test_warnings_go_to_stderr(cli, bot_env):
    channel = json.loads(cli("api", "call", "conversations.create", "name=warned", env=bot_env).stdout)["channel"]
    result = cli("api", "call", "conversations.join", f"channel={channel['id']}", env=bot_env)
    assert result.exit_code == 0
    assert "already_in_channel" in result.stderr and result.stderr.count("already_in_channel") == 1
    assert json.loads(result.stdout)["ok"] is True


# -- tokens ----------------------------------------------------------------------------------------------------
def test_env_token_order(cli, emulator, mint, slackctl_env):
    bot, user = mint("bot")["token"], mint("user")["token"]
    cli("api", "call", "auth.test", env={"SLACK_TOKEN": user, "SLACK_BOT_TOKEN": bot})
    cli("api", "call", "auth.test", env={"SLACK_BOT_TOKEN": bot, "SLACK_USER_TOKEN": user})
    sent = [r["headers"]["Authorization"] for r in _calls(emulator, "auth.test")]
    assert sent == ["Bearer xoxp-…REDACTED", "Bearer xoxb-…REDACTED"]


def test_token_from_stdin(cli, emulator, bot_token, slackctl_env):
    result = cli("api", "call", "auth.test", "--token-stdin", input=bot_token + "\n")
    assert result.exit_code == 0, result.stderr
    assert _calls(emulator, "auth.test")[0]["headers"]["Authorization"] == "Bearer xoxb-…REDACTED"


def test_no_auth_sends_no_authorization_header(cli, emulator, bot_env):
    assert cli("api", "call", "api.test", "--no-auth", "foo=bar", env=bot_env).exit_code == 0
    assert cli("api", "call", "api.test", env=bot_env).exit_code == 0  # the catalog says it takes no token
    for req in _calls(emulator, "api.test"):
        assert "Authorization" not in req["headers"]


def test_profile_token_is_chosen_by_the_methods_scopes(cli, emulator, mint, slackctl_env):
    bot, user = mint("bot")["token"], mint("user")["token"]
    assert cli("auth", "login", "--with-token", input=bot + "\n").exit_code == 0
    assert cli("auth", "login", "--with-token", input=user + "\n").exit_code == 0
    emulator.clear_requests()
    assert cli("api", "call", "chat.postMessage", "channel=general", "text=a").exit_code == 0
    assert cli("api", "call", "chat.postMessage", "channel=general", "text=b", "--as", "user").exit_code == 0
    assert cli("api", "call", "openid.connect.userInfo").exit_code in (0, 1)  # user scopes only
    sent = [r["headers"]["Authorization"].split()[1][:5] for r in emulator.requests()]
    assert sent == ["xoxb-", "xoxp-", "xoxp-"]


def test_not_logged_in_is_an_auth_error_with_a_next_step(cli, emulator, slackctl_env):
    result = cli("api", "call", "auth.test")
    assert result.exit_code == 4 and "slackctl auth login" in result.stderr
    assert emulator.requests() == []


# -- output ------------------------------------------------------------------------------------------------------
def test_piped_output_is_one_compact_line(cli, bot_env):
    result = cli("api", "call", "auth.test", env=bot_env)
    assert result.stdout.count("\n") == 1 and ": " not in result.stdout


def test_jq_filters_and_prints_strings_raw(cli, bot_env):
    result = cli("api", "call", "users.list", "--jq", ".members[].name", env=bot_env)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:3] == ["ada", "grace", "linus"]
    counted = cli("api", "call", "users.list", "--jq", "{n: (.members | length)}", env=bot_env)
    assert json.loads(counted.stdout)["n"] >= 3


def test_include_prints_status_and_headers_first(cli, bot_env):
    result = cli("api", "call", "auth.test", "-i", env=bot_env)
    head, _, body = result.stdout.partition("\n\n")
    assert head.splitlines()[0] == "HTTP/1.1 200 OK"
    assert "x-oauth-scopes:" in head.lower()
    assert json.loads(body)["ok"] is True


def test_silent_prints_nothing_but_keeps_the_exit_code(cli, bot_env):
    ok = cli("api", "call", "auth.test", "--silent", env=bot_env)
    assert ok.exit_code == 0 and ok.stdout == ""
    bad = cli("api", "call", "conversations.info", "channel=C_NOPE", "--silent", env=bot_env)
    assert bad.exit_code == 1 and bad.stdout == "" and "channel_not_found" in bad.stderr


def test_verbose_logs_the_exchange_without_secrets(cli, bot_env, bot_token):
    result = cli("-v", "api", "call", "chat.postMessage", "channel=general", "text=hi", env=bot_env)
    assert result.exit_code == 0
    assert "> POST" in result.stderr and "Bearer [REDACTED]" in result.stderr
    assert bot_token not in result.output  # (the cli fixture also scans for every minted secret)


# -- catalog commands --------------------------------------------------------------------------------------------
def test_list_a_group(cli, slackctl_env):
    result = cli("api", "list", "chat")
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert ["chat.postMessage", "POST", "yes", "Special", "bot,user"] in rows
    assert all(row[0].startswith("chat.") for row in rows)


def test_list_json_and_unknown_group(cli, slackctl_env):
    data = json.loads(cli("api", "list", "--json").stdout)
    assert len(data) > 300 and {"name", "http_method", "json_body", "scopes", "rate_tier", "docs_url"} <= set(data[0])
    bad = cli("api", "list", "chatt")
    assert bad.exit_code == 2 and "did you mean chat" in bad.stderr


def test_describe(cli, slackctl_env):
    result = cli("api", "describe", "conversations.history")
    assert result.exit_code == 0
    assert "GET" in result.stdout and "channel (string)" in result.stdout and "Tier 3" in result.stdout
    assert "https://docs.slack.dev/reference/methods/conversations.history" in result.stdout
    as_json = json.loads(cli("api", "describe", "chat.postMessage", "--json").stdout)
    assert as_json["scopes"]["bot"] == ["chat:write"] and as_json["json_body"] is True
    unknown = cli("api", "describe", "users.lst")
    assert unknown.exit_code == 2 and "did you mean users.list" in unknown.stderr


def test_shell_completion_offers_method_names(run_slackctl):
    result = run_slackctl(
        "api",
        "call",
        "conversations.hi",
        env={
            "_SLACKCTL_COMPLETE": "complete_bash",
            "COMP_WORDS": "slackctl api call conversations.hi",
            "COMP_CWORD": "3",
        },
    )
    assert "conversations.history" in result.stdout


# -- issue 23 item 13 -------------------------------------------------------------------------------------------
def test_missing_scope_suggests_the_profiles_other_token_that_has_it(cli, emulator, mint, slackctl_env):
    bot = mint("bot", scopes=["chat:write"])["token"]
    user = mint("user", scopes=["users:read", "chat:write"])["token"]
    assert cli("auth", "login", "--with-token", input=bot + "\n").exit_code == 0
    assert cli("auth", "login", "--with-token", input=user + "\n").exit_code == 0
    result = cli("api", "call", "users.list", "--as", "bot")
    assert result.exit_code == 1 and "auth login --scopes" in result.stderr  # asked for the bot: no switch offered
    result = cli("api", "call", "users.list")
    assert result.exit_code == 1
    assert "the profile's user token has it: add --as user" in result.stderr
    assert cli("api", "call", "users.list", "--as", "user").exit_code == 0


@pytest.mark.parametrize("value", ["not-a-slack-token-123", "Bearer xoxb-1-2-abcdefgh", "abc"])
def test_an_env_token_without_a_slack_prefix_is_the_malformed_token_line(cli, emulator, slackctl_env, value):
    emulator.clear_requests()
    result = cli("api", "call", "auth.test", env={"SLACK_TOKEN": value})
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert "the token in SLACK_TOKEN is malformed (expected something like xoxb-…)" in line
    assert emulator.requests() == []


def test_a_refused_loopback_slack_url_fails_at_once_naming_the_emulator(cli, slackctl_env, bot_token):
    """Issue 23 item 15: before, 7 s of retries against a port nothing listens on."""
    import socket
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    result = cli(
        "api", "call", "auth.test", env={"SLACK_BOT_TOKEN": bot_token, "SLACKCTL_SLACK_URL": f"http://127.0.0.1:{port}"}
    )
    assert result.exit_code == 3
    assert time.monotonic() - started < 2
    assert "retrying" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert f"cannot reach http://127.0.0.1:{port}" in line and "slackctl emulator start" in line
