"""OAuth v2 install flows: authorize validation, consent, code exchange (Basic, form, PKCE), rotation."""

from __future__ import annotations

import base64

import httpx

from tests.emulator.conftest import call
from tests.emulator.oauth_helpers import authorize, pkce_pair, redirect_params

PKCE_REDIRECT = "http://localhost:8765/callback"
CONFIDENTIAL_REDIRECT = "https://localhost:8766/callback"


def basic(app) -> dict[str, str]:
    raw = f"{app['client_id']}:{app['client_secret']}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


def confidential_code(client, app, redirect=CONFIDENTIAL_REDIRECT, **extra) -> str:
    params = redirect_params(
        authorize(
            client,
            client_id=app["client_id"],
            scope="chat:write",
            user_scope="users:read",
            redirect_uri=redirect,
            state="st8",
            **extra,
        )
    )
    assert params["state"] == "st8"
    return params["code"]


def test_default_app_has_documented_fixed_credentials(emu):
    app = emu.default_app
    assert app["client_id"] == "1000000000001.1000000000001"
    assert app["client_secret"] == "5ec7e75ec7e75ec7e75ec7e75ec7e700"
    assert app["pkce_enabled"] is True and app["token_rotation"] is False
    assert PKCE_REDIRECT in app["redirect_urls"] and CONFIDENTIAL_REDIRECT in app["redirect_urls"]


def test_confidential_flow_with_basic_auth_returns_bot_and_user_tokens(emu, client):
    app = emu.default_app
    code = confidential_code(client, app)
    body = client.post(
        "/api/oauth.v2.access", data={"code": code, "redirect_uri": CONFIDENTIAL_REDIRECT}, headers=basic(app)
    ).json()
    assert body["ok"] is True
    assert body["access_token"].startswith("xoxb-") and body["token_type"] == "bot"
    assert body["scope"] == "chat:write"
    assert body["team"]["id"] == "T0EMU0001" and body["app_id"] == app["app_id"]
    assert body["authed_user"]["access_token"].startswith("xoxp-")
    assert body["authed_user"]["scope"] == "users:read"
    assert call(client, "auth.test", body["access_token"])["ok"] is True


def test_client_credentials_as_form_fields_work(emu, client):
    app = emu.default_app
    code = confidential_code(client, app)
    body = client.post(
        "/api/oauth.v2.access",
        data={
            "code": code,
            "redirect_uri": CONFIDENTIAL_REDIRECT,
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
        },
    ).json()
    assert body["ok"] is True


def test_wrong_secret_and_unknown_client(emu, client):
    app = emu.default_app
    code = confidential_code(client, app)
    bad = client.post(
        "/api/oauth.v2.access",
        data={"code": code, "redirect_uri": CONFIDENTIAL_REDIRECT},
        auth=(app["client_id"], "0" * 32),
    ).json()
    assert bad["error"] == "bad_client_secret"
    unknown = client.post("/api/oauth.v2.access", data={"code": code}, auth=("123.456", "x")).json()
    assert unknown["error"] == "invalid_client_id"


def test_codes_are_single_use(emu, client):
    app = emu.default_app
    code = confidential_code(client, app)
    data = {"code": code, "redirect_uri": CONFIDENTIAL_REDIRECT}
    assert client.post("/api/oauth.v2.access", data=data, headers=basic(app)).json()["ok"] is True
    assert client.post("/api/oauth.v2.access", data=data, headers=basic(app)).json()["error"] == "invalid_code"


def test_codes_expire_after_ten_minutes(emu, client):
    app = emu.default_app
    code = confidential_code(client, app)
    emu.advance_time(601)
    body = client.post(
        "/api/oauth.v2.access", data={"code": code, "redirect_uri": CONFIDENTIAL_REDIRECT}, headers=basic(app)
    ).json()
    assert body["error"] == "invalid_code"


