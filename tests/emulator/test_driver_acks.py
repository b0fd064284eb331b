"""A user's action happens whether or not an app acknowledges the events it causes (issue 23 items 6 and 7): post,
react, open-home and assistant-thread exit 0 and list their deliveries, a warning names what happened, and
--expect-ack fails instead; typed @mentions become mentions, as in Slack's composer. Real slack_bolt apps over HTTP
and Socket Mode."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from slack_bolt import App
from slack_sdk import WebClient

from slackctl.emulator import Emulator, start_emulator
from slackctl.emulator.driver.user import DriveError
from slackctl.emulator.driver.waiting import wait_for
from tests.emulator.test_bolt_http import BoltServer

SOCKET_APP = {
    "display_information": {"name": "Sleepy"},
    "features": {"bot_user": {"display_name": "sleepy"}, "app_home": {"home_tab_enabled": True}},
    "oauth_config": {"scopes": {"bot": ["channels:history", "reactions:read"]}},
    "settings": {
        "socket_mode_enabled": True,
        "event_subscriptions": {"bot_events": ["message.channels", "reaction_added", "app_home_opened"]},
    },
}


def _mention_only_manifest(url: str, name: str = "My App") -> dict[str, Any]:
    return {
        "display_information": {"name": name},
        "features": {"bot_user": {"display_name": "my-app"}},
        "oauth_config": {"scopes": {"bot": ["chat:write", "channels:history", "app_mentions:read"]}},
        "settings": {"event_subscriptions": {"request_url": url, "bot_events": ["message.channels", "app_mention"]}},
    }


def test_a_post_while_the_app_is_still_starting_exits_0_listing_the_delivery_with_a_warning(cli: Any) -> None:
    with start_emulator(manifests=[SOCKET_APP]) as emu:  # Slack's own 3 s ack timeout: nothing shortens it
        started = time.monotonic()
        out = cli("emulator", "post", "#general", "anyone?", "--slack-url", emu.url)
        elapsed = time.monotonic() - started
        assert out.exit_code == 0, out.output
        message = json.loads(out.stdout)
        assert message["text"] == "anyone?" and [m["text"] for m in emu.messages("#general")] == ["anyone?"]
        (delivery,) = message["deliveries"]
        assert delivery["app"] == "Sleepy" and delivery["type"] == "message" and delivery["status"] == "retrying"
        assert delivery["attempts"] == 1 and delivery["error"].startswith("no Socket Mode connection")
        assert "warning: Sleepy did not acknowledge the message event: no Socket Mode connection" in out.stderr
        assert elapsed < 2.5, "no connection is known at once: no waiting for Slack's 3 s"
        assert "3 s" not in out.stderr


def test_react_and_open_home_exit_0_without_an_ack_and_list_their_deliveries(cli: Any) -> None:
    with start_emulator(manifests=[SOCKET_APP]) as emu:
        ts = emu.user("ada").post("#general", "react to me")["ts"]
        reacted = cli("emulator", "react", "#general", ts, "tada", "--slack-url", emu.url)
        assert reacted.exit_code == 0, reacted.output
        assert [d["type"] for d in json.loads(reacted.stdout)["deliveries"]] == ["reaction_added"]
        home = cli("emulator", "open-home", "--slack-url", emu.url)
        assert home.exit_code == 0, home.output
        (delivery,) = json.loads(home.stdout)["deliveries"]
        assert delivery["type"] == "app_home_opened" and delivery["status"] == "retrying"
        assert "did not acknowledge the app_home_opened event" in home.stderr


def test_an_assistant_thread_starts_though_the_app_is_not_connected(cli: Any) -> None:
    manifest = {
        "display_information": {"name": "Aide"},
        "features": {"bot_user": {"display_name": "aide"}},
        "oauth_config": {"scopes": {"bot": ["assistant:write", "im:history"]}},
        "settings": {"socket_mode_enabled": True, "event_subscriptions": {"bot_events": ["assistant_thread_started"]}},
    }
    with start_emulator(manifests=[manifest]) as emu:
        out = cli("emulator", "assistant-thread", "--slack-url", emu.url)
        assert out.exit_code == 0, out.output
        (delivery,) = json.loads(out.stdout)["deliveries"]
        assert delivery["type"] == "assistant_thread_started" and delivery["status"] == "retrying"
        assert "Aide did not acknowledge the assistant_thread_started event" in out.stderr
        failed = cli("emulator", "assistant-thread", "--expect-ack", "--slack-url", emu.url)
        assert failed.exit_code == 1 and "no Socket Mode connection" in failed.stderr


def test_expect_ack_makes_a_missing_ack_exit_1_saying_what_happened(cli: Any) -> None:
    with start_emulator(manifests=[SOCKET_APP]) as emu:
        out = cli("emulator", "post", "#general", "anyone?", "--expect-ack", "--slack-url", emu.url)
        assert out.exit_code == 1
        assert "Sleepy did not acknowledge the message event: no Socket Mode connection" in out.stderr
        assert "within" not in out.stderr and "no answer" not in out.stderr and "Traceback" not in out.output


def test_a_command_to_an_http_app_that_is_not_running_fails_with_connection_refused(cli: Any) -> None:
    manifest = {
        "display_information": {"name": "Down"},
        "features": {
            "bot_user": {"display_name": "down"},
            "slash_commands": [{"command": "/down", "url": "http://127.0.0.1:9/slack/events", "description": "d"}],
        },
        "oauth_config": {"scopes": {"bot": ["commands"]}},
    }
    with start_emulator(manifests=[manifest]) as emu:
        out = cli("emulator", "command", "/down", "--slack-url", emu.url)
        assert out.exit_code == 1
        assert "the app Down did not acknowledge /down: connection refused" in out.stderr
        assert "within" not in out.stderr


@pytest.fixture
def mention_app() -> Any:
    """A Bolt app over HTTP that listens to app_mention only: Bolt answers 404 to the message event."""
    server = BoltServer()
    emu = Emulator().start()
    creds = emu.install_app(_mention_only_manifest(server.url))
    app = App(
        client=WebClient(token=creds["bot_token"], base_url=emu.url + "/api/"), signing_secret=creds["signing_secret"]
    )

    @app.event("app_mention")
    def mentioned(event: dict[str, Any], say: Any) -> None:
        say(f"you said {event['text']}")

    server.app = app
    server.ready.set()
    yield emu, creds
    emu.stop()
    server.close()


def test_a_mention_of_an_http_bolt_app_exits_0_though_bolt_answers_404_to_the_message_event(
    cli: Any, mention_app: Any
) -> None:
    emu, creds = mention_app
    out = cli("emulator", "post", "#general", "@my-app hello", "--slack-url", emu.url)
    assert out.exit_code == 0, out.output
    message = json.loads(out.stdout)
    assert message["text"] == f"<@{creds['bot_user_id']}> hello"  # typed @my-app is a mention
    by_type = {d["type"]: d for d in message["deliveries"]}
    assert by_type["app_mention"]["status"] == "acked" and by_type["app_mention"]["http_status"] == 200
    assert by_type["message"]["status"] == "retrying" and by_type["message"]["error"] == "HTTP 404"
    assert by_type["message"]["http_status"] == 404
    assert "warning: My App did not acknowledge the message event: HTTP 404 (Slack retries it)" in out.stderr
    wait_for(
        emu,
        lambda: any(m.get("text") == f"you said <@{creds['bot_user_id']}> hello" for m in emu.messages("#general")),
        what="Bolt's answer to the mention",
    )
    failed = cli("emulator", "post", "#general", "@my-app again", "--expect-ack", "--slack-url", emu.url)
    assert failed.exit_code == 1 and "did not acknowledge the message event: HTTP 404" in failed.stderr


def test_a_mention_reaches_a_socket_mode_bolt_app_by_its_name(slack: Any, slack_app: dict[str, Any]) -> None:
    app = App(
        client=WebClient(token=slack_app["bot_token"], base_url=slack.api_url),
        signing_secret=slack_app["signing_secret"],
    )

    @app.event("app_mention")
    def mentioned(event: dict[str, Any], say: Any) -> None:
        say(f"hi <@{event['user']}>")

    @app.event("message")
    def others() -> None:
        pass

    slack.connect(app)
    posted = slack.user("ada").post("#general", "@Pinger are you there?")
    assert posted["text"] == f"<@{slack_app['bot_user_id']}> are you there?"
    assert {d["type"]: d["status"] for d in posted["deliveries"]} == {"message": "acked", "app_mention": "acked"}
    slack.wait_for_message("#general", lambda m: m.get("text") == "hi <@U0EMU00001>")


@pytest.fixture
def slack_manifest() -> dict[str, Any]:
    return {
        "display_information": {"name": "Pinger"},
        "features": {"bot_user": {"display_name": "pinger"}},
        "oauth_config": {"scopes": {"bot": ["chat:write", "channels:history", "app_mentions:read"]}},
        "settings": {
            "socket_mode_enabled": True,
            "event_subscriptions": {"bot_events": ["message.channels", "app_mention"]},
        },
    }


def test_typed_mentions_of_people_and_broadcasts_become_slack_s_markup() -> None:
    with start_emulator() as emu:
        ada = emu.user("grace")
        text = ada.post("#general", "@ada, mail x@y.com or @here. @nobody @channel")["text"]
        assert text == "<@U0EMU00001>, mail x@y.com or <!here>. @nobody <!channel>"
        with pytest.raises(DriveError, match="no user or app named 'nobody'"):
            ada.post("@nobody", "psst")
