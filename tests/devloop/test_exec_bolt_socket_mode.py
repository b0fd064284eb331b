"""An unmodified Bolt Socket Mode app (no base URL anywhere in its code) under `slackctl emulator exec`: a message
reply, a slash command's respond(), App Home, and shortcut -> modal -> button -> views.update -> submission."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import register_secret
from tests.devloop.helpers import socket_connections, wait_for

MANIFEST: dict[str, Any] = {
    "display_information": {"name": "Unmodified"},
    "features": {
        "bot_user": {"display_name": "unmodified"},
        "app_home": {"home_tab_enabled": True},
        "slash_commands": [{"command": "/echo", "description": "Echo"}],
        "shortcuts": [{"name": "Ticket", "type": "global", "callback_id": "new_ticket", "description": "New"}],
    },
    "oauth_config": {"scopes": {"bot": ["chat:write", "channels:history", "commands"]}},
    "settings": {
        "socket_mode_enabled": True,
        "interactivity": {"is_enabled": True},
        "event_subscriptions": {"bot_events": ["message.channels", "app_home_opened"]},
    },
}

# What a developer writes from Slack's samples: tokens from the environment, Slack's default URLs.
APP = """
import os
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

app = App(token=os.environ["SLACK_BOT_TOKEN"])
VIEW = {"type": "modal", "callback_id": "ticket", "title": {"type": "plain_text", "text": "Ticket"},
        "submit": {"type": "plain_text", "text": "File"},
        "blocks": [{"type": "input", "block_id": "title", "label": {"type": "plain_text", "text": "Title"},
                    "element": {"type": "plain_text_input", "action_id": "value"}},
                   {"type": "actions", "block_id": "more", "elements": [{"type": "button", "action_id": "more",
                    "text": {"type": "plain_text", "text": "More"}, "value": "m"}]}]}

@app.message("hello")
def hello(message, say):
    say(f"hi <@{message['user']}>")

@app.command("/echo")
def echo(ack, respond, command):
    ack()
    respond(f"echo: {command['text']}")

@app.event("app_home_opened")
def home(event, client):
    client.views_publish(user_id=event["user"], view={"type": "home", "blocks": [
        {"type": "section", "text": {"type": "mrkdwn", "text": "Welcome home"}}]})

@app.shortcut("new_ticket")
def shortcut(ack, body, client):
    ack()
    client.views_open(trigger_id=body["trigger_id"], view=VIEW)

@app.action("more")
def more(ack, body, client):
    ack()
    view = body["view"]
    client.views_update(view_id=view["id"], hash=view["hash"], view={**VIEW, "blocks": VIEW["blocks"][:1]})

@app.view("ticket")
def submitted(ack, view, say):
    ack()
    title = view["state"]["values"]["title"]["value"]["value"]
    app.client.chat_postMessage(channel="#general", text=f"ticket filed: {title}")

@app.event("message")
def other_messages():
    pass

SocketModeHandler(app, os.environ["SLACK_APP_TOKEN"]).start()
"""


@pytest.fixture
def slack_manifest() -> dict[str, Any]:
    return MANIFEST


@pytest.fixture
def running(slack: Any, slack_app: dict[str, Any], tmp_path: Path) -> Iterator[Any]:
    register_secret(slack_app["bot_token"], slack_app["app_token"], slack_app["signing_secret"])
    script = tmp_path / "app.py"
    script.write_text(textwrap.dedent(APP))
    assert "base_url" not in APP and "127.0.0.1" not in APP
    env = dict(os.environ, SLACKCTL_SLACK_URL=slack.url)
    proc = subprocess.Popen(
        [sys.executable, "-m", "slackctl", "emulator", "exec", "--", sys.executable, str(script)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: socket_connections(slack.url) == 1 or proc.poll() is not None, what="the app to connect")
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        yield slack
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            assert proc.wait(timeout=15) == 130
        finally:
            if proc.poll() is None:
                proc.kill()


def test_a_message_gets_a_reply(running: Any) -> None:
    running.user("ada").post("#general", "hello there")
    reply = running.wait_for_message("#general", lambda m: m.get("text") == "hi <@U0EMU00001>")
    assert reply["bot_id"]
    requests = running.emu.requests("chat.postMessage")
    assert requests and all(r["headers"].get("Host") == "slack.com" for r in requests)


def test_a_slash_command_is_answered_with_respond(running: Any) -> None:
    result = running.user("ada").command("/echo", "ping", channel="#random")
    assert result["ack"]["ok"]
    shown = running.wait_for_message("#random", lambda m: m.get("text") == "echo: ping")
    assert shown["ephemeral"] is True  # respond() went to the response_url through the proxy


def test_app_home_is_published(running: Any) -> None:
    running.user("ada").open_home()
    home = running.wait_for_view(lambda v: v["type"] == "home")
    assert home["blocks"][0]["text"]["text"] == "Welcome home"


def test_a_modal_flow_works(running: Any) -> None:
    ada = running.user("ada")
    ada.shortcut("new_ticket")
    modal = running.wait_for_view(lambda v: v["type"] == "modal" and v["callback_id"] == "ticket")
    ada.click("more", view=modal["id"])
    running.wait_for_view(lambda v: v["type"] == "modal" and len(v["blocks"]) == 1)
    done = ada.submit(modal["id"], {"title.value": "Printer on fire"})
    assert done["views"]["modals"] == []
    running.wait_for_message("#general", lambda m: m.get("text") == "ticket filed: Printer on fire")
