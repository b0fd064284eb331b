"""`click` finds the element wherever it is on the user's screen and reaches every interactive block, and select
values reach the app as Slack sends them (issue 23 items 8 and 9): real slack_bolt apps over Socket Mode and
HTTP."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from slack_bolt import App
from slack_sdk import WebClient

from slackctl.emulator import Emulator
from slackctl.emulator.driver.user import DriveError
from slackctl.emulator.driver.waiting import wait_for
from tests.emulator.test_bolt_http import BoltServer

FEEDBACK = {
    "type": "context_actions",
    "block_id": "fb",
    "elements": [
        {
            "type": "feedback_buttons",
            "action_id": "feedback",
            "positive_button": {"text": {"type": "plain_text", "text": "Good"}, "value": "good-response"},
            "negative_button": {"text": {"type": "plain_text", "text": "Bad"}, "value": "bad-response"},
        }
    ],
}
PICKERS = {
    "type": "actions",
    "block_id": "pick",
    "elements": [
        {"type": "users_select", "action_id": "who"},
        {"type": "conversations_select", "action_id": "where"},
        {
            "type": "overflow",
            "action_id": "more",
            "options": [
                {"text": {"type": "plain_text", "text": "Edit"}, "value": "edit"},
                {"text": {"type": "plain_text", "text": "Drop"}, "value": "drop"},
            ],
        },
    ],
}
SHARE_MODAL = {
    "type": "modal",
    "callback_id": "share",
    "title": {"type": "plain_text", "text": "Share"},
    "submit": {"type": "plain_text", "text": "Share"},
    "blocks": [
        {
            "type": "input",
            "block_id": "dest",
            "label": {"type": "plain_text", "text": "Where"},
            "element": {"type": "conversations_select", "action_id": "channel", "response_url_enabled": True},
        },
        {
            "type": "input",
            "block_id": "owner",
            "label": {"type": "plain_text", "text": "Owner"},
            "element": {"type": "users_select", "action_id": "user"},
        },
    ],
}
MANIFEST: dict[str, Any] = {
    "display_information": {"name": "Clicker"},
    "features": {
        "bot_user": {"display_name": "clicker"},
        "app_home": {"home_tab_enabled": True},
        "shortcuts": [{"name": "Share", "type": "global", "callback_id": "share", "description": "s"}],
    },
    "oauth_config": {"scopes": {"bot": ["chat:write", "commands", "channels:history"]}},
    "settings": {
        "socket_mode_enabled": True,
        "interactivity": {"is_enabled": True},
        "event_subscriptions": {"bot_events": ["app_home_opened"]},
    },
}


def _wire(app: App, seen: dict[str, Any]) -> None:
    @app.event("app_home_opened")
    def home(event: dict[str, Any], client: WebClient) -> None:
        client.views_publish(
            user_id=event["user"],
            view={
                "type": "home",
                "blocks": [
                    {
                        "type": "section",
                        "block_id": "hi",
                        "text": {"type": "mrkdwn", "text": "Home"},
                        "accessory": {
                            "type": "button",
                            "action_id": "home_button",
                            "value": "h",
                            "text": {"type": "plain_text", "text": "Go"},
                        },
                    }
                ],
            },
        )

    def record(name: str) -> Any:
        def listener(ack: Any, body: dict[str, Any]) -> None:
            ack()
            seen.setdefault(name, []).append(body)
            seen["event"].set()

        return listener

    for action_id in ("home_button", "feedback", "who", "where", "more", "twin"):
        app.action(action_id)(record(action_id))

    @app.shortcut("share")
    def share(ack: Any, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=SHARE_MODAL)

    @app.view("share")
    def shared(ack: Any, body: dict[str, Any], respond: Any) -> None:
        ack()
        seen.setdefault("share", []).append(body)
        respond(text="shared here", response_type="in_channel")  # Bolt answers through response_urls[0]


@pytest.fixture
def slack_manifest() -> dict[str, Any]:
    return MANIFEST


@pytest.fixture
def bolt(slack: Any, slack_app: dict[str, Any]) -> dict[str, Any]:
    app = App(
        client=WebClient(token=slack_app["bot_token"], base_url=slack.api_url),
        signing_secret=slack_app["signing_secret"],
    )
    seen: dict[str, Any] = {"event": threading.Event(), "client": app.client}
    _wire(app, seen)
    slack.connect(app)
    return seen


def test_a_click_without_a_place_finds_the_app_home_button_and_view_home_names_it(slack: Any, bolt: Any) -> None:
    ada = slack.user("ada")
    ada.open_home()
    slack.wait_for_view(lambda v: v["type"] == "home")
    clicked = ada.click("home_button")
    assert clicked["where"].startswith("V")
    ada.click("home_button", view="home")
    first, second = bolt["home_button"]
    assert first["container"]["type"] == "view" and first["view"]["type"] == "home"
    assert first["actions"][0]["block_id"] == "hi" and second["view"]["id"] == first["view"]["id"]


def test_feedback_buttons_in_a_context_actions_block_of_a_message_can_be_clicked(slack: Any, bolt: Any) -> None:
    posted = bolt["client"].chat_postMessage(
        channel="C0EMU00001",
        text="An answer",
        blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "An answer"}}, FEEDBACK],
    )
    slack.user("ada").click("feedback", value="negative")
    slack.user("ada").click("feedback")
    negative, positive = bolt["feedback"]
    assert negative["actions"][0] | {"action_ts": ""} == {
        "action_id": "feedback",
        "block_id": "fb",
        "type": "feedback_buttons",
        "action_ts": "",
        "text": {"type": "plain_text", "text": "Bad"},
        "value": "bad-response",
    }
    assert positive["actions"][0]["value"] == "good-response"
    assert negative["container"]["message_ts"] == posted["ts"] and negative["channel"]["id"] == "C0EMU00001"
    with pytest.raises(DriveError, match="have the values 'good-response' and 'bad-response'"):
        slack.user("ada").click("feedback", value="meh")


def test_select_values_given_as_names_reach_the_app_as_ids(slack: Any, bolt: Any) -> None:
    bolt["client"].chat_postMessage(channel="C0EMU00001", text="Pick", blocks=[PICKERS])
    ada = slack.user("ada")
    ada.click("who", value="@grace")
    ada.click("where", value="#random")
    ada.click("more", value="drop")
    assert bolt["who"][0]["actions"][0]["selected_user"] == "U0EMU00002"
    assert bolt["where"][0]["actions"][0]["selected_conversation"] == "C0EMU00002"
    assert bolt["more"][0]["actions"][0]["selected_option"]["value"] == "drop"
    with pytest.raises(DriveError, match="no user 'nobody' to pick"):
        ada.click("who", value="nobody")


def test_the_same_action_id_in_two_places_asks_for_one(slack: Any, bolt: Any) -> None:
    button = {
        "type": "actions",
        "elements": [
            {"type": "button", "action_id": "twin", "value": "x", "text": {"type": "plain_text", "text": "Twin"}}
        ],
    }
    first = bolt["client"].chat_postMessage(channel="C0EMU00001", text="one", blocks=[button])
    bolt["client"].chat_postMessage(channel="C0EMU00001", text="two", blocks=[button])
    with pytest.raises(DriveError, match="'twin' is in 2 places .*--message CHANNEL:TS"):
        slack.user("ada").click("twin")
    slack.user("ada").click("twin", message=f"#general:{first['ts']}")
    assert bolt["twin"][0]["container"]["message_ts"] == first["ts"]
    with pytest.raises(DriveError, match="no element with action_id 'absent'"):
        slack.user("ada").click("absent")


def test_view_submission_carries_response_urls_and_select_ids(slack: Any, bolt: Any) -> None:
    ada = slack.user("ada")
    ada.shortcut("share")
    modal = slack.wait_for_view(lambda v: v.get("callback_id") == "share")
    ada.submit(modal["id"], {"dest.channel": "#random", "owner.user": "grace"})
    (body,) = bolt["share"]
    values = body["view"]["state"]["values"]
    assert values["dest"]["channel"]["selected_conversation"] == "C0EMU00002"
    assert values["owner"]["user"]["selected_user"] == "U0EMU00002"
    (url,) = body["response_urls"]
    assert url["block_id"] == "dest" and url["action_id"] == "channel" and url["channel_id"] == "C0EMU00002"
    slack.wait_for_message("#random", lambda m: m.get("text") == "shared here")


def test_an_http_bolt_app_gets_a_feedback_click_from_the_cli(cli: Any) -> None:
    server = BoltServer()
    manifest = {**MANIFEST, "settings": {"interactivity": {"is_enabled": True, "request_url": server.url}}}
    emu = Emulator().start()
    try:
        creds = emu.install_app(manifest)
        app = App(
            client=WebClient(token=creds["bot_token"], base_url=emu.url + "/api/"),
            signing_secret=creds["signing_secret"],
        )
        seen: dict[str, Any] = {"event": threading.Event()}
        _wire(app, seen)
        server.app = app
        server.ready.set()
        app.client.chat_postMessage(channel="C0EMU00001", text="An answer", blocks=[FEEDBACK])
        out = cli("emulator", "click", "feedback", "--value", "bad-response", "--slack-url", emu.url)
        assert out.exit_code == 0, out.output
        assert json.loads(out.stdout)["action"]["value"] == "bad-response"
        wait_for(emu, lambda: seen.get("feedback"), what="the click at the app")
        assert seen["feedback"][0]["actions"][0]["type"] == "feedback_buttons"
    finally:
        emu.stop()
        server.close()
