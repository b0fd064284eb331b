"""The /_emulator/ control surface, seeds and state persistence."""

from __future__ import annotations

import json

from slackctl.emulator import start_emulator
from tests.emulator.conftest import call


def test_mint_token_over_http_and_use_it(client):
    body = client.post("/_emulator/tokens", json={"kind": "user", "scopes": ["users:read"]}).json()
    assert body["ok"] and body["token"].startswith("xoxp-") and body["scopes"] == ["users:read"]
    assert call(client, "users.list", body["token"])["ok"] is True


def test_create_app_over_http(client):
    body = client.post(
        "/_emulator/apps", json={"redirect_urls": ["https://a.example/cb"], "token_rotation": True}
    ).json()
    assert body["ok"] and body["token_rotation"] is True and body["client_secret"]


def test_faults_requests_and_messages_endpoints(emu, client, bot):
    assert client.post("/_emulator/faults", json={"method": "auth.test", "kind": "503"}).json()["ok"]
    assert client.post("/api/auth.test", headers={"Authorization": f"Bearer {bot}"}).status_code == 503
    call(client, "chat.postMessage", bot, channel="C0EMU00001", text="hi")
    logged = client.get("/_emulator/requests", params={"method": "chat.postMessage"}).json()["requests"]
    assert [r["method"] for r in logged] == ["chat.postMessage"]
    msgs = client.get("/_emulator/messages", params={"channel": "general"}).json()["messages"]
    assert [m["text"] for m in msgs] == ["hi"]
    assert client.delete("/_emulator/requests").json()["ok"]
    assert client.get("/_emulator/requests").json()["requests"] == []
    assert client.post("/_emulator/faults", json={"method": "x", "kind": "nope"}).status_code == 400


def test_reset_restores_the_default_world(emu, client, bot):
    call(client, "conversations.create", bot, name="temp")
    assert client.post("/_emulator/reset", json={}).json()["ok"]
    assert call(client, "auth.test", bot)["error"] == "invalid_auth"
    fresh = emu.mint_token("bot")["token"]
    assert [c["name"] for c in call(client, "conversations.list", fresh)["channels"]] == ["general", "random"]


def test_seed_over_http_adds_users_channels_and_messages(emu, client):
    seed = {
        "team": {"name": "Acme"},
        "users": [{"name": "bob", "real_name": "Bob Smith"}],
        "channels": [{"name": "eng", "members": ["bob"]}],
        "messages": {"eng": [{"user": "bob", "text": "first"}]},
    }
    assert client.post("/_emulator/seed", json=seed).json()["ok"]
    assert emu.team["name"] == "Acme"
    assert [m["text"] for m in emu.messages("eng")] == ["first"]
    bad = client.post("/_emulator/seed", json={"messages": {"nope": []}})
    assert bad.status_code == 400 and "nope" in bad.json()["error"]


def test_seed_file_in_toml(tmp_path):
    seed = tmp_path / "seed.toml"
    seed.write_text('[team]\nname = "Toml Co"\n\n[[channels]]\nname = "ops"\n', encoding="utf-8")
    with start_emulator(seed=seed) as emu:
        assert emu.team["name"] == "Toml Co"
        assert emu.messages("ops") == []
        emu.reset()
        assert emu.team["name"] == "Toml Co"  # reset goes back to the start-up seed


def test_state_file_survives_a_restart(tmp_path):
    state = tmp_path / "state.json"
    with start_emulator(state_file=state) as emu:
        token = emu.mint_token("bot")["token"]
        import httpx

        with httpx.Client(base_url=emu.url) as client:
            call(client, "chat.postMessage", token, channel="C0EMU00001", text="persisted")
    assert json.loads(state.read_text())["team"]["id"] == "T0EMU0001"
    assert oct(state.stat().st_mode & 0o777) == "0o600"
    with start_emulator(state_file=state) as emu2:
        assert [m["text"] for m in emu2.messages("general")] == ["persisted"]
        import httpx

        with httpx.Client(base_url=emu2.url) as client:
            assert call(client, "auth.test", token)["ok"] is True


def test_control_surface_refuses_non_loopback_peers():
    from slackctl.slack.httpserver import is_loopback_host as _is_loopback

    assert _is_loopback("127.0.0.1") and _is_loopback("::1") and _is_loopback("::ffff:127.0.0.1")
    assert not _is_loopback("192.168.1.5") and not _is_loopback("10.0.0.1")


def test_root_describes_the_emulator(emu, client):
    assert client.get("/").json()["api"] == emu.url + "/api/"
