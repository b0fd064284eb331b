"""python-slack-sdk's WebClient against the emulator: the shapes it relies on are Slack's."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slackctl.emulator import start_emulator


@pytest.fixture
def sdk(emu):
    return WebClient(token=emu.mint_token("bot")["token"], base_url=emu.url + "/api/")


def test_auth_test_and_post_and_history(emu, sdk):
    assert sdk.auth_test()["team_id"] == "T0EMU0001"
    posted = sdk.chat_postMessage(channel="C0EMU00001", text="from the sdk")
    history = sdk.conversations_history(channel="C0EMU00001")
    assert history["messages"][0]["ts"] == posted["ts"]
    assert history["messages"][0]["text"] == "from the sdk"


def test_sdk_raises_on_ok_false(sdk):
    with pytest.raises(SlackApiError) as info:
        sdk.chat_postMessage(channel="C_NOPE", text="x")
    assert info.value.response["error"] == "channel_not_found"


def test_users_list_cursor_pagination_through_the_sdk_iterator():
    with start_emulator(seed={"generate": {"users": 450}}) as emu:
        sdk = WebClient(token=emu.mint_token("bot")["token"], base_url=emu.url + "/api/")
        pages, ids = 0, []
        for page in sdk.users_list(limit=200):  # the SDK follows next_cursor itself
            pages += 1
            ids += [m["id"] for m in page["members"]]
        assert pages == 3 and len(ids) == len(set(ids)) == 455


def test_files_upload_v2(emu, sdk):
    result = sdk.files_upload_v2(channel="C0EMU00001", content="hello file", filename="hello.txt",
                                 title="Hello", initial_comment="here")
    assert result["ok"] is True
    [record] = emu.files()
    assert record["size"] == len(b"hello file") and record["completed"] is True
    assert emu.messages("C0EMU00001")[-1]["text"] == "here"