def test_redirect_uri_must_equal_the_authorize_one(emu, client):
    app = emu.default_app
    code = confidential_code(client, app)
    omitted = client.post("/api/oauth.v2.access", data={"code": code}, headers=basic(app)).json()
    assert omitted["error"] == "bad_redirect_uri"
    body = client.post(
        "/api/oauth.v2.access", data={"code": code, "redirect_uri": "https://localhost:8766/other"}, headers=basic(app)
    ).json()
    assert body["error"] == "bad_redirect_uri"


def test_pkce_flow_on_localhost_with_user_scopes(emu, client):
    app = emu.default_app
    verifier, challenge = pkce_pair()
    params = redirect_params(
        authorize(
            client,
            client_id=app["client_id"],
            user_scope="chat:write,users:read",
            redirect_uri=PKCE_REDIRECT,
            state="abc",
            code_challenge=challenge,
            code_challenge_method="S256",
        )
    )
    body = client.post(
        "/api/oauth.v2.access",
        data={
            "code": params["code"],
            "redirect_uri": PKCE_REDIRECT,
            "client_id": app["client_id"],
            "code_verifier": verifier,
        },
    ).json()
    assert body["ok"] is True
    assert "access_token" not in body
    assert body["authed_user"]["access_token"].startswith("xoxp-")


def test_pkce_verifier_mismatch_is_refused(emu, client):
    app = emu.default_app
    _verifier, challenge = pkce_pair()
    params = redirect_params(
        authorize(
            client,
            client_id=app["client_id"],
            user_scope="chat:write",
            redirect_uri=PKCE_REDIRECT,
            code_challenge=challenge,
            code_challenge_method="S256",
        )
    )
    body = client.post(
        "/api/oauth.v2.access",
        data={
            "code": params["code"],
            "redirect_uri": PKCE_REDIRECT,
            "client_id": app["client_id"],
            "code_verifier": pkce_pair()[0],
        },
    ).json()
    assert body["error"] == "invalid_code_verifier"


def test_pkce_code_without_secret_or_verifier_is_refused(emu, client):
    app = emu.default_app
    code = confidential_code(client, app)
    body = client.post(
        "/api/oauth.v2.access",
        data={"code": code, "client_id": app["client_id"], "redirect_uri": CONFIDENTIAL_REDIRECT},
    ).json()
    assert body["error"] == "bad_client_secret"


def test_plain_challenge_method_is_refused(emu, client):
    params = redirect_params(
        authorize(
            client,
            client_id=emu.default_app["client_id"],
            user_scope="chat:write",
            redirect_uri=PKCE_REDIRECT,
            code_challenge="a" * 43,
            code_challenge_method="plain",
            state="s",
        )
    )
    assert params["error"] == "invalid_request" and params["state"] == "s"


def test_localhost_redirect_may_not_request_bot_scopes(emu, client):
    _v, challenge = pkce_pair()
    params = redirect_params(
        authorize(
            client,
            client_id=emu.default_app["client_id"],
            scope="chat:write",
            redirect_uri=PKCE_REDIRECT,
            code_challenge=challenge,
            code_challenge_method="S256",
            state="s",
        )
    )
    assert params["error"] == "invalid_scope"


def test_unregistered_redirect_shows_an_error_page(emu, client):
    resp = authorize(
        client, client_id=emu.default_app["client_id"], scope="chat:write", redirect_uri="https://evil.example/callback"
    )
    assert resp.status_code == 400 and "bad_redirect_uri" in resp.text


def test_redirect_port_must_match_for_localhost(emu, client):
    resp = authorize(
        client,
        client_id=emu.default_app["client_id"],
        scope="chat:write",
        redirect_uri="https://localhost:9999/callback",
    )
    assert resp.status_code == 400


def test_sub_path_of_registered_redirect_is_accepted(emu, client):
    params = redirect_params(
        authorize(
            client,
            client_id=emu.default_app["client_id"],
            scope="chat:write",
            redirect_uri=CONFIDENTIAL_REDIRECT + "/deeper",
        )
    )
    assert "code" in params


def test_http_redirect_refused_for_non_pkce_app(emu, client):
    app = emu.create_app(redirect_urls=["http://localhost:7000/cb"], pkce_enabled=False)
    resp = authorize(
        client, client_id=app["client_id"], user_scope="chat:write", redirect_uri="http://localhost:7000/cb"
    )
    assert resp.status_code == 400


