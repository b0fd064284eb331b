"""The app against an offline Slack: slackctl's pytest plugin gives each test a `slack` fixture, an emulator with
manifest.json's app installed; slack.serve() serves the app over HTTP on this machine and points the app's
request URLs at it, and a scripted user (ada) mentions the app and runs /hello. Every request is signed, and the
app checks the signature, as on Slack.

Run: .venv/bin/python -m pytest
"""

import pytest
from app import build_app
from slack_sdk import WebClient


@pytest.fixture
def app(slack, slack_app):
    bolt = build_app(WebClient(token=slack_app["bot_token"], base_url=slack.api_url), slack_app["signing_secret"])
    slack.serve(bolt)
    return bolt


def test_a_mention_is_answered_in_its_thread(slack, slack_app, app):
    posted = slack.user("ada").post("#general", f"<@{slack_app['bot_user_id']}> hi")
    reply = slack.wait_for_message("#general", lambda m: m.get("bot_id") and m.get("thread_ts") == posted["ts"])
    assert reply["text"].startswith(f"Hi <@{posted['user']}>!")


def test_hello_greets_only_the_caller(slack, app):
    slack.user("ada").command("/hello", "Grace")
    reply = slack.wait_for_message("#general", lambda m: m.get("text", "").startswith("Hello, Grace!"))
    assert reply["ephemeral"] is True  # only ada sees it


def test_a_request_signed_with_another_secret_is_refused(slack, slack_app):
    bolt = build_app(WebClient(token=slack_app["bot_token"], base_url=slack.api_url), "0" * 32)
    slack.serve(bolt)
    posted = slack.user("ada").post("#general", f"<@{slack_app['bot_user_id']}> hi")
    assert {d["type"]: d.get("http_status") for d in posted["deliveries"]}["app_mention"] == 401
