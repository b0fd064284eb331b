"""slack/oauth.py as protocol: authorize URLs, the code exchange against the emulator (PKCE verifier mismatch,
single-use codes), and id_token validation (signature, issuer, audience, expiry, nonce)."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from slackctl.errors import AuthError, SlackApiError
from slackctl.slack import oauth, pkce
from slackctl.slack.client import SlackClient
from tests.conftest import register_secret

ISSUER = "https://slack.com"
AUD = "123.456"


def query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def test_authorize_url_for_pkce_has_challenge_and_no_secret():
    req = oauth.AuthorizeRequest(
        client_id=AUD,
        redirect_uri="http://localhost:8765/callback",
        user_scopes=["chat:write", "users:read"],
        team="T1",
        use_pkce=True,
    )
    url = oauth.authorize_url("https://slack.com/", req)
    assert url.startswith("https://slack.com/oauth/v2/authorize?")
    q = query(url)
    assert q == {
        "client_id": AUD,
        "user_scope": "chat:write,users:read",
        "redirect_uri": req.redirect_uri,
        "state": req.state,
        "team": "T1",
        "code_challenge": pkce.challenge_s256(req.verifier or ""),
        "code_challenge_method": "S256",
    }
    assert req.verifier not in url


def test_authorize_url_for_openid_has_nonce_and_response_type():
    req = oauth.AuthorizeRequest(client_id=AUD, redirect_uri="https://localhost:8766/callback", openid=True)
    q = query(oauth.authorize_url(ISSUER, req))
    assert urlsplit(oauth.authorize_url(ISSUER, req)).path == "/openid/connect/authorize"
    assert q["scope"] == "openid,email,profile" and q["response_type"] == "code" and q["nonce"] == req.nonce


def _code_for(emulator: Any, req: oauth.AuthorizeRequest) -> str:
    """Play the browser up to the redirect and take the code from its Location (nobody listens there)."""
    hop = httpx.get(oauth.authorize_url(emulator.url, req), follow_redirects=False, timeout=10)
    assert hop.status_code in (302, 303), hop.text
    params = query(hop.headers["location"])
    assert params["state"] == req.state
    return params["code"]


def test_pkce_verifier_mismatch_is_refused_and_the_right_one_works(emulator):
    app = emulator.create_app(pkce_enabled=True, redirect_urls=["http://localhost:9/callback"])
    register_secret(app["client_secret"])
    req = oauth.AuthorizeRequest(
        client_id=app["client_id"],
        redirect_uri="http://localhost:9/callback",
        user_scopes=["chat:write"],
        use_pkce=True,
    )
    code = _code_for(emulator, req)
    right = req.verifier
    req.verifier = pkce.new_verifier()
    with SlackClient(emulator.url) as client, pytest.raises(SlackApiError) as info:
        oauth.exchange_code(client, req, code, None)
    assert info.value.error == "invalid_code_verifier"
    req.verifier = right
    with SlackClient(emulator.url) as client:
        data = oauth.exchange_code(client, req, code, None)
        register_secret(data["authed_user"]["access_token"])
        assert data["authed_user"]["access_token"].startswith("xoxp-")
        with pytest.raises(SlackApiError) as again:  # codes are single use: a replay fails
            oauth.exchange_code(client, req, code, None)
    assert again.value.error == "invalid_code"


def test_confidential_exchange_sends_the_secret_only_in_basic_auth(emulator):
    app = emulator.create_app(pkce_enabled=False, redirect_urls=["https://localhost:9/callback"])
    register_secret(app["client_secret"])
    req = oauth.AuthorizeRequest(
        client_id=app["client_id"], redirect_uri="https://localhost:9/callback", scopes=["chat:write"]
    )
    code = _code_for(emulator, req)
    logged: list[str] = []
    with SlackClient(emulator.url, log=logged.append) as client:
        data = oauth.exchange_code(client, req, code, app["client_secret"])
    register_secret(data["access_token"])
    assert data["access_token"].startswith("xoxb-")
    [entry] = emulator.requests("oauth.v2.access")
    assert "client_secret" not in entry["body"] and "client_id" not in entry["body"]
    text = "\n".join(logged)
    assert "> authorization: Basic [REDACTED]" in text
    assert code not in text and app["client_secret"] not in text


# -- id_token validation ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def keys() -> dict[str, Any]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
    jwk.update(kid="k1", alg="RS256", use="sig")
    return {"private": private, "other": other, "jwks": {"keys": [jwk]}}


def make_token(keys: dict[str, Any], *, key: str = "private", kid: str = "k1", **overrides: Any) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": AUD,
        "sub": "U1",
        "iat": now,
        "exp": now + 600,
        "nonce": "n1",
        "email": "ada@example.com",
        "name": "Ada",
        "https://slack.com/team_id": "T1",
    }
    claims.update(overrides)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, keys[key], algorithm="RS256", headers={"kid": kid})


def validate(keys: dict[str, Any], token: str, nonce: str | None = "n1") -> dict[str, Any]:
    return oauth.validate_id_token(token, jwks=keys["jwks"], issuer=ISSUER, audience=AUD, nonce=nonce)


def test_valid_id_token_gives_the_identity(keys):
    claims = validate(keys, make_token(keys))
    assert oauth.identity_from_claims(claims) == {
        "sub": "U1",
        "user_id": "U1",
        "email": "ada@example.com",
        "name": "Ada",
        "team_id": "T1",
    }


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"key": "other"}, "signature"),
        ({"kid": "unknown"}, "not among"),
        ({"aud": "someone-else"}, "audience"),
        ({"iss": "https://evil.example"}, "issuer"),
        ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}, "expired"),
        ({"nonce": "replayed"}, "nonce"),
        ({"nonce": None}, "nonce"),
        ({"sub": None}, "rejected"),
    ],
)
def test_bad_id_tokens_are_refused(keys, overrides, message):
    key = overrides.pop("key", "private")
    kid = overrides.pop("kid", "k1")
    with pytest.raises(AuthError) as info:
        validate(keys, make_token(keys, key=key, kid=kid, **overrides))
    assert message in info.value.message and info.value.exit_code == 4


def test_unsigned_id_token_is_refused(keys):
    token = jwt.encode({"iss": ISSUER, "aud": AUD, "sub": "U1", "exp": int(time.time()) + 60}, None, algorithm="none")
    with pytest.raises(AuthError):
        validate(keys, token)


def test_emulator_id_token_validates_against_its_own_jwks_and_issuer(emulator):
    from slackctl.emulator.oauth import oidc

    now = int(time.time())
    token = oidc.sign({"iss": emulator.url, "aud": AUD, "sub": "U1", "iat": now, "exp": now + 60, "nonce": "n"})
    with SlackClient(emulator.url) as client:
        jwks = oauth.fetch_jwks(client, emulator.url)
    assert oauth.validate_id_token(token, jwks=jwks, issuer=emulator.url, audience=AUD, nonce="n")["sub"] == "U1"
    with pytest.raises(AuthError):
        oauth.validate_id_token(token, jwks=jwks, issuer=ISSUER, audience=AUD, nonce="n")