def test_unknown_client_id_shows_an_error_page(client):
    resp = authorize(client, client_id="42.42", scope="chat:write")
    assert resp.status_code == 400 and "invalid_client_id" in resp.text


def _consent_page(client, app):
    resp = authorize(
        client, client_id=app["client_id"], scope="chat:write", redirect_uri=CONFIDENTIAL_REDIRECT, state="xyz"
    )
    assert resp.status_code == 200
    assert 'id="allow"' in resp.text and 'id="deny"' in resp.text and "chat:write" in resp.text
    consent_id = resp.text.split('name="consent_id" value="')[1].split('"')[0]
    return consent_id


def test_consent_page_allow_redirects_with_code(client):
    with __import__("slackctl.emulator", fromlist=["x"]).start_emulator(auto_approve=False) as emu:
        with httpx.Client(base_url=emu.url) as c:
            consent_id = _consent_page(c, emu.default_app)
            params = redirect_params(
                c.post("/oauth/v2/authorize", data={"consent_id": consent_id, "decision": "allow"})
            )
            assert params["state"] == "xyz" and params["code"]


def test_consent_page_cancel_redirects_with_access_denied():
    from slackctl.emulator import start_emulator

    with start_emulator(auto_approve=False) as emu, httpx.Client(base_url=emu.url) as c:
        consent_id = _consent_page(c, emu.default_app)
        params = redirect_params(c.post("/oauth/v2/authorize", data={"consent_id": consent_id, "decision": "deny"}))
        assert params == {"error": "access_denied", "state": "xyz"}


def test_rotating_app_tokens_refresh_and_old_refresh_token_dies(emu, client):
    app = emu.create_app(token_rotation=True, redirect_urls=["https://app.example/oauth"])
    code = redirect_params(
        authorize(client, client_id=app["client_id"], scope="chat:write", redirect_uri="https://app.example/oauth")
    )["code"]
    first = client.post(
        "/api/oauth.v2.access",
        data={"code": code, "redirect_uri": "https://app.example/oauth"},
        auth=(app["client_id"], app["client_secret"]),
    ).json()
    assert first["access_token"].startswith("xoxe.xoxb-1-")
    assert first["expires_in"] == 43200 and first["refresh_token"].startswith("xoxe-1-")
    data = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    auth = (app["client_id"], app["client_secret"])
    second = client.post("/api/oauth.v2.access", data=data, auth=auth).json()
    assert second["ok"] is True and second["access_token"] != first["access_token"]
    assert call(client, "auth.test", second["access_token"])["ok"] is True
    assert client.post("/api/oauth.v2.access", data=data, auth=auth).json()["error"] == "invalid_refresh_token"


def test_oauth_v2_exchange_turns_a_long_lived_token_into_a_rotating_one(emu, client):
    app = emu.create_app(token_rotation=True)
    old = emu.mint_token("bot", app_id=app["app_id"])["token"]
    body = client.post(
        "/api/oauth.v2.exchange",
        data={"token": old, "client_id": app["client_id"], "client_secret": app["client_secret"]},
    ).json()
    assert body["access_token"].startswith("xoxe.xoxb-") and body["refresh_token"]


def test_tooling_tokens_rotate_returns_a_new_pair_once(emu, client):
    config = emu.mint_token("config")
    body = client.post("/api/tooling.tokens.rotate", data={"refresh_token": config["refresh_token"]}).json()
    assert body["ok"] is True
    assert body["token"].startswith("xoxe.xoxp-1-") and body["refresh_token"].startswith("xoxe-1-")
    assert body["exp"] - body["iat"] == 43200 and body["team_id"] == "T0EMU0001"
    again = client.post("/api/tooling.tokens.rotate", data={"refresh_token": config["refresh_token"]}).json()
    assert again["error"] == "invalid_refresh_token"
    assert call(client, "apps.manifest.export", body["token"], app_id=emu.default_app["app_id"])["ok"] is True
