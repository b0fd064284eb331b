"""Helpers for OAuth tests: PKCE pairs and reading the code (or error) out of a redirect."""

from __future__ import annotations

import base64
import hashlib
import secrets
import urllib.parse

import httpx


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def redirect_params(resp: httpx.Response) -> dict[str, str]:
    assert resp.status_code == 302, (resp.status_code, resp.text)
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(resp.headers["Location"]).query))


def authorize(client: httpx.Client, path: str = "/oauth/v2/authorize", **params: str) -> httpx.Response:
    return client.get(path, params=params)
