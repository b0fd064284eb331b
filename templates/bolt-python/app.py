"""Bolt wiring: connects the handlers in listeners.py to Slack over Socket Mode (no public URL needed).

build_app(client) makes the app; the tests (tests/test_app.py) hand it the client of an offline Slack.
"""

from __future__ import annotations

import logging
import os

import listeners
from slack_bolt import App
from slack_sdk import WebClient


def build_app(client: WebClient | None = None) -> App:
    """The app with its listeners; CLIENT talks to Slack (default: SLACK_BOT_TOKEN's, at slack.com)."""
    app = App(client=client) if client is not None else App(token=os.environ["SLACK_BOT_TOKEN"])

    @app.event("app_mention")
    def on_mention(event, say):
        say(**listeners.mention_reply(event))

    @app.command("/hello")
    def on_hello(ack, command, respond):
        # Slack wants an acknowledgement within 3 seconds; the reply follows through the response URL.
        ack()
        respond(**listeners.hello_command(command))

    @app.event("app_home_opened")
    def on_home_opened(event, client):
        client.views_publish(user_id=event["user"], view=listeners.home_view(event["user"]))

    @app.action(listeners.FEEDBACK_BUTTON)
    def on_feedback_button(ack, body, client):
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=listeners.feedback_modal())

    @app.view(listeners.FEEDBACK_MODAL)
    def on_feedback(ack, body, view, client):
        errors = listeners.feedback_errors(view["state"]["values"])
        if errors:
            ack(response_action="errors", errors=errors)  # the modal stays open, showing them
            return
        ack()
        user = body["user"]["id"]
        client.chat_postMessage(channel=user, text=listeners.feedback_thanks(view["state"]["values"]))

    return app


if __name__ == "__main__":
    from envfile import load_env
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    load_env()
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"))
    SocketModeHandler(build_app(), os.environ["SLACK_APP_TOKEN"]).start()
