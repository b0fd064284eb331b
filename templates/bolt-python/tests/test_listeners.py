"""Offline tests of the app's behaviour (no Slack, no Bolt)."""

from envfile import parse_env
from listeners import APP_NAME, hello_command, mention_reply


def test_mention_reply_answers_in_the_thread_of_the_mention():
    reply = mention_reply({"user": "U123", "channel": "C1", "ts": "1700000000.000100"})
    assert reply["channel"] == "C1"
    assert reply["thread_ts"] == "1700000000.000100"
    assert "<@U123>" in reply["text"]
    assert APP_NAME in reply["text"]
    assert reply["blocks"][0]["text"]["text"] == reply["text"]


def test_mention_reply_stays_in_an_existing_thread():
    reply = mention_reply({"user": "U1", "channel": "C1", "ts": "2.0", "thread_ts": "1.0"})
    assert reply["thread_ts"] == "1.0"


def test_hello_command_greets_the_given_name_ephemerally():
    reply = hello_command({"text": " Ada ", "user_id": "U9"})
    assert reply["response_type"] == "ephemeral"
    assert reply["text"].startswith("Hello, Ada!")


def test_hello_command_without_text_greets_the_caller():
    assert "<@U9>" in hello_command({"text": "", "user_id": "U9"})["text"]


def test_env_file_parsing_handles_comments_quotes_and_export():
    text = "# comment\nSLACK_BOT_TOKEN='xoxb-1'\nexport SLACK_APP_TOKEN=\"xapp-2\"\n\nBROKEN\n"
    assert parse_env(text) == {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-2"}
