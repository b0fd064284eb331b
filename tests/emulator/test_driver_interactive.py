"""The driver's interactions against a small Socket Mode app (a real WebSocket client on loopback): block_actions
from messages with response_url (replace/delete/in_channel, 5 uses, 30 minutes), message shortcuts,
view_submission's response_action push/update/clear, view_closed, and state.values built from blocks."""

from __future__ import annotations

import contextlib
import json
import queue
import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from slack_sdk import WebClient
from websockets.sync.client import connect

from slackctl.emulator import start_emulator
from slackctl.emulator.driver import viewstate
from slackctl.emulator.driver.user import DriveError
from slackctl.emulator.webapi.inproc import app_api
from slackctl.emulator.world import views

MANIFEST = {
    "display_information": {"name": "Clicky"},
    "features": {
        "bot_user": {"display_name": "clicky"},
        "shortcuts": [{"name": "Quote", "type": "message", "callback_id": "quote", "description": "q"}],
    },
    "oauth_config": {"scopes": {"bot": ["chat:write", "commands"]}},
    "settings": {"socket_mode_enabled": True, "interactivity": {"is_enabled": True}},
}
MODAL = {
    "type": "modal",
    "callback_id": "form",
    "title": {"type": "plain_text", "text": "Form"},
    "notify_on_close": True,
    "blocks": [
        {
            "type": "input",
            "block_id": "b",
            "label": {"type": "plain_text", "text": "Name"},
            "element": {"type": "plain_text_input", "action_id": "name"},
        }
    ],
}


class SocketApp:
    """Acks every envelope with ANSWER(envelope) as its payload; keeps what it received."""

    def __init__(self, emu: Any, app: dict[str, Any], answer: Callable[[dict[str, Any]], Any]) -> None:
        url = WebClient(base_url=emu.url + "/api/").apps_connections_open(app_token=app["app_token"])["url"]
        self._stack = contextlib.ExitStack()
        self.ws = self._stack.enter_context(connect(url))
        self.ws.recv(timeout=5)  # hello
        self.received: queue.Queue = queue.Queue()
        self.answer = answer
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        try:
            for raw in self.ws:
                envelope = json.loads(raw)
                self.received.put(envelope)
                ack: dict[str, Any] = {"envelope_id": envelope["envelope_id"]}
                payload = self.answer(envelope)
                if payload is not None:
                    ack["payload"] = payload
                self.ws.send(json.dumps(ack))
        except Exception:
            pass

    def close(self) -> None:
        self._stack.close()


@pytest.fixture
def env() -> Any:
    with start_emulator(manifests=[MANIFEST]) as emu:
        creds = next(a for a in emu.apps() if a["name"] == "Clicky")
        with emu.world.lock:
            record = emu.world.apps[creds["app_id"]]
        answers: list[Any] = []
        app = SocketApp(emu, creds, lambda env: answers.pop(0) if answers else None)
        yield emu, record, app, answers
        app.close()


def button_message(emu: Any, record: dict[str, Any]) -> dict[str, Any]:
    blocks = [
        {
            "type": "actions",
            "block_id": "act",
            "elements": [
                {
                    "type": "button",
                    "action_id": "approve",
                    "text": {"type": "plain_text", "text": "Approve"},
                    "value": "yes",
                }
            ],
        }
    ]
    return app_api(emu, record, "chat.postMessage", channel="C0EMU00001", text="Approve?", blocks=blocks)


