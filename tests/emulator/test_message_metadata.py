"""Message metadata as Slack keeps it (issue 28): chat.postMessage, chat.update and chat.scheduleMessage store it,
conversations.history/replies return it with include_all_metadata (and only then), and message events carry it.
Driven with the real slack_sdk over HTTP."""

from __future__ import annotations

import json

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slackctl.emulator import start_emulator
from tests.emulator.test_delivery_http import Receiver, manifest

META = {"event_type": "task_created", "event_payload": {"id": "T-1", "title": "Write the docs"}}
GENERAL = "C0EMU00001"


@pytest.fixture
def sdk():
    with start_emulator(time_scale=600) as emu:
        yield emu, WebClient(token=emu.mint_token("bot")["token"], base_url=emu.url + "/api/")


def test_post_message_metadata_comes_back_only_with_include_all_metadata(sdk):
    _, client = sdk
    posted = client.chat_postMessage(channel=GENERAL, text="new task", metadata=META)
    assert posted["message"]["metadata"] == META
    with_meta = client.conversations_history(channel=GENERAL, include_all_metadata=True)
    assert with_meta["messages"][0]["metadata"] == META
    without = client.conversations_history(channel=GENERAL)
    assert "metadata" not in without["messages"][0]


def test_a_thread_reply_right_after_its_parent_keeps_its_metadata_in_replies(sdk):
    emu, client = sdk
    emu.limiter.enabled = True  # Slack's posting limit on: a reply right after its parent is still allowed
    parent = client.chat_postMessage(channel=GENERAL, text="parent")
    reply = client.chat_postMessage(channel=GENERAL, text="reply", thread_ts=parent["ts"], metadata=META)
    replies = client.conversations_replies(channel=GENERAL, ts=parent["ts"], include_all_metadata=True)
    assert [m.get("metadata") for m in replies["messages"]] == [None, META]
    assert replies["messages"][1]["ts"] == reply["ts"]


def test_chat_update_replaces_the_metadata(sdk):
    _, client = sdk
    posted = client.chat_postMessage(channel=GENERAL, text="v1", metadata=META)
    changed = {"event_type": "task_done", "event_payload": {"id": "T-1"}}
    client.chat_update(channel=GENERAL, ts=posted["ts"], text="v2", metadata=changed)
    (message,) = client.conversations_history(channel=GENERAL, include_all_metadata=True, limit=1)["messages"]
    assert message["text"] == "v2" and message["metadata"] == changed


def test_scheduled_message_metadata_is_kept_until_it_is_posted(sdk):
    emu, client = sdk
    import time

    scheduled = client.chat_scheduleMessage(
        channel=GENERAL, text="later", post_at=int(time.time()) + 120, metadata=META
    )
    assert scheduled["ok"] is True
    emu.advance_time(180)
    history = client.conversations_history(channel=GENERAL, include_all_metadata=True)
    later = [m for m in history["messages"] if m.get("text") == "later"]
    assert later and later[0]["metadata"] == META


@pytest.mark.parametrize(
    "bad", [{"event_payload": {}}, {"event_type": "x", "event_payload": "not an object"}, ["a", "list"]]
)
def test_malformed_metadata_is_refused(sdk, bad):
    _, client = sdk
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel=GENERAL, text="x", metadata=bad)
    assert err.value.response["error"] == "invalid_metadata_format"


def test_the_message_event_carries_the_metadata():
    receiver = Receiver()
    try:
        with start_emulator() as emu:
            app = emu.install_app(manifest(receiver.url, ["message.channels"], ["channels:history", "chat:write"]))
            assert json.loads(receiver.next()["body"])["type"] == "url_verification"
            client = WebClient(token=emu.mint_token("bot")["token"], base_url=emu.url + "/api/")
            client.chat_postMessage(channel=GENERAL, text="with metadata", metadata=META)
            event = json.loads(receiver.next()["body"])["event"]
            assert app["app_id"]
            assert event["type"] == "message" and event["text"] == "with metadata" and event["metadata"] == META
    finally:
        receiver.close()
