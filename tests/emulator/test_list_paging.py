"""conversations.list pages lazily (reads one channel past the page): the pages must still be exactly the
filtered channels, in order, with Slack's cursor rules at the ends."""

from __future__ import annotations

import base64

import httpx
import pytest

from slackctl.emulator import start_emulator

from .conftest import call


def _cursor(n: int) -> str:
    return base64.b64encode(f"channel:{n}".encode()).decode()


@pytest.fixture(scope="module")
def emu_channels():
    with start_emulator(seed={"generate": {"channels": 25}}) as emu:
        yield emu


def _walk(client, token, limit, **args):
    names, cursor, sizes = [], "", []
    while True:
        body = call(client, "conversations.list", token, limit=limit, cursor=cursor, **args)
        assert body["ok"], body
        names += [c["name"] for c in body["channels"]]
        sizes.append(len(body["channels"]))
        cursor = body["response_metadata"]["next_cursor"]
        if not cursor:
            return names, sizes


def test_pages_concatenate_to_every_channel_in_order(emu_channels):
    expected = ["general", "random"] + [f"generated-{i}" for i in range(1, 26)]
    with httpx.Client(base_url=emu_channels.url) as client:
        token = emu_channels.mint_token("bot")["token"]
        assert _walk(client, token, 5) == (expected, [5, 5, 5, 5, 5, 2])
        assert _walk(client, token, 9) == (expected, [9, 9, 9])  # an exact fit: no empty trailing page
        assert _walk(client, token, 1000) == (expected, [27])


def test_cursor_at_the_end_is_an_empty_page_and_past_it_is_invalid(emu_channels):
    with httpx.Client(base_url=emu_channels.url) as client:
        token = emu_channels.mint_token("bot")["token"]
        at_end = call(client, "conversations.list", token, cursor=_cursor(27))
        assert at_end["ok"] and at_end["channels"] == [] and at_end["response_metadata"]["next_cursor"] == ""
        assert call(client, "conversations.list", token, cursor=_cursor(28))["error"] == "invalid_cursor"


def test_paging_applies_the_filters_before_counting():
    with start_emulator(seed={"generate": {"channels": 6}}) as emu, httpx.Client(base_url=emu.url) as client:
        user = emu.mint_token("user")["token"]
        for name in ("p1", "p2", "p3"):
            call(client, "conversations.create", user, name=name, is_private=True)
        with emu.world.lock:
            emu.world.find_channel("generated-2")["is_archived"] = True
        names, sizes = _walk(client, user, 2, types="public_channel,private_channel", exclude_archived=True)
        assert names == ["general", "random", "generated-1"] + [f"generated-{i}" for i in range(3, 7)] + [
            "p1",
            "p2",
            "p3",
        ]
        assert sizes == [2, 2, 2, 2, 2]
        assert _walk(client, user, 2, types="private_channel") == (["p1", "p2", "p3"], [2, 1])
        bot = emu.mint_token("bot")["token"]
        assert _walk(client, bot, 2, types="private_channel") == ([], [0])
        assert call(client, "conversations.list", bot, types="private_channel", cursor=_cursor(1))["error"] == (
            "invalid_cursor"
        )
