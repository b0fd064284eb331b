"""Offline tests of the app's behaviour (no Slack, no Bolt)."""

from handlers import APP_NAME, hello_command, mention_reply


def test_mention_reply_answers_in_the_thread_of_the_mention():
    reply = mention_reply({"user": "U123", "channel": "C1", "ts": "1700000000.000100"})
    assert reply["channel"] == "C1"
    assert reply["thread_ts"] == "1700000000.000100"
    assert "<@U123>" in reply["text"] and APP_NAME in reply["text"]


def test_hello_command_greets_the_given_name_ephemerally():
    reply = hello_command({"text": "Ada", "user_id": "U9"})
    assert reply == {"response_type": "ephemeral", "text": "Hello, Ada! :wave:", "blocks": reply["blocks"]}
