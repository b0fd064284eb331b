"""chat.*, conversations.* and users.*: happy paths, error codes and cursor pagination."""

from __future__ import annotations

import pytest

from slackctl.emulator import start_emulator
from tests.emulator.conftest import call

GENERAL, RANDOM = "C0EMU00001", "C0EMU00002"


def test_post_update_delete_round_trip(emu, client, bot):
    posted = call(client, "chat.postMessage", bot, channel=GENERAL, text="hello")
    assert posted["ok"] and posted["channel"] == GENERAL and posted["message"]["text"] == "hello"
    assert posted["message"]["bot_id"] == emu.default_app["bot_id"]
    updated = call(client, "chat.update", bot, channel=GENERAL, ts=posted["ts"], text="edited")
    assert updated["text"] == "edited"
    assert [m["text"] for m in emu.messages(GENERAL)] == ["edited"]
    assert call(client, "chat.delete", bot, channel=GENERAL, ts=posted["ts"])["ok"] is True
    assert emu.messages(GENERAL) == []


def test_post_by_channel_name_and_blocks_only(emu, client, bot):
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*b*"}}]
    body = call(client, "chat.postMessage", bot, channel="#random", blocks=blocks)
    assert body["channel"] == RANDOM and body["message"]["blocks"] == blocks


def test_post_errors(emu, client, bot):
    assert call(client, "chat.postMessage", bot, channel="C_NOPE", text="x")["error"] == "channel_not_found"
    assert call(client, "chat.postMessage", bot, channel=GENERAL)["error"] == "no_text"
    assert call(client, "chat.update", bot, channel=GENERAL, ts="1.000001", text="x")["error"] == ("message_not_found")
    other = emu.mint_token("user")["token"]
    ts = call(client, "chat.postMessage", other, channel=GENERAL, text="mine")["ts"]
    assert call(client, "chat.delete", bot, channel=GENERAL, ts=ts)["error"] == "cant_delete_message"


def test_bot_must_join_before_posting_in_a_new_channel(emu, client, bot, user):
    created = call(client, "conversations.create", user, name="launch")
    cid = created["channel"]["id"]
    assert cid.startswith("C") and created["channel"]["is_member"] is True
    assert call(client, "chat.postMessage", bot, channel=cid, text="x")["error"] == "not_in_channel"
    joined = call(client, "conversations.join", bot, channel=cid)
    assert joined["ok"] and joined["channel"]["is_member"] is True
    assert call(client, "conversations.join", bot, channel=cid)["warning"] == "already_in_channel"
    assert call(client, "chat.postMessage", bot, channel=cid, text="x")["ok"] is True


def test_create_validates_names(client, user):
    assert call(client, "conversations.create", user, name="Bad Name")["error"] == "invalid_name_specials"
    assert call(client, "conversations.create", user, name="general")["error"] == "name_taken"
    assert call(client, "conversations.create", user, name="x" * 81)["error"] == "invalid_name_maxlength"
    assert call(client, "conversations.create", user)["error"] == "invalid_name_required"


def test_private_channels_are_invisible_to_non_members(emu, client, bot, user):
    cid = call(client, "conversations.create", user, name="secret", is_private=True)["channel"]["id"]
    assert call(client, "conversations.info", bot, channel=cid)["error"] == "channel_not_found"
    listed = call(client, "conversations.list", user, types="private_channel")
    assert [c["id"] for c in listed["channels"]] == [cid]
    assert call(client, "conversations.list", bot, types="private_channel")["channels"] == []


def test_conversations_list_and_info(client, bot):
    listed = call(client, "conversations.list", bot)
    assert [c["name"] for c in listed["channels"]] == ["general", "random"]
    assert listed["response_metadata"]["next_cursor"] == ""
    info = call(client, "conversations.info", bot, channel=GENERAL)["channel"]
    assert info["is_general"] is True and "members" not in info


def test_history_is_newest_first_and_pages_with_cursor(emu, client, bot):
    for i in range(5):
        call(client, "chat.postMessage", bot, channel=GENERAL, text=f"m{i}")
    page1 = call(client, "conversations.history", bot, channel=GENERAL, limit=2)
    assert [m["text"] for m in page1["messages"]] == ["m4", "m3"] and page1["has_more"] is True
    page2 = call(
        client, "conversations.history", bot, channel=GENERAL, limit=2, cursor=page1["response_metadata"]["next_cursor"]
    )
    assert [m["text"] for m in page2["messages"]] == ["m2", "m1"]
    page3 = call(
        client, "conversations.history", bot, channel=GENERAL, limit=2, cursor=page2["response_metadata"]["next_cursor"]
    )
    assert [m["text"] for m in page3["messages"]] == ["m0"]
    assert page3["has_more"] is False and page3["response_metadata"]["next_cursor"] == ""


def test_history_oldest_latest_window(emu, client, bot):
    ts = [call(client, "chat.postMessage", bot, channel=GENERAL, text=f"m{i}")["ts"] for i in range(4)]
    body = call(client, "conversations.history", bot, channel=GENERAL, oldest=ts[1], latest=ts[3])
    assert [m["text"] for m in body["messages"]] == ["m2"]
    body = call(client, "conversations.history", bot, channel=GENERAL, oldest=ts[1], latest=ts[3], inclusive=True)
    assert [m["text"] for m in body["messages"]] == ["m3", "m2", "m1"]


@pytest.mark.parametrize(
    "method,args", [("users.list", {}), ("conversations.list", {}), ("conversations.history", {"channel": GENERAL})]
)
def test_garbage_cursor_is_invalid_cursor(client, bot, method, args):
    assert call(client, method, bot, cursor="%%%not-base64", **args)["error"] == "invalid_cursor"


def test_users_list_pages_over_generated_users():
    with start_emulator(seed={"generate": {"users": 2500}}) as emu:
        import httpx

        token = emu.mint_token("bot")["token"]
        seen, cursor, pages = [], "", 0
        with httpx.Client(base_url=emu.url) as client:
            while True:
                body = call(client, "users.list", token, limit=1000, cursor=cursor)
                seen += [m["id"] for m in body["members"]]
                pages += 1
                cursor = body["response_metadata"]["next_cursor"]
                if not cursor:
                    break
            assert pages == 3
            assert len(seen) == len(set(seen)) == 2500 + 5  # 4 people + the default app's bot user
            assert call(client, "users.info", token, user="UG00002500")["user"]["name"] == "user2500"
            assert call(client, "users.info", token, user="UG00002501")["error"] == "user_not_found"


def test_million_generated_users_cost_no_memory_and_page_fast():
    with start_emulator(seed={"generate": {"users": 1_000_000}}) as emu:
        assert emu.world.users.keys() == set(emu.world.user_order)
        assert len(emu.world.users) < 10
        import httpx

        token = emu.mint_token("bot")["token"]
        with httpx.Client(base_url=emu.url) as client:
            body = call(client, "users.list", token, limit=2)
            far = call(
                client, "users.list", token, limit=2, cursor=__import__("base64").b64encode(b"user:1000003").decode()
            )
            assert far["members"][0]["id"] == "UG00999999"
            assert far["response_metadata"]["next_cursor"] == ""
            assert body["response_metadata"]["next_cursor"]


def test_users_info_hides_email_without_users_read_email(emu, client):
    token = emu.mint_token("bot", scopes=["users:read"])["token"]
    user = call(client, "users.info", token, user="U0EMU00002")["user"]
    assert user["name"] == "grace" and "email" not in user["profile"]
    full = call(client, "users.info", emu.mint_token("bot")["token"], user="U0EMU00002")["user"]
    assert full["profile"]["email"] == "grace@example.com"
