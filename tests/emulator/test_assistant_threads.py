"""Assistant threads as Slack starts them (issue 23 item 10): the root has the subtype assistant_app_thread, so
slack_bolt's Assistant (its thread-context store) finds the context the app saved; the context changes with
assistant-context; status, title and suggested prompts show in messages, views and the control surface. Real
slack_bolt apps over Socket Mode and HTTP, wired as Slack's Python assistant sample is."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from slack_bolt import App, Assistant
from slack_sdk import WebClient

from slackctl.emulator import Emulator
from tests.emulator.test_bolt_http import BoltServer

MANIFEST: dict[str, Any] = {
    "display_information": {"name": "Helpful"},
    "features": {
        "bot_user": {"display_name": "helpful"},
        "assistant_view": {"assistant_description": "Ask me about a channel"},
    },
    "oauth_config": {"scopes": {"bot": ["assistant:write", "chat:write", "im:history", "channels:history"]}},
    "settings": {
        "socket_mode_enabled": True,
        "event_subscriptions": {
            "bot_events": ["assistant_thread_started", "assistant_thread_context_changed", "message.im"]
        },
    },
}
PROMPTS = [{"title": "Summarize the channel", "message": "Summarize the channel"}]
# The feedback buttons Slack's assistant samples put under an answer (a context_actions block).
FEEDBACK = {
    "type": "context_actions",
    "block_id": "fb",
    "elements": [
        {
            "type": "feedback_buttons",
            "action_id": "feedback",
            "positive_button": {"text": {"type": "plain_text", "text": "Good"}, "value": "good-feedback"},
            "negative_button": {"text": {"type": "plain_text", "text": "Bad"}, "value": "bad-feedback"},
        }
    ],
}


def _assistant(app: App) -> None:
    assistant = Assistant()

    @assistant.thread_started
    def started(say: Any, set_suggested_prompts: Any) -> None:
        # Bolt stores the thread's context in this reply's metadata
        say(
            text="How can I help you?",
            blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "How can I help you?"}}, FEEDBACK],
        )
        set_suggested_prompts(prompts=PROMPTS, title="Try these")

    @assistant.user_message
    def asked(payload: dict[str, Any], say: Any, set_title: Any, set_status: Any, get_thread_context: Any) -> None:
        set_title(payload["text"])
        set_status("is thinking...")
        context = get_thread_context()
        say(f"summary of <#{context.channel_id}>" if context and context.channel_id else "no channel context")

    app.use(assistant)


@pytest.fixture
def slack_manifest() -> dict[str, Any]:
    return MANIFEST


@pytest.fixture
def bolt(slack: Any, slack_app: dict[str, Any]) -> WebClient:
    app = App(
        client=WebClient(token=slack_app["bot_token"], base_url=slack.api_url),
        signing_secret=slack_app["signing_secret"],
    )
    _assistant(app)
    slack.connect(app)
    return app.client


def _reply(slack: Any, channel: str, thread_ts: str, text: str) -> dict[str, Any]:
    return slack.wait_for_message(channel, lambda m: m.get("thread_ts") == thread_ts and m.get("text") == text)


def test_the_root_is_an_assistant_app_thread_and_bolt_finds_the_saved_context(slack: Any, bolt: WebClient) -> None:
    ada = slack.user("ada")
    started = ada.start_assistant_thread(context_channel="#general")
    assert [d["status"] for d in started["deliveries"]] == ["acked"]
    dm, ts = started["channel"], started["thread_ts"]
    _reply(slack, dm, ts, "How can I help you?")
    root = slack.wait_for_message(dm, lambda m: m["ts"] == ts and "prompts" in m.get("assistant_thread", {}))
    assert root["subtype"] == "assistant_app_thread" and root["text"] == "Ask me about a channel"
    assert root["user"] == "U0EMU00001" and "bot_id" not in root
    assert root["assistant_thread"]["prompts"] == PROMPTS and root["assistant_thread"]["prompts_title"] == "Try these"
    ada.post(dm, "Summarize the channel", thread=ts)
    _reply(slack, dm, ts, "summary of <#C0EMU00001>")  # the sample's "summarize the channel" works
    root = next(m for m in slack.messages(dm) if m["ts"] == ts)
    assert root["assistant_app_thread"]["title"] == "Summarize the channel"
    assert root["assistant_thread"]["title"] == "Summarize the channel"


def test_a_context_change_reaches_bolt_which_saves_it(slack: Any, bolt: WebClient) -> None:
    ada = slack.user("ada")
    started = ada.start_assistant_thread(context_channel="#general")
    dm, ts = started["channel"], started["thread_ts"]
    _reply(slack, dm, ts, "How can I help you?")
    changed = ada.change_assistant_context("#random")
    assert changed["thread_ts"] == ts and changed["context"]["channel_id"] == "C0EMU00002"
    assert [d["type"] for d in changed["deliveries"]] == ["assistant_thread_context_changed"]
    assert changed["deliveries"][0]["status"] == "acked"
    ada.post(dm, "And now?", thread=ts)
    _reply(slack, dm, ts, "summary of <#C0EMU00002>")


def test_status_title_and_prompts_show_in_views_and_the_control_surface(slack: Any, bolt: WebClient) -> None:
    started = slack.user("ada").start_assistant_thread()
    dm, ts = started["channel"], started["thread_ts"]
    slack.wait_for_message(dm, lambda m: m["ts"] == ts and "prompts" in m.get("assistant_thread", {}))
    bolt.assistant_threads_setStatus(channel_id=dm, thread_ts=ts, status="is reading the channel...")
    bolt.assistant_threads_setTitle(channel_id=dm, thread_ts=ts, title="Weekly summary")
    (thread,) = slack.views()["assistant_threads"]
    assert thread["status"] == "is reading the channel..." and thread["title"] == "Weekly summary"
    assert thread["prompts"] == PROMPTS and thread["context"]["channel_id"] is None
    listed = httpx.get(f"{slack.url}/_emulator/assistant-threads", params={"user": "ada"}).json()
    assert listed["assistant_threads"] == [thread]
    assert (
        httpx.get(f"{slack.url}/_emulator/assistant-threads", params={"user": "grace"}).json()["assistant_threads"]
        == []
    )
    root = next(m for m in slack.messages(dm) if m["ts"] == ts)
    assert root["assistant_thread"]["status"] == "is reading the channel..."


def test_an_http_bolt_assistant_through_the_cli_verbs(cli: Any) -> None:
    server = BoltServer()
    settings = {
        "event_subscriptions": {
            "request_url": server.url,
            "bot_events": MANIFEST["settings"]["event_subscriptions"]["bot_events"],
        }
    }
    emu = Emulator().start()
    try:
        creds = emu.install_app({**MANIFEST, "settings": settings})
        app = App(
            client=WebClient(token=creds["bot_token"], base_url=emu.url + "/api/"),
            signing_secret=creds["signing_secret"],
        )
        _assistant(app)
        server.app = app
        server.ready.set()
        out = cli("emulator", "assistant-thread", "--context", "#general", "--slack-url", emu.url)
        assert out.exit_code == 0, out.output
        started = json.loads(out.stdout)
        dm, ts = started["channel"], started["thread_ts"]
        changed = cli("emulator", "assistant-context", "--context", "#random", "--slack-url", emu.url)
        assert changed.exit_code == 0, changed.output
        assert json.loads(changed.stdout)["deliveries"][0]["status"] == "acked"
        assert (
            cli("emulator", "post", dm, "Summarize the channel", "--thread", ts, "--slack-url", emu.url).exit_code == 0
        )
        from slackctl.emulator.driver.waiting import wait_for

        wait_for(
            emu,
            lambda: any(m.get("text") == "summary of <#C0EMU00002>" for m in emu.messages(dm)),
            what="the assistant's answer with the changed context",
        )
        views = json.loads(cli("emulator", "views", "--slack-url", emu.url).stdout)
        assert views["assistant_threads"][0]["title"] == "Summarize the channel"
        missing = cli("emulator", "assistant-context", "--context", "#random", "--as", "grace", "--slack-url", emu.url)
        assert missing.exit_code == 2 and "this user has no assistant thread" in missing.stderr
    finally:
        emu.stop()
        server.close()
