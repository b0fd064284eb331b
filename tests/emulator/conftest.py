"""Fixtures for the emulator's own tests: a running emulator, an httpx client on it, minted tokens."""

from __future__ import annotations

import ssl

import httpx
import pytest

from slackctl.emulator import start_emulator


@pytest.fixture
def emu():
    with start_emulator() as emulator:
        yield emulator


# Building an SSL context costs ~50 ms; plain-http clients share one instead of each making their own.
SHARED_SSL = ssl.create_default_context()


@pytest.fixture
def client(emu):
    with httpx.Client(base_url=emu.url, timeout=10, verify=SHARED_SSL) as c:
        yield c


@pytest.fixture
def bot(emu):
    return emu.mint_token("bot")["token"]


@pytest.fixture
def user(emu):
    return emu.mint_token("user")["token"]


def call(client: httpx.Client, method: str, token: str | None = None, **params):
    """A JSON call with a Bearer token; returns the decoded body."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    resp = client.post(f"/api/{method}", json=params, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()
