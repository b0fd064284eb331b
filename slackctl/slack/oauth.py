"""Slack's OAuth v2 and Sign in with Slack, as protocol: authorize URLs, code exchange, refresh, id_token checks.

No CLI code: functions take a SlackClient (so --ca-bundle and --verbose redaction apply) and return Slack's
answers or raise SlackctlError subclasses. The loopback listener and PKCE helpers live beside this module
(slack/loopback.py, slack/pkce.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from slackctl.slack import pkce
from slackctl.slack.errors import AuthError

if TYPE_CHECKING:
    from jwt.types import Options

    from slackctl.slack.client import SlackClient

AUTHORIZE_PATH = "/oauth/v2/authorize"
OPENID_AUTHORIZE_PATH = "/openid/connect/authorize"
JWKS_PATH = "/openid/connect/keys"
OPENID_SCOPES = ("openid", "email", "profile")
# Clock skew tolerated on id_token times (exp / iat), in seconds.
ID_TOKEN_LEEWAY = 120


@dataclass
class AuthorizeRequest:
    """One login attempt: what goes into the authorize URL, and what the exchange needs afterwards."""

    client_id: str
    redirect_uri: str
    scopes: list[str] = field(default_factory=list)  # bot scopes
    user_scopes: list[str] = field(default_factory=list)
    team: str | None = None
    openid: bool = False
    use_pkce: bool = False
    state: str = field(default_factory=pkce.new_state)
    verifier: str | None = None
    nonce: str | None = None

    def __post_init__(self) -> None:
        if self.use_pkce and self.verifier is None:
            self.verifier = pkce.new_verifier()
        if self.openid and self.nonce is None:
            self.nonce = pkce.new_nonce()


def authorize_url(slack_url: str, req: AuthorizeRequest) -> str:
    """The page the user opens. It carries no secret: client_id, scopes, state, the PKCE challenge and nonce."""
    params: dict[str, str] = {"client_id": req.client_id}
    if req.openid:
        params["response_type"] = "code"
        params["scope"] = ",".join(req.user_scopes or OPENID_SCOPES)
        path = OPENID_AUTHORIZE_PATH
    else:
        if req.scopes:
            params["scope"] = ",".join(req.scopes)
        if req.user_scopes:
            params["user_scope"] = ",".join(req.user_scopes)
        path = AUTHORIZE_PATH
    params["redirect_uri"] = req.redirect_uri
    params["state"] = req.state
    if req.nonce:
        params["nonce"] = req.nonce
    if req.team:
        params["team"] = req.team
    if req.use_pkce and req.verifier:
        params["code_challenge"] = pkce.challenge_s256(req.verifier)
        params["code_challenge_method"] = "S256"
    return f"{slack_url.rstrip('/')}{path}?{urlencode(params)}"


def _client_auth(client_id: str, client_secret: str | None, params: dict[str, str]) -> tuple[str, str] | None:
    """HTTP Basic when we hold a secret (Slack's recommendation); a public (PKCE) client names itself in a field."""
    if client_secret:
        return (client_id, client_secret)
    params["client_id"] = client_id
    return None


def exchange_code(client: SlackClient, req: AuthorizeRequest, code: str, client_secret: str | None) -> dict[str, Any]:
    """oauth.v2.access (or openid.connect.token for Sign in with Slack) for the code the redirect carried."""
    params = {"code": code, "redirect_uri": req.redirect_uri}
    if req.use_pkce and req.verifier:
        params["code_verifier"] = req.verifier
    # The code and verifier are single-use secrets: keep them out of --verbose output too.
    client.secrets.extend(v for v in (code, req.verifier) if v)
    auth = _client_auth(req.client_id, None if req.use_pkce else client_secret, params)
    method = "openid.connect.token" if req.openid else "oauth.v2.access"
    return client.call(method, params, auth=auth, token="", idempotent=False).data


def refresh_token(client: SlackClient, *, client_id: str, client_secret: str | None, refresh: str) -> dict[str, Any]:
    """oauth.v2.access grant_type=refresh_token: a new access/refresh pair for a rotating bot or user token."""
    params = {"grant_type": "refresh_token", "refresh_token": refresh}
    auth = _client_auth(client_id, client_secret, params)
    return client.call("oauth.v2.access", params, auth=auth, token="", idempotent=False).data


def rotate_config_token(client: SlackClient, refresh: str) -> dict[str, Any]:
    """tooling.tokens.rotate: a new configuration token pair (`token`, `refresh_token`, `exp`)."""
    return client.call("tooling.tokens.rotate", {"refresh_token": refresh}, token="", idempotent=False).data


def expiry(data: dict[str, Any], now: float | None = None) -> int | None:
    """Unix time an access token expires, from `expires_in` (OAuth) or `exp` (tooling.tokens.rotate)."""
    if data.get("exp"):
        return int(data["exp"])
    if data.get("expires_in"):
        return int((now or time.time()) + int(data["expires_in"]))
    return None


def split_scopes(raw: str | list[str] | None) -> list[str]:
    if not raw:
        return []
    items = raw if isinstance(raw, list) else raw.replace(" ", ",").split(",")
    out: list[str] = []
    for item in items:
        item = item.strip()
        if item and item not in out:
            out.append(item)
    return out


# -- Sign in with Slack ------------------------------------------------------------------------------
def fetch_jwks(client: SlackClient, slack_url: str) -> dict[str, Any]:
    """The signing keys, fetched through the client's transport so its CA bundle and proxy apply (PyJWKClient
    would use urllib with neither)."""
    url = slack_url.rstrip("/") + JWKS_PATH
    response = client.transport.request(
        "GET", url, {"User-Agent": client.user_agent}, what="Slack's signing keys", repeatable=True
    )
    try:
        data = response.json()
    except ValueError:
        data = None
    if response.status_code != 200 or not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise AuthError(
            f"no usable signing keys at {url} (HTTP {response.status_code})",
            "check the Slack URL: it must be the Slack host root",
            hint_key="jwks",
        )
    return data


def _rejected(message: str) -> AuthError:
    return AuthError(
        message,
        "run the login again; if it keeps failing, check the Slack URL (the issuer must match it)",
        hint_key="id_token",
    )


def validate_id_token(
    id_token: str, *, jwks: dict[str, Any], issuer: str, audience: str, nonce: str | None
) -> dict[str, Any]:
    """Check an id_token's RS256 signature against `jwks`, its issuer, audience, expiry and nonce; its claims."""
    import jwt

    try:
        header = jwt.get_unverified_header(id_token)
    except jwt.PyJWTError:
        raise _rejected("Slack's id_token is not a JWT") from None
    if header.get("alg") != "RS256":
        raise _rejected(f"id_token signed with {header.get('alg')!r}, expected RS256")
    try:
        keyset = jwt.PyJWKSet.from_dict(jwks)
    except jwt.PyJWTError:
        raise _rejected("Slack's signing keys (JWKS) could not be read") from None
    kid = header.get("kid")
    candidates = [k for k in keyset.keys if kid is None or k.key_id == kid]
    if not candidates:
        raise _rejected(f"id_token key {kid!r} is not among Slack's published signing keys")
    options: Options = {"require": ["exp", "iat", "iss", "aud", "sub"]}
    try:
        claims = jwt.decode(
            id_token,
            candidates[0].key,
            algorithms=["RS256"],
            audience=audience,
            issuer=issuer.rstrip("/"),
            leeway=ID_TOKEN_LEEWAY,
            options=options,
        )
    except jwt.ExpiredSignatureError:
        raise _rejected("Slack's id_token has expired (is this machine's clock right?)") from None
    except jwt.InvalidIssuerError:
        raise _rejected(f"id_token issuer does not match {issuer}") from None
    except jwt.InvalidAudienceError:
        raise _rejected("id_token was issued to a different app (audience mismatch)") from None
    except jwt.InvalidSignatureError:
        raise _rejected("id_token signature does not verify against Slack's keys") from None
    except jwt.PyJWTError as exc:
        raise _rejected(f"id_token rejected: {exc}") from None
    if nonce is not None and not pkce.same(nonce, claims.get("nonce")):
        raise _rejected("id_token nonce does not match this login (possible replay)")
    return claims


def identity_from_claims(claims: dict[str, Any]) -> dict[str, str]:
    """The identity we keep in the profile (no secrets): sub, email, name, team."""
    ident = {
        "sub": claims.get("sub", ""),
        "user_id": claims.get("https://slack.com/user_id", claims.get("sub", "")),
        "email": claims.get("email", ""),
        "name": claims.get("name", ""),
        "team_id": claims.get("https://slack.com/team_id", ""),
        "team_name": claims.get("https://slack.com/team_name", ""),
        "team_domain": claims.get("https://slack.com/team_domain", ""),
    }
    return {k: str(v) for k, v in ident.items() if v}


def is_loopback_redirect(uri: str) -> bool:
    host = (urlsplit(uri).hostname or "").lower()
    return host in ("localhost", "127.0.0.1", "::1")
