"""The driver and delivery controls over the control surface: JSON in, JSON out, clear errors."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from slackctl.emulator import start_emulator

APP = {
    "display_information": {"name": "Ctl"},
    "oauth_config": {"scopes": {"bot": ["channels:history"]}},
    "settings": {"socket_mode_enabled": True, "event_subscriptions": {"bot_events": ["message.channels"]}},
}


@pytest.fixture
def emu() -> Any:
    with start_emulator() as emulator:
        yield emulator


def test_drive_post_and_messages(emu: Any) -> None:
    posted = httpx.post(
        f"{emu.url}/_emulator/drive/post", json={"user": "linus", "channel": "random", "text": "over JSON"}
    ).json()
    assert posted["ok"] is True and posted["result"]["user"] == "U0EMU00003"
    seen = httpx.post(f"{emu.url}/_emulator/drive/messages", json={"channel": "#random"}).json()["result"]
    assert [m["text"] for m in seen] == ["over JSON"]


def test_drive_errors_are_ok_false_with_a_message(emu: Any) -> None:
    unknown = httpx.post(f"{emu.url}/_emulator/drive/dance", json={}).json()
    assert (
        unknown == {"ok": False, "error": "bad_input", "message": unknown["message"]}
        and "no driver verb 'dance'" in unknown["message"]
    )
    extra = httpx.post(
        f"{emu.url}/_emulator/drive/post", json={"channel": "#general", "text": "x", "colour": "red"}
    ).json()
    assert extra["ok"] is False and "colour" in extra["message"]
    missing = httpx.post(f"{emu.url}/_emulator/drive/post", json={"channel": "#general"}).json()
    assert missing["ok"] is False and missing["error"] == "bad_input"
    no_channel = httpx.post(f"{emu.url}/_emulator/drive/post", json={"channel": "#nope", "text": "x"}).json()
    assert no_channel["ok"] is False and "no channel '#nope'" in no_channel["message"]


def test_install_deliveries_faults_and_socket_mode_endpoints(emu: Any) -> None:
    installed = httpx.post(f"{emu.url}/_emulator/apps", json={"manifest": APP}).json()
    assert installed["ok"] is True and installed["app_token"].startswith("xapp-")
    bad = httpx.post(f"{emu.url}/_emulator/apps", json={"manifest": {"display_information": {}}})
    assert bad.status_code == 400 and "is invalid at /display_information" in bad.json()["error"]
    assert httpx.post(
        f"{emu.url}/_emulator/delivery-faults", json={"kind": "500", "app_id": installed["app_id"]}
    ).json() == {"ok": True}
    assert httpx.post(f"{emu.url}/_emulator/delivery-faults", json={"kind": "nope"}).status_code == 400
    assert httpx.request("DELETE", f"{emu.url}/_emulator/delivery-faults").json() == {"ok": True}
    emu.deliveries.ack_timeout = 0.2
    posted = httpx.post(f"{emu.url}/_emulator/drive/post", json={"channel": "#general", "text": "hi"}).json()
    (delivery,) = posted["result"]["deliveries"]  # the message is posted: Slack retries the event later
    assert posted["ok"] is True and delivery["status"] == "retrying"
    assert delivery["error"].startswith("no Socket Mode connection")
    not_acked = httpx.post(
        f"{emu.url}/_emulator/drive/post", json={"channel": "#general", "text": "hi", "expect_ack": True}
    ).json()
    assert not_acked["ok"] is False and not_acked["error"] == "not_acknowledged" and "Ctl" not in not_acked
    assert "no Socket Mode connection" in not_acked["message"] and "within" not in not_acked["message"]
    httpx.request("DELETE", f"{emu.url}/_emulator/deliveries")
    httpx.post(f"{emu.url}/_emulator/drive/post", json={"channel": "#general", "text": "hi"})
    (entry,) = httpx.get(f"{emu.url}/_emulator/deliveries", params={"app_id": installed["app_id"]}).json()["deliveries"]
    assert entry["transport"] == "socket_mode" and entry["attempts"][0]["reason"] == "connection_failed"
    assert httpx.request("DELETE", f"{emu.url}/_emulator/deliveries").json() == {"ok": True}
    assert httpx.get(f"{emu.url}/_emulator/deliveries").json()["deliveries"] == []
    sm = httpx.post(f"{emu.url}/_emulator/socket-mode", json={"refresh_interval": 30, "disconnect": True}).json()
    assert sm == {"ok": True, "refresh_interval": 30.0, "connections": 0, "disconnected": 0}
    assert emu.socket_mode.refresh_interval == 30.0
