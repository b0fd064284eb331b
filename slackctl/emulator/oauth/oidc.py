"""Sign in with Slack pieces: the RS256 signing key, JWKS, ID-token claims and the discovery document.

The emulator's issuer (`iss`) is its own base URL (e.g. http://127.0.0.1:8787), not https://slack.com.
"""

from __future__ import annotations

import threading
from typing import Any

_lock = threading.Lock()
_key: Any = None
KEY_ID = "emulator-rs256-1"


def _private_key() -> Any:
    # One key per process: RSA generation costs ~0.1 s, and tests start many emulators.
    global _key
    with _lock:
        if _key is None:
            from cryptography.hazmat.primitives.asymmetric import rsa

            _key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return _key


def sign(claims: dict[str, Any]) -> str:
    import jwt

    return jwt.encode(claims, _private_key(), algorithm="RS256", headers={"kid": KEY_ID})


def jwks() -> dict[str, Any]:
    import json

    from jwt.algorithms import RSAAlgorithm

    jwk = json.loads(RSAAlgorithm.to_jwk(_private_key().public_key()))
    jwk.update({"kid": KEY_ID, "alg": "RS256", "use": "sig"})
    return {"keys": [jwk]}


def identity_claims(world: Any, user_id: str, scopes: list[str]) -> dict[str, Any]:
    user = world.get_user(user_id) or {}
    profile = user.get("profile", {})
    team = world.team
    claims: dict[str, Any] = {
        "sub": user_id,
        "https://slack.com/user_id": user_id,
        "https://slack.com/team_id": team["id"],
    }
    if "email" in scopes:
        claims.update(email=profile.get("email"), email_verified=True)
    if "profile" in scopes:
        claims.update(
            name=user.get("real_name"),
            given_name=profile.get("first_name"),
            family_name=profile.get("last_name"),
            picture=profile.get("image_72"),
            locale="en-US",
            **{
                "https://slack.com/team_name": team["name"],
                "https://slack.com/team_domain": team["domain"],
                "https://slack.com/user_image_72": profile.get("image_72"),
            },
        )
    return claims


def discovery(base_url: str) -> dict[str, Any]:
    return {
        "issuer": base_url,
        "authorization_endpoint": f"{base_url}/openid/connect/authorize",
        "token_endpoint": f"{base_url}/api/openid.connect.token",
        "userinfo_endpoint": f"{base_url}/api/openid.connect.userInfo",
        "jwks_uri": f"{base_url}/openid/connect/keys",
        "scopes_supported": ["openid", "profile", "email"],
        "response_types_supported": ["code"],
        "response_modes_supported": ["form_post"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "claims_supported": [
            "sub",
            "auth_time",
            "iss",
            "email",
            "email_verified",
            "name",
            "given_name",
            "family_name",
            "picture",
            "locale",
            "https://slack.com/team_id",
            "https://slack.com/user_id",
        ],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "code_challenge_methods_supported": ["S256"],
    }
