"""A real slack_bolt app over Socket Mode (SocketModeHandler) against the emulator: messages, mentions, a slash
command answered with respond(), App Home, and shortcut -> modal -> button -> views.update -> submission."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from slack_bolt import App
from slack_sdk import WebClient

MANIFEST: dict[str, Any] = {
    "display_information": {"name": "Helper"},
    "features": {
        "bot_user": {"display_name": "helper"},
        "app_home": {"home_tab_enabled": True},
        "slash_commands": [{"command": "/echo", "description": "Echo"}],
        "shortcuts": [{"name": "Ticket", "type": "global", "callback_id": "new_ticket", "description": "New"}],
    },
    "oauth_config": {
        "scopes": {
            "bot": [
                "chat:write",
                "channels:history",
                "app_mentions:read",
                "commands",
                "im:history",
                "reactions:read",
                "assistant:write",
            ]
        }
    },
    "settings": {
        "socket_mode_enabled": True,
        "interactivity": {"is_enabled": True},
        "event_subscriptions": {
            "bot_events": [
                "message.channels",
                "app_mention",
                "app_home_opened",
                "message.im",
                "reaction_added",
                "assistant_thread_started",
            ]
        },
    },
}

TICKET_VIEW = {
    "type": "modal",
    "callback_id": "ticket",
    "title": {"type": "plain_text", "text": "Ticket"},
    "submit": {"type": "plain_text", "text": "File"},
    "blocks": [
        {
            "type": "input",
            "block_id": "title",
            "label": {"type": "plain_text", "text": "Title"},
            "element": {"type": "plain_text_input", "action_id": "value"},
        },
        {
            "type": "actions",
            "block_id": "more",
            "elements": [
                {
                    "type": "button",
                    "action_id": "add_priority",
                    "text": {"type": "plain_text", "text": "Priority"},
                    "value": "p",
                }
            ],
        },
    ],
}


@pytest.fixture
def slack_manifest() -> dict[str, Any]:
    return MANIFEST


@pytest.fixture
def bolt(slack: Any, slack_app: dict[str, Any]) -> dict[str, Any]:
    client = WebClient(token=slack_app["bot_token"], base_url=slack.api_url)
    app = App(client=client, signing_secret=slack_app["signing_secret"])
    seen: dict[str, Any] = {"submissions": [], "home_opened": threading.Event()}

    @app.message("hello")
    def hello(message: dict[str, Any], say: Any) -> None:
        say(f"hi <@{message['user']}>", thread_ts=message.get("thread_ts"))

    @app.event("app_mention")
    def mention(event: dict[str, Any], say: Any) -> None:
        say(f"you rang, <@{event['user']}>?")

    @app.event("reaction_added")
    def reacted(event: dict[str, Any], say: Any) -> None:
        say(f"thanks for the :{event['reaction']}:", channel=event["item"]["channel"])

    @app.command("/echo")
    def echo(ack: Any, respond: Any, command: dict[str, Any]) -> None:
        ack()
        respond(f"echo: {command['text']}")

    @app.event("app_home_opened")
    def home(event: dict[str, Any], client: WebClient) -> None:
        client.views_publish(
            user_id=event["user"],
            view={"type": "home", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Welcome home"}}]},
        )
        seen["home_opened"].set()

    @app.shortcut("new_ticket")
    def shortcut(ack: Any, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=TICKET_VIEW)

    @app.action("add_priority")
    def add_priority(ack: Any, body: dict[str, Any], client: WebClient) -> None:
        ack()
        view = body["view"]
        blocks = [
            *TICKET_VIEW["blocks"][:1],
            {
                "type": "input",
                "block_id": "priority",
                "label": {"type": "plain_text", "text": "Priority"},
                "element": {
                    "type": "static_select",
                    "action_id": "pick",
                    "options": [
                        {"text": {"type": "plain_text", "text": "High"}, "value": "high"},
                        {"text": {"type": "plain_text", "text": "Low"}, "value": "low"},
                    ],
                },
            },
        ]
        client.views_update(view_id=view["id"], hash=view["hash"], view={**TICKET_VIEW, "blocks": blocks})

    @app.view("ticket")
    def submitted(ack: Any, view: dict[str, Any]) -> None:
        values = view["state"]["values"]
        if not values["title"]["value"]["value"]:
            ack(response_action="errors", errors={"title": "A title, please"})
            return
        seen["submissions"].append(values)
        ack()

    @app.event("assistant_thread_started")
    def assistant(event: dict[str, Any], client: WebClient) -> None:
        thread = event["assistant_thread"]
        client.chat_postMessage(channel=thread["channel_id"], thread_ts=thread["thread_ts"], text="How can I help?")

    @app.event("message")
    def other_messages() -> None:
        pass  # acknowledged: an event no listener handles is not acked by Bolt, and Slack would retry it

    slack.connect(app)
    return seen


def test_a_message_reaches_the_app_and_its_reply_lands_in_the_channel(slack: Any, bolt: dict[str, Any]) -> None:
    posted = slack.user("ada").post("#general", "hello world")
    reply = slack.wait_for_message("#general", lambda m: m.get("text") == "hi <@U0EMU00001>")
    assert reply["bot_id"] and float(reply["ts"]) > float(posted["ts"])
    (delivery,) = [
        d for d in slack.deliveries() if d["type"] == "message" and d["payload"]["event"]["ts"] == posted["ts"]
    ]
    assert delivery["transport"] == "socket_mode" and delivery["status"] == "acked"


def test_a_thread_reply_is_answered_in_the_thread(slack: Any, bolt: dict[str, Any]) -> None:
    parent = slack.user("grace").post("#general", "a topic")
    reply = slack.user("grace").post("#general", "hello again", thread=parent["ts"])
    assert reply["thread_ts"] == parent["ts"]
    answer = slack.wait_for_message("#general", lambda m: m.get("text") == "hi <@U0EMU00002>", as_user="grace")
    assert answer["thread_ts"] == parent["ts"]


def test_a_mention_is_an_app_mention_event(slack: Any, bolt: dict[str, Any], slack_app: dict[str, Any]) -> None:
    slack.user("ada").post("#random", f"<@{slack_app['bot_user_id']}> ping")
    reply = slack.wait_for_message("#random", lambda m: m.get("text") == "you rang, <@U0EMU00001>?")
    assert reply["user"] == slack_app["bot_user_id"]


def test_a_reaction_is_delivered(slack: Any, bolt: dict[str, Any]) -> None:
    posted = slack.user("ada").post("#general", "react to me")
    slack.user("linus").react("#general", posted["ts"], "tada")
    assert slack.wait_for_message("#general", lambda m: m.get("text") == "thanks for the :tada:")


def test_a_slash_command_answered_with_respond_is_shown_only_to_the_user(slack: Any, bolt: dict[str, Any]) -> None:
    result = slack.user("ada").command("/echo", "ping", channel="#random")
    assert result["ack"]["ok"] and result["ack"]["transport"] == "socket_mode"
    shown = slack.wait_for_message("#random", lambda m: m.get("text") == "echo: ping")
    assert shown["ephemeral"] is True
    assert not [m for m in slack.messages("#random", as_user="grace") if m.get("text") == "echo: ping"]


def test_opening_app_home_lets_the_app_publish_it(slack: Any, bolt: dict[str, Any]) -> None:
    slack.user("ada").open_home()
    home = slack.wait_for_view(lambda v: v["type"] == "home")
    assert home["blocks"][0]["text"]["text"] == "Welcome home"
    assert slack.views("grace")["home"] is None


def test_shortcut_modal_button_update_and_submission(slack: Any, bolt: dict[str, Any]) -> None:
    ada = slack.user("ada")
    ada.shortcut("new_ticket")
    modal = slack.wait_for_view(lambda v: v["type"] == "modal" and v["callback_id"] == "ticket")
    ada.click("add_priority", view=modal["id"])
    updated = slack.wait_for_view(
        lambda v: v["type"] == "modal" and len(v["blocks"]) == 2 and v["blocks"][1]["block_id"] == "priority"
    )
    assert updated["id"] == modal["id"] and updated["hash"] != modal["hash"]
    refused = ada.submit(modal["id"], {"title.value": ""})
    assert refused["response_action"] == "errors" and refused["errors"] == {"title": "A title, please"}
    assert slack.views()["modals"], "a refused submission keeps the modal open"
    done = ada.submit(modal["id"], {"title.value": "Printer on fire", "priority.pick": "high"})
    assert done["views"]["modals"] == []
    (values,) = bolt["submissions"]
    assert values["title"]["value"] == {"type": "plain_text_input", "value": "Printer on fire"}
    assert values["priority"]["pick"]["selected_option"]["value"] == "high"


def test_an_assistant_thread_start_reaches_the_app_which_answers_in_it(slack: Any, bolt: dict[str, Any]) -> None:
    started = slack.user("ada").start_assistant_thread(context_channel="#general")
    assert started["channel"].startswith("D")
    reply = slack.wait_for_message(started["channel"], lambda m: m.get("text") == "How can I help?")
    assert reply["thread_ts"] == started["thread_ts"]
    (delivery,) = [d for d in slack.deliveries() if d["type"] == "assistant_thread_started"]
    event = delivery["payload"]["event"]["assistant_thread"]
    assert event["context"]["channel_id"] == "C0EMU00001" and event["user_id"] == "U0EMU00001"
