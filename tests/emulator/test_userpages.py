"""users.list's pre-encoded pages must be byte-for-byte what json.dumps of the user dicts gives."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from slackctl.emulator import start_emulator
from slackctl.emulator.httpd import RawJSON, encode_json_parts
from slackctl.emulator.world.state import TEAM_ID, generated_user
from slackctl.emulator.world.userpages import generated_users_parts, hide_email

from .conftest import call


def _dumps(data) -> str:
    return json.dumps(data, separators=(",", ":"))


def generated_users_json(first: int, last: int, team_id: str, with_email: bool) -> bytes:
    return b"".join(generated_users_parts(first, last, team_id, with_email, False))


def encode_json(data) -> bytes:
    return b"".join(encode_json_parts(data))


def _user_at(world, index: int) -> dict:
    """The index-th user of users.list order: stored users, then generated ones."""
    if index < len(world.user_order):
        return world.users[world.user_order[index]]
    return generated_user(index - len(world.user_order) + 1, world.team["id"])


@pytest.mark.parametrize("n", [1, 9, 10, 12345, 99_999_999, 100_000_000, 1_234_567_890_123])
@pytest.mark.parametrize("with_email", [True, False])
def test_generated_user_from_the_template_equals_json_dumps_of_the_dict(n, with_email):
    user = generated_user(n, "T0OTHER01")
    expected = _dumps(user if with_email else hide_email(user))
    assert generated_users_json(n, n, "T0OTHER01", with_email).decode() == expected


def test_a_run_of_generated_users_is_their_comma_joined_json():
    users = [generated_user(n, TEAM_ID) for n in range(95, 105)]
    assert json.loads("[" + generated_users_json(95, 104, TEAM_ID, True).decode() + "]") == users


def test_numbers_beyond_the_templates_still_encode():
    n = 10**25
    assert generated_users_json(n, n, TEAM_ID, False).decode() == _dumps(hide_email(generated_user(n, TEAM_ID)))


def test_raw_json_values_are_spliced_into_the_body():
    body = encode_json({"ok": True, "members": RawJSON([b"[1,", b"2]"]), "meta": {"é": "x"}})
    assert body == _dumps({"ok": True, "members": [1, 2], "meta": {"é": "x"}}).encode()
    assert encode_json({"ok": True}) == b'{"ok":true}'


def _pages(client: httpx.Client, token: str, limit: int) -> list[dict]:
    members, cursor = [], ""
    while True:
        body = call(client, "users.list", token, limit=limit, cursor=cursor)
        members += body["members"]
        cursor = body["response_metadata"]["next_cursor"]
        if not cursor:
            return members


def _expected(emu, scopes_email: bool) -> list[dict]:
    world = emu.world
    users = [_user_at(world, i) for i in range(world.user_count())]
    return users if scopes_email else [hide_email(u) for u in users]


def test_users_list_pages_equal_the_user_dicts_across_seed_and_reset():
    with start_emulator(seed={"generate": {"users": 230}}) as emu, httpx.Client(base_url=emu.url) as client:
        full = emu.mint_token("bot")["token"]
        no_email = emu.mint_token("bot", scopes=["users:read"])["token"]
        # limit 7 makes pages that straddle the stored/generated boundary
        assert _pages(client, full, 7) == _expected(emu, True)
        assert _pages(client, no_email, 100) == _expected(emu, False)
        # more stored users shift every generated user to a later position: pages must follow
        emu.seed(
            {
                "users": [{"name": "zed", "real_name": "Zed Ünicode", "email": "zed@example.test"}],
                "generate": {"users": 40},
            }
        )
        assert [m["name"] for m in _pages(client, full, 7)][:7] == [
            "ada",
            "grace",
            "linus",
            "margaret",
            "emulator-default-app",
            "zed",
            "user1",
        ]
        assert _pages(client, full, 7) == _expected(emu, True)
        assert _pages(client, no_email, 3) == _expected(emu, False)
        emu.reset()
        token = emu.mint_token("bot")["token"]
        assert _pages(client, token, 50) == _expected(emu, True) and emu.world.user_count() == 235


def test_users_list_page_is_exactly_json_dumps_of_the_old_response_shape():
    with start_emulator(seed={"generate": {"users": 500}}) as emu, httpx.Client(base_url=emu.url) as client:
        token = emu.mint_token("bot")["token"]
        cursor = base64.b64encode(b"user:3").decode()
        raw = client.post(
            "/api/users.list", data={"limit": "200", "cursor": cursor}, headers={"Authorization": f"Bearer {token}"}
        )
        body = raw.json()
        members = [_user_at(emu.world, i) for i in range(3, 203)]
        expected = {
            "ok": True,
            "members": members,
            "cache_ts": body["cache_ts"],
            "response_metadata": {"next_cursor": body["response_metadata"]["next_cursor"]},
        }
        assert raw.content == _dumps(expected).encode()
        assert raw.headers["content-length"] == str(len(raw.content))
