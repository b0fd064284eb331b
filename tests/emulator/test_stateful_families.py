"""Stateful Web API families an app uses (issue 28), each driven with the real slack_sdk over HTTP: create, read
back, change, list, delete; and their state survives a --state restart and is cleared by reset."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slackctl.emulator import start_emulator

GENERAL = "C0EMU00001"


@pytest.fixture
def emu():
    with start_emulator() as emulator:
        yield emulator


def sdk(emu, kind: str = "bot") -> WebClient:
    return WebClient(token=emu.mint_token(kind)["token"], base_url=emu.url + "/api/")


def error_of(call) -> str:
    with pytest.raises(SlackApiError) as err:
        call()
    return err.value.response["error"]


def test_bookmarks_add_read_edit_list_remove(emu):
    client = sdk(emu)
    added = client.bookmarks_add(channel_id=GENERAL, title="Runbook", type="link", link="https://example.com/run")
    bookmark = added["bookmark"]
    assert bookmark["id"].startswith("Bk") and bookmark["channel_id"] == GENERAL and bookmark["title"] == "Runbook"
    edited = client.bookmarks_edit(channel_id=GENERAL, bookmark_id=bookmark["id"], title="On-call runbook")
    assert edited["bookmark"]["title"] == "On-call runbook" and edited["bookmark"]["date_updated"] > 0
    listed = client.bookmarks_list(channel_id=GENERAL)["bookmarks"]
    assert [b["title"] for b in listed] == ["On-call runbook"]
    client.bookmarks_remove(channel_id=GENERAL, bookmark_id=bookmark["id"])
    assert client.bookmarks_list(channel_id=GENERAL)["bookmarks"] == []
    assert error_of(lambda: client.bookmarks_remove(channel_id=GENERAL, bookmark_id=bookmark["id"])) == "not_found"
    assert (
        error_of(lambda: client.bookmarks_add(channel_id=GENERAL, title="x", type="link", link="javascript:alert(1)"))
        == "invalid_link"
    )


def test_reminders_add_info_list_complete_delete_with_a_user_token(emu):
    client = sdk(emu, "user")
    reminder = client.reminders_add(text="stand-up", time="in 10 minutes")["reminder"]
    assert reminder["id"].startswith("Rm") and reminder["text"] == "stand-up" and reminder["complete_ts"] == 0
    assert client.reminders_info(reminder=reminder["id"])["reminder"]["time"] == reminder["time"]
    client.reminders_complete(reminder=reminder["id"])
    (listed,) = client.reminders_list()["reminders"]
    assert listed["complete_ts"] > 0
    assert error_of(lambda: client.reminders_complete(reminder=reminder["id"])) == "already_complete"
    client.reminders_delete(reminder=reminder["id"])
    assert client.reminders_list()["reminders"] == []
    assert error_of(lambda: client.reminders_add(text="x", time="whenever")) == "cannot_parse"
    assert error_of(lambda: sdk(emu, "bot").reminders_list()) == "not_allowed_token_type"


def test_usergroups_create_update_users_disable_enable(emu):
    client = sdk(emu)
    group = client.usergroups_create(name="On call", handle="oncall", description="who is on call")["usergroup"]
    assert group["id"].startswith("S") and group["handle"] == "oncall" and group["user_count"] == 0
    client.usergroups_users_update(usergroup=group["id"], users=["U0EMU00001", "U0EMU00002"])
    assert client.usergroups_users_list(usergroup=group["id"])["users"] == ["U0EMU00001", "U0EMU00002"]
    client.usergroups_update(usergroup=group["id"], name="On-call")
    (listed,) = client.usergroups_list(include_users=True)["usergroups"]
    assert listed["name"] == "On-call" and listed["users"] == ["U0EMU00001", "U0EMU00002"]
    client.usergroups_disable(usergroup=group["id"])
    assert client.usergroups_list()["usergroups"] == []
    assert len(client.usergroups_list(include_disabled=True)["usergroups"]) == 1
    client.usergroups_enable(usergroup=group["id"])
    assert error_of(lambda: client.usergroups_create(name="Other", handle="oncall")) == "handle_already_exists"
    assert error_of(lambda: client.usergroups_users_update(usergroup=group["id"], users=["U404"])) == "invalid_users"


def test_profile_set_presence_and_dnd(emu):
    ada = sdk(emu, "user")
    me = ada.auth_test()["user_id"]
    ada.users_profile_set(profile={"status_text": "in a meeting", "status_emoji": ":calendar:"})
    profile = ada.users_profile_get()["profile"]
    assert (profile["status_text"], profile["status_emoji"]) == ("in a meeting", ":calendar:")
    assert error_of(lambda: ada.users_profile_set(profile={"is_admin": True})) == "invalid_profile"
    ada.users_setPresence(presence="away")
    assert ada.users_getPresence(user=me)["presence"] == "away"
    assert sdk(emu).users_getPresence(user=me)["presence"] == "away"
    snooze = ada.dnd_setSnooze(num_minutes=30)
    assert snooze["snooze_enabled"] is True and snooze["snooze_remaining"] == 1800
    assert ada.dnd_info()["snooze_enabled"] is True
    emu.advance_time(31 * 60)  # the snooze ends on the emulator's clock
    assert ada.dnd_info()["snooze_enabled"] is False
    assert error_of(lambda: ada.dnd_endSnooze()) == "snooze_not_active"


def test_the_families_state_survives_a_state_restart_and_reset_clears_it(tmp_path):
    state = tmp_path / "state.json"
    with start_emulator(state_file=state) as first:
        client = sdk(first)
        client.bookmarks_add(channel_id=GENERAL, title="Kept", type="link", link="https://example.com")
        client.usergroups_create(name="Kept group", handle="kept")
        sdk(first, "user").reminders_add(text="kept", time="in 1 hour")
    with start_emulator(state_file=state) as second:
        assert [b["title"] for b in sdk(second).bookmarks_list(channel_id=GENERAL)["bookmarks"]] == ["Kept"]
        assert [g["handle"] for g in sdk(second).usergroups_list()["usergroups"]] == ["kept"]
        assert len(second.world.reminders) == 1
        second.reset()
        assert second.world.bookmarks == {} and second.world.usergroups == {} and second.world.reminders == {}


def test_conversations_rename_set_purpose_kick_unarchive_mark_and_close(emu):
    client = sdk(emu, "user")
    channel = client.conversations_create(name="launch")["channel"]
    renamed = client.conversations_rename(channel=channel["id"], name="launch-2027")["channel"]
    assert renamed["name"] == "launch-2027"
    assert client.conversations_info(channel=channel["id"])["channel"]["name"] == "launch-2027"
    purpose = client.conversations_setPurpose(channel=channel["id"], purpose="ship it")["channel"]["purpose"]
    assert purpose["value"] == "ship it"
    client.conversations_invite(channel=channel["id"], users="U0EMU00002")
    client.conversations_kick(channel=channel["id"], user="U0EMU00002")
    assert "U0EMU00002" not in client.conversations_members(channel=channel["id"])["members"]
    assert error_of(lambda: client.conversations_kick(channel=channel["id"], user="U0EMU00002")) == "not_in_channel"
    posted = client.chat_postMessage(channel=channel["id"], text="read up to here")
    client.conversations_mark(channel=channel["id"], ts=posted["ts"])
    assert client.conversations_info(channel=channel["id"])["channel"]["last_read"] == posted["ts"]
    client.conversations_archive(channel=channel["id"])
    client.conversations_unarchive(channel=channel["id"])
    assert client.conversations_info(channel=channel["id"])["channel"]["is_archived"] is False
    assert error_of(lambda: client.conversations_unarchive(channel=channel["id"])) == "not_archived"
    dm = client.conversations_open(users="U0EMU00002")["channel"]["id"]
    assert client.conversations_close(channel=dm)["ok"] is True
    assert client.conversations_close(channel=dm)["already_closed"] is True
    assert error_of(lambda: client.conversations_close(channel=channel["id"])) == (
        "method_not_supported_for_channel_type"
    )
    private = client.conversations_create(name="secret", is_private=True)["channel"]
    assert private["is_private"] is True and private["is_group"] is True


def test_search_messages_and_files_with_slacks_operators(emu):
    bot = sdk(emu)
    bot.chat_postMessage(channel=GENERAL, text="deploy finished for api")
    bot.chat_postMessage(channel="C0EMU00002", text="deploy started elsewhere")
    ada = sdk(emu, "user")
    ada.chat_postMessage(channel=GENERAL, text="the deploy looks good")
    bot.files_upload_v2(channel=GENERAL, content="report", filename="deploy-report.txt", title="Deploy report")

    def texts(query: str) -> list[str]:
        return [m["text"] for m in ada.search_messages(query=query)["messages"]["matches"]]

    assert sorted(texts("deploy")) == ["deploy finished for api", "deploy started elsewhere", "the deploy looks good"]
    assert sorted(texts("deploy in:#general")) == ["deploy finished for api", "the deploy looks good"]
    assert texts("deploy from:@ada") == ["the deploy looks good"]
    assert texts('"looks good"') == ["the deploy looks good"]
    assert texts('"good looks"') == []
    files = ada.search_files(query="report")["files"]
    assert [f["title"] for f in files["matches"]] == ["Deploy report"] and files["total"] == 1
    both = ada.search_all(query="deploy in:#general")
    assert both["messages"]["total"] == 2 and both["files"]["total"] == 1
    assert error_of(lambda: bot.search_messages(query="deploy")) == "not_allowed_token_type"


def test_chat_unfurl_adds_the_previews_to_the_message(emu):
    bot = sdk(emu)
    posted = bot.chat_postMessage(channel=GENERAL, text="see https://example.com/page")
    bot.chat_unfurl(
        channel=GENERAL, ts=posted["ts"], unfurls={"https://example.com/page": {"title": "A page", "text": "preview"}}
    )
    (message,) = bot.conversations_history(channel=GENERAL, limit=1)["messages"]
    (attachment,) = message["attachments"]
    assert attachment["title"] == "A page" and attachment["app_unfurl_url"] == "https://example.com/page"
    assert error_of(
        lambda: bot.chat_unfurl(channel=GENERAL, ts=posted["ts"], unfurls={"https://other.example": {"title": "x"}})
    ) == ("cannot_unfurl_url")


def test_apps_uninstall_revokes_the_apps_tokens(emu):
    app = emu.create_app(name="Leaving")
    token = emu.mint_token("bot", app_id=app["app_id"])["token"]
    client = WebClient(token=token, base_url=emu.url + "/api/")
    assert client.auth_test()["ok"] is True
    anonymous = WebClient(base_url=emu.url + "/api/")
    assert error_of(lambda: anonymous.apps_uninstall(client_id=app["client_id"], client_secret="wrong")) == (
        "bad_client_secret"
    )
    anonymous.apps_uninstall(client_id=app["client_id"], client_secret=app["client_secret"])
    assert error_of(client.auth_test) == "token_revoked"


def test_team_billing_preferences_profile_and_emoji(emu):
    client = sdk(emu)
    assert client.team_billing_info()["plan"] == "std"
    assert client.team_preferences_list()["msg_edit_window_mins"] == -1
    assert client.team_profile_get()["profile"] == {"fields": [], "sections": []}
    assert client.emoji_list()["emoji"]["shipit"] == "alias:squirrel"


def test_calls_add_info_update_participants_end(emu):
    client = sdk(emu)
    added = client.calls_add(external_unique_id="zoom-123", join_url="https://zoom.example/j/123", title="Stand-up")
    call_id = added["call"]["id"]
    assert call_id.startswith("R") and added["call"]["title"] == "Stand-up"
    client.calls_participants_add(
        id=call_id, users=[{"slack_id": "U0EMU00001"}, {"external_id": "guest-1", "display_name": "Guest"}]
    )
    client.calls_update(id=call_id, title="Stand-up (late)")
    info = client.calls_info(id=call_id)["call"]
    assert info["title"] == "Stand-up (late)" and len(info["users"]) == 2
    client.calls_participants_remove(id=call_id, users=[{"external_id": "guest-1", "display_name": "Guest"}])
    assert client.calls_info(id=call_id)["call"]["users"] == [{"slack_id": "U0EMU00001"}]
    client.calls_end(id=call_id, duration=600)
    assert client.calls_info(id=call_id)["call"]["duration"] == 600
    assert error_of(lambda: client.calls_end(id=call_id)) == "inactive_call"
    assert error_of(lambda: client.calls_info(id="R404")) == "invalid_call_id"


def test_canvases_sections_can_be_looked_up_and_edited(emu):
    client = sdk(emu)
    markdown = "# Plan\nShip the emulator.\n\n## Risks\nTime.\n\n## Owners\nAda"
    canvas_id = client.canvases_create(title="Launch", document_content={"type": "markdown", "markdown": markdown})[
        "canvas_id"
    ]
    canvas = emu.world.canvases[canvas_id]
    assert [(s["type"], s["text"]) for s in canvas["sections"]] == [
        ("h1", "Plan"),
        ("p", "Ship the emulator."),
        ("h2", "Risks"),
        ("p", "Time."),
        ("h2", "Owners"),
        ("p", "Ada"),
    ]
    headers = client.canvases_sections_lookup(canvas_id=canvas_id, criteria={"section_types": ["h2"]})["sections"]
    assert len(headers) == 2
    (risks,) = client.canvases_sections_lookup(
        canvas_id=canvas_id, criteria={"section_types": ["any_header"], "contains_text": "risk"}
    )["sections"]
    client.canvases_edit(
        canvas_id=canvas_id,
        changes=[
            {
                "operation": "insert_after",
                "section_id": risks["id"],
                "document_content": {"type": "markdown", "markdown": "Scope creep."},
            },
            {"operation": "rename", "title_content": {"type": "markdown", "markdown": "Launch 2027"}},
        ],
    )
    texts = [s["text"] for s in emu.world.canvases[canvas_id]["sections"]]
    assert texts[:4] == ["Plan", "Ship the emulator.", "Risks", "Scope creep."]
    assert emu.world.canvases[canvas_id]["title"] == "Launch 2027"
    client.canvases_edit(canvas_id=canvas_id, changes=[{"operation": "delete", "section_id": risks["id"]}])
    assert "Risks" not in [s["text"] for s in emu.world.canvases[canvas_id]["sections"]]
    client.canvases_access_set(canvas_id=canvas_id, access_level="write", user_ids=["U0EMU00002"])
    assert emu.world.canvases[canvas_id]["users"] == {"U0EMU00002": "write"}
    client.canvases_delete(canvas_id=canvas_id)
    assert error_of(lambda: client.canvases_delete(canvas_id=canvas_id)) == "canvas_not_found"


def test_a_channel_has_one_canvas(emu):
    client = sdk(emu)
    made = client.conversations_canvases_create(
        channel_id=GENERAL, document_content={"type": "markdown", "markdown": "# Welcome"}
    )
    assert made["canvas_id"].startswith("F")
    info = client.conversations_info(channel=GENERAL)["channel"]
    assert info["properties"]["canvas"]["file_id"] == made["canvas_id"]
    assert error_of(lambda: client.conversations_canvases_create(channel_id=GENERAL, document_content=None)) == (
        "channel_canvas_already_exists"
    )


@pytest.mark.filterwarnings("ignore:stars.* is deprecated")  # slack_sdk's note; Slack still answers stars.*
def test_stars_add_list_remove(emu):
    ada = sdk(emu, "user")
    posted = ada.chat_postMessage(channel=GENERAL, text="save me")
    ada.stars_add(channel=GENERAL, timestamp=posted["ts"])
    assert error_of(lambda: ada.stars_add(channel=GENERAL, timestamp=posted["ts"])) == "already_starred"
    (item,) = ada.stars_list()["items"]
    assert item["type"] == "message" and item["message"]["text"] == "save me"
    ada.stars_remove(channel=GENERAL, timestamp=posted["ts"])
    assert ada.stars_list()["items"] == []
    assert error_of(lambda: ada.stars_remove(channel=GENERAL, timestamp=posted["ts"])) == "not_starred"


def test_uploaded_files_info_list_public_url_and_delete(emu):
    ada = sdk(emu, "user")
    uploaded = ada.files_upload_v2(channel=GENERAL, content="numbers", filename="q3.csv", title="Q3 numbers")
    file_id = uploaded["file"]["id"]
    info = ada.files_info(file=file_id)["file"]
    assert (info["id"], info["title"], info["channels"], info["filetype"]) == (file_id, "Q3 numbers", [GENERAL], "csv")
    assert [f["id"] for f in ada.files_list(channel=GENERAL)["files"]] == [file_id]
    assert sdk(emu).files_info(file=file_id)["file"]["id"] == file_id  # the bot is in #general: it sees the share
    shared = ada.files_sharedPublicURL(file=file_id)["file"]
    assert shared["public_url_shared"] is True and shared["permalink_public"].startswith("https://slack-files.com/")
    assert ada.files_revokePublicURL(file=file_id)["file"]["public_url_shared"] is False
    ada.files_delete(file=file_id)
    assert error_of(lambda: ada.files_info(file=file_id)) == "file_not_found"
    share = next(m for m in ada.conversations_history(channel=GENERAL)["messages"] if m.get("files"))
    assert share["files"] == [{"id": file_id, "mode": "tombstone"}]


def test_remote_files_add_info_update_share_list_remove(emu):
    bot = sdk(emu)
    added = bot.files_remote_add(external_id="doc-1", external_url="https://docs.example/1", title="Design doc")
    file_id = added["file"]["id"]
    assert added["file"]["is_external"] is True and added["file"]["external_id"] == "doc-1"
    assert bot.files_remote_info(external_id="doc-1")["file"]["id"] == file_id
    bot.files_remote_update(external_id="doc-1", title="Design doc v2")
    assert bot.files_remote_info(file=file_id)["file"]["title"] == "Design doc v2"
    bot.files_remote_share(file=file_id, channels=GENERAL)
    (listed,) = bot.files_remote_list(channel=GENERAL)["files"]
    assert listed["id"] == file_id
    share = bot.conversations_history(channel=GENERAL, limit=1)["messages"][0]
    assert share["files"][0]["title"] == "Design doc v2"
    bot.files_remote_remove(external_id="doc-1")
    assert error_of(lambda: bot.files_remote_info(file=file_id)) == "file_not_found"
    assert error_of(lambda: bot.files_remote_add(external_id="x", external_url="https://e.x", title="")) == (
        "bad_title"
    )


def test_users_set_photo_and_delete_photo(emu):
    ada = sdk(emu, "user")
    me = ada.auth_test()["user_id"]
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    ada.users_setPhoto(image=png)
    profile = ada.users_profile_get(user=me)["profile"]
    assert profile["is_custom_image"] is True and profile["image_72"].startswith("https://avatars.slack-edge.com/")
    ada.users_deletePhoto()
    profile = ada.users_profile_get(user=me)["profile"]
    assert profile["is_custom_image"] is False and profile["image_72"] == "https://a.slack-edge.com/emulator_72.png"
    assert error_of(lambda: ada.api_call("users.setPhoto", params={"image": "not a file"})) == "bad_image"
