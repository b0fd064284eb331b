"""Each object type the emulator returns carries every field of Slack's documented example (issue 28): user,
channel, message, file, bot, team, view — fetched with the real slack_sdk and compared field by field, through
nested objects (tests/data/slack-object-examples/ holds the examples and their sources)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from slack_sdk import WebClient

from slackctl.emulator import start_emulator
from slackctl.emulator.world import triggers

EXAMPLES = json.loads((Path(__file__).parents[1] / "data" / "slack-object-examples" / "objects.json").read_text())
GENERAL = "C0EMU00001"


def missing_fields(example: dict[str, Any], got: dict[str, Any], path: str = "") -> list[str]:
    """Fields of `example` absent from `got`, as dotted paths; nested objects are compared when both are objects."""
    out = []
    for key, value in example.items():
        if key not in got:
            out.append(path + key)
        elif isinstance(value, dict) and value and isinstance(got[key], dict):
            out += missing_fields(value, got[key], f"{path}{key}.")
    return out


@pytest.fixture(scope="module")
def emu():
    with start_emulator() as emulator:
        yield emulator


@pytest.fixture(scope="module")
def bot(emu) -> WebClient:
    return WebClient(token=emu.mint_token("bot")["token"], base_url=emu.url + "/api/")


def example(kind: str) -> dict[str, Any]:
    return EXAMPLES[kind]["example"]


def test_the_comparison_reports_a_missing_nested_field():
    assert missing_fields({"a": 1, "p": {"b": 2, "c": 3}}, {"a": 1, "p": {"b": 2}}) == ["p.c"]


def test_a_user_has_every_field_of_slacks_example(bot):
    assert missing_fields(example("user"), bot.users_info(user="U0EMU00002")["user"]) == []


def test_a_channel_has_every_field_of_slacks_example(bot):
    assert missing_fields(example("channel"), bot.conversations_info(channel=GENERAL)["channel"]) == []


def test_a_message_has_every_field_of_slacks_example(bot):
    bot.chat_postMessage(channel=GENERAL, text="Here's a message for you")
    (message,) = bot.conversations_history(channel=GENERAL, limit=1)["messages"]
    assert missing_fields(example("message"), message) == []


def test_a_file_has_every_field_of_slacks_example(emu, bot):
    data = b"hello, world"
    got = bot.files_getUploadURLExternal(filename="notes.txt", length=len(data))
    httpx.post(got["upload_url"], content=data)
    bot.files_completeUploadExternal(files=[{"id": got["file_id"], "title": "notes"}], channel_id=GENERAL)
    assert missing_fields(example("file"), bot.files_info(file=got["file_id"])["file"]) == []


def test_a_bot_has_every_field_of_slacks_example(emu, bot):
    assert missing_fields(example("bot"), bot.bots_info(bot=emu.default_app["bot_id"])["bot"]) == []


def test_a_team_has_every_field_of_slacks_example(bot):
    assert missing_fields(example("team"), bot.team_info()["team"]) == []


def test_a_view_has_every_field_of_slacks_example(emu, bot):
    trigger = triggers.mint(emu, "U0EMU00001", emu.default_app["app_id"])
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Example"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}],
    }
    assert missing_fields(example("view"), bot.views_open(trigger_id=trigger, view=view)["view"]) == []


def test_a_text_post_gets_a_rich_text_block_of_its_text_and_an_update_replaces_it(bot):
    posted = bot.chat_postMessage(channel=GENERAL, text="first words")

    def block_text(message: dict[str, Any]) -> str:
        (block,) = message["blocks"]
        assert block["type"] == "rich_text" and block["block_id"]
        return "".join(e["text"] for section in block["elements"] for e in section["elements"])

    assert block_text(posted["message"]) == "first words"
    updated = bot.chat_update(channel=GENERAL, ts=posted["ts"], text="second words")
    assert block_text(updated["message"]) == "second words"
    own = [{"type": "section", "text": {"type": "mrkdwn", "text": "mine"}}]
    assert bot.chat_postMessage(channel=GENERAL, text="x", blocks=own)["message"]["blocks"] == own
