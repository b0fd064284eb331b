"""Sign in with Slack: authorize, openid.connect.token (RS256 ID token verified against JWKS), userInfo."""

from __future__ import annotations

import jwt

from tests.emulator.conftest import call
from tests.emulator.oauth_helpers import authorize, redirect_params

REDIRECT = "https://localhost:8766/callback"


def test_openid_flow_issues_a_verifiable_id_token(emu, client):
    app = emu.default_app
    params = redirect_params(
        authorize(
            client,
            "/openid/connect/authorize",
            client_id=app["client_id"],
            scope="openid email profile",
            redirect_uri=REDIRECT,
            response_type="code",
            nonce="n-123",
            state="s",
        )
    )
    body = client.post(
        "/api/openid.connect.token",
        data={"code": params["code"], "redirect_uri": REDIRECT},
        auth=(app["client_id"], app["client_secret"]),
    ).json()
    assert body["ok"] is True and body["access_token"].startswith("xoxp-")
    discovery = client.get("/.well-known/openid-configuration").json()
    assert discovery["issuer"] == emu.url
    jwks = client.get("/openid/connect/keys").json()
    key = jwt.PyJWK(jwks["keys"][0]).key
    claims = jwt.decode(body["id_token"], key, algorithms=["RS256"], audience=app["client_id"], issuer=emu.url)
    assert claims["nonce"] == "n-123"
    assert claims["https://slack.com/team_id"] == "T0EMU0001"
    assert claims["sub"] == claims["https://slack.com/user_id"] == "U0EMU00001"
    assert claims["email"] == "ada@example.com" and claims["name"] == "Ada Lovelace"
    info = call(client, "openid.connect.userInfo", body["access_token"])
    assert info["ok"] is True and info["email"] == "ada@example.com"


def test_openid_scopes_cannot_be_mixed(emu, client):
    params = redirect_params(
        authorize(
            client,
            "/openid/connect/authorize",
            client_id=emu.default_app["client_id"],
            scope="openid chat:write",
            redirect_uri=REDIRECT,
            response_type="code",
        )
    )
    assert params["error"] == "invalid_scope"


def test_oauth_code_is_not_an_openid_code(emu, client):
    app = emu.default_app
    code = redirect_params(authorize(client, client_id=app["client_id"], scope="chat:write", redirect_uri=REDIRECT))[
        "code"
    ]
    body = client.post(
        "/api/openid.connect.token", data={"code": code}, auth=(app["client_id"], app["client_secret"])
    ).json()
    assert body["error"] == "invalid_code"
