"""Bolt wiring: connects the handlers in listeners.py to Slack over Socket Mode (no public URL needed)."""

from __future__ import annotations

import logging
import os

import listeners
from envfile import load_env
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

load_env()
logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"))

app = App(token=os.environ["SLACK_BOT_TOKEN"])


@app.event("app_mention")
def on_mention(event, say):
    say(**listeners.mention_reply(event))


@app.command("/hello")
def on_hello(ack, command, respond):
    # Slack wants an acknowledgement within 3 seconds; the reply follows through the response URL.
    ack()
    respond(**listeners.hello_command(command))


if __name__ == "__main__":
    SocketModeHandler(app, os.environ["SLACK_APP_TOKEN"]).start()
