"""The step against an offline Slack: slackctl's pytest plugin gives each test a `slack` fixture, an emulator with
manifest.json's app installed; a workflow run by ada reaches the step (function_executed) and the app completes
or fails it through Slack's API, as in Workflow Builder.

Run: .venv/bin/python -m pytest
"""

import pytest
from app import build_app
from slack_sdk import WebClient
from steps import CALLBACK_ID


@pytest.fixture
def app(slack, slack_app):
    bolt = build_app(WebClient(token=slack_app["bot_token"], base_url=slack.api_url))
    slack.connect(bolt)  # Socket Mode, as in production; returns once connected
    return bolt


def test_the_step_completes_with_a_greeting(slack, app):
    run = slack.user("ada").run_step(CALLBACK_ID, {"user_id": "U0EMU00002", "message": "Welcome aboard."})
    assert run["execution"]["state"] == "completed"
    assert run["execution"]["outputs"] == {"greeting": "Hello, <@U0EMU00002>! Welcome aboard."}


def test_the_step_fails_with_a_reason_on_bad_inputs(slack, app):
    run = slack.user("ada").run_step(CALLBACK_ID, {"user_id": ""})
    assert run["execution"]["state"] == "failed" and run["execution"]["error"] == "user_id is required"