def test_a_click_on_a_message_button_sends_block_actions_with_a_response_url(env: Any) -> None:
    emu, record, app, _ = env
    msg = button_message(emu, record)
    emu.user("grace").click("approve", message=f"#general:{msg['ts']}")
    payload = app.received.get(timeout=5)["payload"]
    assert payload["type"] == "block_actions" and payload["user"]["id"] == "U0EMU00002"
    (action,) = payload["actions"]
    assert (action["action_id"], action["block_id"], action["value"], action["type"]) == (
        "approve",
        "act",
        "yes",
        "button",
    )
    assert payload["container"] == {
        "type": "message",
        "message_ts": msg["ts"],
        "channel_id": "C0EMU00001",
        "is_ephemeral": False,
    }
    assert payload["message"]["ts"] == msg["ts"] and payload["trigger_id"]
    url = payload["response_url"]
    assert httpx.post(url, json={"replace_original": True, "text": "Approved by grace"}).json() == {"ok": True}
    (replaced,) = [m for m in emu.messages("#general") if m["ts"] == msg["ts"]]
    assert replaced["text"] == "Approved by grace"
    assert httpx.post(url, json={"response_type": "in_channel", "text": "for all"}).status_code == 200
    assert emu.messages("#general")[-1]["text"] == "for all"
    assert httpx.post(url, json={"delete_original": True}).status_code == 200
    assert not [m for m in emu.messages("#general") if m["ts"] == msg["ts"]]


def test_a_response_url_works_five_times_and_for_thirty_minutes(env: Any) -> None:
    emu, record, app, _ = env
    msg = button_message(emu, record)
    emu.user("ada").click("approve", message=f"general:{msg['ts']}")
    url = app.received.get(timeout=5)["payload"]["response_url"]
    for i in range(5):
        assert httpx.post(url, json={"text": f"note {i}"}).status_code == 200
    used = httpx.post(url, json={"text": "sixth"})
    assert used.status_code == 404 and used.json()["error"] == "used_url"
    shown = [m["text"] for m in emu.user("ada").messages("#general") if m.get("ephemeral")]
    assert shown == [f"note {i}" for i in range(5)]
    assert not [m for m in emu.user("grace").messages("#general") if m.get("ephemeral")]
    logged = httpx.get(f"{emu.url}/_emulator/requests").text
    assert url.rsplit("/", 1)[1] not in logged and "/commands/" not in logged  # a response_url is a webhook
    assert [r["path"] for r in emu.requests("actions")][:1] == [
        url.split(emu.url, 1)[1].rsplit("/", 1)[0] + "/REDACTED"
    ]
    emu.user("ada").click("approve", message=f"general:{msg['ts']}")
    fresh = app.received.get(timeout=5)["payload"]["response_url"]
    emu.advance_time(30 * 60 + 1)
    expired = httpx.post(fresh, json={"text": "late"})
    assert expired.status_code == 404 and expired.json()["error"] == "expired_url"


def test_a_message_shortcut_sends_message_action(env: Any) -> None:
    emu, record, app, _ = env
    posted = emu.user("linus").post("#random", "quote me")
    emu.user("ada").shortcut("quote", message=f"#random:{posted['ts']}")
    payload = app.received.get(timeout=5)["payload"]
    assert payload["type"] == "message_action" and payload["callback_id"] == "quote"
    assert payload["message"]["text"] == "quote me" and payload["channel"]["id"] == "C0EMU00002"
    assert payload["response_url"] and payload["trigger_id"]


def test_submission_response_actions_push_update_and_clear(env: Any) -> None:
    emu, record, app, answers = env
    opened = views.open(emu, record["app_id"], "U0EMU00001", MODAL)
    second = {**MODAL, "callback_id": "second", "title": {"type": "plain_text", "text": "Second"}}
    answers.append({"response_action": "push", "view": second})
    out = emu.user("ada").submit(opened["id"], {"b.name": "Ada"})
    submitted = app.received.get(timeout=5)
    assert submitted["type"] == "interactive" and submitted["accepts_response_payload"] is True
    assert submitted["payload"]["view"]["state"]["values"] == {
        "b": {"name": {"type": "plain_text_input", "value": "Ada"}}
    }
    assert [v["callback_id"] for v in out["views"]["modals"]] == ["form", "second"]
    top = out["views"]["modals"][-1]
    answers.append({"response_action": "update", "view": {**second, "callback_id": "updated"}})
    out = emu.user("ada").submit(top["id"], {"name": "Lovelace"})
    assert [v["callback_id"] for v in out["views"]["modals"]] == ["form", "updated"]
    answers.append({"response_action": "clear"})
    out = emu.user("ada").submit(top["id"])
    assert out["views"]["modals"] == []


