"""Bolt wiring: runs the custom step in steps.py when a workflow reaches it (Socket Mode).

build_app(client) makes the app; the tests (tests/test_app.py) hand it the client of an offline Slack.
"""

from __future__ import annotations

import logging
import os

import steps
from slack_bolt import App
from slack_sdk import WebClient


def build_app(client: WebClient | None = None) -> App:
    """The app with its step; CLIENT talks to Slack (default: SLACK_BOT_TOKEN's, at slack.com)."""
    app = App(client=client) if client is not None else App(token=os.environ["SLACK_BOT_TOKEN"])

    @app.function(steps.CALLBACK_ID)
    def run_greet_user(inputs, complete, fail, logger):
        try:
            complete(outputs=steps.greet_user(inputs))
        except steps.StepInputError as exc:
            fail(error=str(exc))
        except Exception:
            logger.exception("the step failed")
            fail(error="the step failed; see the app's log")

    return app


if __name__ == "__main__":
    from envfile import load_env
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    load_env()
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"))
    SocketModeHandler(build_app(), os.environ["SLACK_APP_TOKEN"]).start()
