"""Web API conventions: encodings, token checks, scopes, errors with HTTP 200, unknown methods."""

from __future__ import annotations

import re

from tests.emulator.conftest import call


def test_auth_test_with_bearer_reports_bot_identity_and_scopes_header(emu, client, bot):
    resp = client.post("/api/auth.test", headers={"Authorization": f"Bearer {bot}"})
    body = resp.json()
    assert resp.status_code == 200
    assert body["ok"] is True
    assert body["team_id"] == emu.team["id"] == "T0EMU0001"
    assert body["bot_id"] == emu.default_app["bot_id"]
    assert body["url"] == emu.url + "/"
    assert "chat:write" in resp.headers["x-oauth-scopes"].split(",")


def test_minted_tokens_look_like_real_slack_tokens(emu):
    assert re.fullmatch(r"xoxb-\d+-\d+-[A-Za-z0-9]{24}", emu.mint_token("bot")["token"])
    assert emu.mint_token("user")["token"].startswith("xoxp-")
    assert emu.mint_token("app")["token"].startswith("xapp-1-")
    config = emu.mint_token("config")
    assert config["token"].startswith("xoxe.xoxp-1-")
    assert config["refresh_token"].startswith("xoxe-1-")
    rotating = emu.mint_token("bot", rotating=True)
    assert rotating["token"].startswith("xoxe.xoxb-1-")
    assert rotating["expires_in"] == 43200


def test_token_accepted_in_query_string_and_form_field(client, bot):
    assert client.get("/api/auth.test", params={"token": bot}).json()["ok"] is True
    assert client.post("/api/auth.test", data={"token": bot}).json()["ok"] is True


def test_multipart_form_is_decoded(client, bot):
    resp = client.post(
        "/api/chat.postMessage",
        data={"token": bot, "channel": "C0EMU00001", "text": "multi"},
        files={"unused": ("a.txt", b"x")},
    )
    assert resp.json()["message"]["text"] == "multi"


def test_json_body_without_bearer_is_not_authed(client, bot):
    resp = client.post("/api/auth.test", json={"token": bot})
    assert resp.status_code == 200
    assert resp.json() == {"ok": False, "error": "not_authed"}


def test_json_with_charset_is_accepted(client, bot):
    resp = client.post(
        "/api/chat.postMessage",
        content=b'{"channel":"C0EMU00001","text":"cs"}',
        headers={"Authorization": f"Bearer {bot}", "Content-Type": "application/json; charset=utf-8"},
    )
    assert resp.json()["ok"] is True


def test_malformed_json_is_invalid_json(client, bot):
    resp = client.post(
        "/api/auth.test",
        content=b"{nope",
        headers={"Authorization": f"Bearer {bot}", "Content-Type": "application/json"},
    )
    assert resp.status_code == 200
    assert resp.json()["error"] == "invalid_json"


def test_unsupported_content_type_is_invalid_post_type(client, bot):
    resp = client.post(
        "/api/auth.test", content=b"hello", headers={"Authorization": f"Bearer {bot}", "Content-Type": "text/plain"}
    )
    assert resp.json()["error"] == "invalid_post_type"


def test_missing_token_is_not_authed_and_unknown_token_invalid_auth(client):
    assert client.post("/api/auth.test").json()["error"] == "not_authed"
    fake = "xoxb-1111111111111-2222222222222-abcdefghijklmnopqrstuvwx"
    assert call(client, "auth.test", fake)["error"] == "invalid_auth"


def test_revoked_token_stops_working(client, bot):
    assert call(client, "auth.revoke", bot) == {"ok": True, "revoked": True}
    assert call(client, "auth.test", bot)["error"] == "token_revoked"


def test_auth_revoke_test_mode_keeps_the_token(client, bot):
    assert call(client, "auth.revoke", bot, test=True)["revoked"] is False
    assert call(client, "auth.test", bot)["ok"] is True


def test_expired_token_is_token_expired(emu, client):
    token = emu.mint_token("bot", expires_in=0)["token"]
    assert call(client, "auth.test", token)["error"] == "token_expired"


def test_missing_scope_names_needed_and_provided(emu, client):
    token = emu.mint_token("bot", scopes=["users:read"])["token"]
    body = call(client, "chat.postMessage", token, channel="C0EMU00001", text="x")
    assert body["error"] == "missing_scope"
    assert body["needed"] == "chat:write"
    assert body["provided"] == "users:read"


def test_wrong_token_type_is_not_allowed_token_type(emu, client):
    app_token = emu.mint_token("app")["token"]
    assert call(client, "chat.postMessage", app_token, channel="C0EMU00001", text="x")["error"] == (
        "not_allowed_token_type"
    )


def test_unknown_method_is_http_200_unknown_method(client, bot):
    resp = client.post("/api/no.such.method", headers={"Authorization": f"Bearer {bot}"})
    assert resp.status_code == 200
    assert resp.json()["error"] == "unknown_method"


def test_api_test_echoes_arguments_and_errors(client):
    assert client.get("/api/api.test", params={"foo": "bar"}).json() == {"ok": True, "args": {"foo": "bar"}}
    assert client.get("/api/api.test", params={"error": "my_error"}).json()["error"] == "my_error"


def test_xoxc_session_tokens_are_refused(client):
    assert call(client, "auth.test", "xoxc-123456789-abcdefgh")["error"] == "invalid_auth"


def test_apps_connections_open_needs_app_token_in_header(emu, client):
    app_token = emu.mint_token("app")["token"]
    body = call(client, "apps.connections.open", app_token)
    assert body["ok"] is True and body["url"].startswith("ws://127.0.0.1:")
    assert client.post("/api/apps.connections.open", data={"token": app_token}).json()["error"] == "not_authed"
    assert call(client, "apps.connections.open", emu.mint_token("bot")["token"])["error"] == ("not_allowed_token_type")


def test_malformed_form_body_is_invalid_form_data(client, bot):
    resp = client.post(
        "/api/auth.test",
        content=b"novalue",
        headers={"Authorization": f"Bearer {bot}", "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert resp.json()["error"] == "invalid_form_data"


def test_responses_keep_the_connection_alive(emu, bot):
    import http.client

    host, port = emu.url.split("://")[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request("POST", "/api/auth.test", headers={"Authorization": f"Bearer {bot}"})
    assert conn.getresponse().read()
    first_socket = conn.sock
    conn.request("POST", "/api/auth.test", body=b"", headers={"Authorization": f"Bearer {bot}"})
    assert b'"ok":true' in conn.getresponse().read()
    assert conn.sock is first_socket  # http.client reconnects (new socket) when the server closes
    conn.close()


def test_stopped_emulator_refuses_connections_even_on_kept_alive_sockets():
    import httpx
    import pytest

    from slackctl.emulator import start_emulator

    with start_emulator() as emu, httpx.Client(base_url=emu.url) as c:
        assert c.get("/").status_code == 200
        emu.stop()
        with pytest.raises(httpx.TransportError):
            c.get("/")