def test_closing_a_notify_on_close_modal_sends_view_closed(env: Any) -> None:
    emu, record, app, _ = env
    opened = views.open(emu, record["app_id"], "U0EMU00001", MODAL)
    result = emu.user("ada").close_view(opened["id"])
    payload = app.received.get(timeout=5)["payload"]
    assert payload["type"] == "view_closed" and payload["view"]["id"] == opened["id"]
    assert result["closed"] == [opened["id"]] and emu.user("ada").views()["modals"] == []


def test_a_typo_in_a_submitted_value_names_the_inputs(env: Any) -> None:
    emu, record, _, _ = env
    opened = views.open(emu, record["app_id"], "U0EMU00001", MODAL)
    with pytest.raises(DriveError, match=r"no input 'b\.nmae': it has b\.name"):
        emu.user("ada").submit(opened["id"], {"b.nmae": "x"})
    with pytest.raises(DriveError, match="no open view"):
        emu.user("grace").submit(opened["id"])


def test_state_values_by_element_type() -> None:
    opt = lambda v: {"text": {"type": "plain_text", "text": v.title()}, "value": v}  # noqa: E731
    blocks = [
        {"type": "input", "block_id": "t", "element": {"type": "plain_text_input", "action_id": "a"}},
        {
            "type": "input",
            "block_id": "s",
            "element": {"type": "static_select", "action_id": "a", "options": [opt("red"), opt("blue")]},
        },
        {"type": "input", "block_id": "u", "element": {"type": "users_select", "action_id": "a"}},
        {"type": "input", "block_id": "c", "element": {"type": "conversations_select", "action_id": "a"}},
        {"type": "input", "block_id": "ch", "element": {"type": "channels_select", "action_id": "a"}},
        {
            "type": "input",
            "block_id": "m",
            "element": {"type": "multi_static_select", "action_id": "a", "options": [opt("x"), opt("y")]},
        },
        {"type": "input", "block_id": "mu", "element": {"type": "multi_users_select", "action_id": "a"}},
        {
            "type": "input",
            "block_id": "cb",
            "element": {"type": "checkboxes", "action_id": "a", "options": [opt("one"), opt("two")]},
        },
        {
            "type": "input",
            "block_id": "r",
            "element": {"type": "radio_buttons", "action_id": "a", "options": [opt("on")], "initial_option": opt("on")},
        },
        {
            "type": "input",
            "block_id": "d",
            "element": {"type": "datepicker", "action_id": "a", "initial_date": "2026-01-02"},
        },
        {
            "type": "section",
            "block_id": "sec",
            "text": {"type": "mrkdwn", "text": "x"},
            "accessory": {"type": "timepicker", "action_id": "a"},
        },
        {"type": "actions", "block_id": "btn", "elements": [{"type": "button", "action_id": "a"}]},
    ]
    values = viewstate.build(
        blocks,
        {
            "t.a": "hello",
            "s.a": "blue",
            "u.a": "U1",
            "c.a": "C1",
            "ch.a": "C2",
            "m.a": "x,y",
            "mu.a": "U1,U2",
            "cb.a": "two",
            "sec.a": "09:30",
        },
    )["values"]
    assert values["t"]["a"] == {"type": "plain_text_input", "value": "hello"}
    assert values["s"]["a"]["selected_option"] == opt("blue")
    assert values["u"]["a"]["selected_user"] == "U1" and values["c"]["a"]["selected_conversation"] == "C1"
    assert values["ch"]["a"]["selected_channel"] == "C2"
    assert values["m"]["a"]["selected_options"] == [opt("x"), opt("y")]
    assert values["mu"]["a"]["selected_users"] == ["U1", "U2"]
    assert values["cb"]["a"]["selected_options"] == [opt("two")]
    assert values["r"]["a"]["selected_option"] == opt("on")  # left alone: the initial option
    assert values["d"]["a"] == {"type": "datepicker", "selected_date": "2026-01-02"}
    assert values["sec"]["a"] == {"type": "timepicker", "selected_time": "09:30"}
    assert "btn" not in values  # buttons carry no state
