"""The generic third-party OAuth2 provider under /_emulator/provider/ (RFC 6749 errors, PKCE, rotation)."""

from __future__ import annotations

from tests.emulator.oauth_helpers import pkce_pair, redirect_params

REDIRECT = "http://localhost:9000/cb"


def register(client, secret="s3cret"):
    resp = client.post(
        "/_emulator/provider/clients", json={"client_id": "c1", "client_secret": secret, "redirect_uris": [REDIRECT]}
    )
    assert resp.json()["ok"] is True


def get_code(client, challenge=None):
    params = {"client_id": "c1", "redirect_uri": REDIRECT, "response_type": "code", "state": "st", "scope": "read"}
    if challenge:
        params.update(code_challenge=challenge, code_challenge_method="S256")
    got = redirect_params(client.get("/_emulator/provider/authorize", params=params))
    assert got["state"] == "st"
    return got["code"]


def test_code_flow_with_pkce_basic_auth_userinfo_and_refresh_rotation(client):
    register(client)
    verifier, challenge = pkce_pair()
    code = get_code(client, challenge)
    tok = client.post(
        "/_emulator/provider/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": verifier},
        auth=("c1", "s3cret"),
    )
    assert tok.status_code == 200
    body = tok.json()
    info = client.get("/_emulator/provider/userinfo", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert info.json()["email"] == "ada@provider.example"
    refreshed = client.post(
        "/_emulator/provider/token",
        data={
            "grant_type": "refresh_token",
            "client_id": "c1",
            "client_secret": "s3cret",
            "refresh_token": body["refresh_token"],
        },
    )
    assert refreshed.status_code == 200
    reused = client.post(
        "/_emulator/provider/token",
        data={
            "grant_type": "refresh_token",
            "client_id": "c1",
            "client_secret": "s3cret",
            "refresh_token": body["refresh_token"],
        },
    )
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"


def test_bad_client_secret_is_401_invalid_client(client):
    register(client)
    code = get_code(client)
    resp = client.post(
        "/_emulator/provider/token", data={"grant_type": "authorization_code", "code": code}, auth=("c1", "wrong")
    )
    assert resp.status_code == 401 and resp.json()["error"] == "invalid_client"


def test_pkce_mismatch_is_invalid_grant(client):
    register(client)
    code = get_code(client, pkce_pair()[1])
    resp = client.post(
        "/_emulator/provider/token",
        data={"grant_type": "authorization_code", "code": code, "code_verifier": pkce_pair()[0]},
        auth=("c1", "s3cret"),
    )
    assert resp.status_code == 400 and resp.json()["error"] == "invalid_grant"


def test_unknown_client_and_bad_redirect_show_error_pages(client):
    register(client)
    assert client.get("/_emulator/provider/authorize", params={"client_id": "zz"}).status_code == 400
    assert (
        client.get(
            "/_emulator/provider/authorize", params={"client_id": "c1", "redirect_uri": "http://x/cb"}
        ).status_code
        == 400
    )


def test_userinfo_without_valid_token_is_401(client):
    assert client.get("/_emulator/provider/userinfo", headers={"Authorization": "Bearer nope"}).status_code == 401
