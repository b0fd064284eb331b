"""PKCE (RFC 7636) verifiers and challenges, plus the random `state` and `nonce` values of an OAuth flow.

Interface (shared with external-auth):

    new_verifier() -> str               # 86 URL-safe characters (RFC 7636 allows 43-128)
    challenge_s256(verifier) -> str     # BASE64URL(SHA256(verifier)) without padding: code_challenge_method=S256
    new_state() -> str                  # unguessable, single-use value tying a callback to this login
    new_nonce() -> str                  # OpenID Connect nonce, echoed inside the id_token
    same(a, b) -> bool                  # constant-time comparison for state / nonce checks
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def new_verifier() -> str:
    # 64 random bytes -> 86 base64url characters: the full 512 bits of entropy, inside the 43..128 limit.
    return secrets.token_urlsafe(64)


def challenge_s256(verifier: str) -> str:
    if not 43 <= len(verifier) <= 128 or not set(verifier) <= _UNRESERVED:
        raise ValueError("a PKCE code_verifier is 43-128 unreserved characters (RFC 7636 section 4.1)")
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def new_state() -> str:
    return secrets.token_urlsafe(32)


def new_nonce() -> str:
    return secrets.token_urlsafe(32)


def same(expected: str, given: str | None) -> bool:
    """Constant-time equality, so a local attacker cannot learn the state byte by byte from timings."""
    if not given or not expected:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
