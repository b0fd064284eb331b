"""Bolt wiring: runs the custom step in steps.py when a workflow reaches it (Socket Mode)."""

from __future__ import annotations

import logging
import os

import steps
from envfile import load_env
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

load_env()
logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"))

app = App(token=os.environ["SLACK_BOT_TOKEN"])


@app.function(steps.CALLBACK_ID)
def run_greet_user(inputs, complete, fail, logger):
    try:
        complete(outputs=steps.greet_user(inputs))
    except steps.StepInputError as exc:
        fail(error=str(exc))
    except Exception:
        logger.exception("the step failed")
        fail(error="the step failed; see the app's log")


if __name__ == "__main__":
    SocketModeHandler(app, os.environ["SLACK_APP_TOKEN"]).start()
