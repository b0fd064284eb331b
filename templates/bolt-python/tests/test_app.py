"""The app against an offline Slack: slackctl's pytest plugin gives each test a `slack` fixture, an emulator with
manifest.json's app installed, and a scripted user (ada) who mentions the app, runs /hello and uses the App Home.

Run: .venv/bin/python -m pytest
"""

import pytest
from app import build_app
from listeners import FEEDBACK_BUTTON
from slack_sdk import WebClient


@pytest.fixture
def app(slack, slack_app):
    bolt = build_app(WebClient(token=slack_app["bot_token"], base_url=slack.api_url))
    slack.connect(bolt)  # Socket Mode, as in production; returns once connected
    return bolt


def test_a_mention_is_answered_in_its_thread(slack, slack_app, app):
    posted = slack.user("ada").post("#general", f"<@{slack_app['bot_user_id']}> hi")
    reply = slack.wait_for_message("#general", lambda m: m.get("bot_id") and m.get("thread_ts") == posted["ts"])
    assert reply["text"].startswith(f"Hi <@{posted['user']}>!")


def test_hello_greets_only_the_caller(slack, app):
    slack.user("ada").command("/hello", "Grace")
    reply = slack.wait_for_message("#general", lambda m: m.get("text", "").startswith("Hello, Grace!"))
    assert reply["ephemeral"] is True  # only ada sees it


def test_the_home_button_opens_a_modal_whose_feedback_is_answered(slack, slack_app, app):
    ada = slack.user("ada")
    ada.open_home()
    slack.wait_for_view(lambda v: v["type"] == "home")
    ada.click(FEEDBACK_BUTTON)
    modal = slack.wait_for_view(lambda v: v["type"] == "modal")
    refused = ada.submit(modal["id"], {"feedback.text": " "})
    assert refused["errors"] == {"feedback": "Say a few words, please."}
    ada.submit(modal["id"], {"feedback.text": "Lovely"})
    thanks = slack.wait_for_message(f"@{slack_app['name']}", lambda m: m.get("bot_id"))
    assert thanks["text"] == "Thanks for your feedback: Lovely"
