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
    result = sdk.files_upload_v2(
        channel="C0EMU00001", content="hello file", filename="hello.txt", title="Hello", initial_comment="here"
    )
    assert result["ok"] is True
    [record] = emu.files()
    assert record["size"] == len(b"hello file") and record["completed"] is True
    assert emu.messages("C0EMU00001")[-1]["text"] == "here"


# ---- the methods apps use: each called through WebClient, its response shape held against Slack's documented
# example responses (key names and JSON types; Slack's method pages and the SDKs' response types agree on them).
GENERAL = "C0EMU00001"
ADA, GRACE = "U0EMU00001", "U0EMU00002"
COMMON = {"ok", "warning", "response_metadata"}
VIEW_KEYS = {
    "id": str,
    "team_id": str,
    "type": str,
    "blocks": list,
    "private_metadata": str,
    "callback_id": str,
    "state": dict,
    "hash": str,
    "clear_on_close": bool,
    "notify_on_close": bool,
    "root_view_id": str,
    "app_id": str,
    "external_id": str,
    "app_installed_team_id": str,
    "bot_id": str,
}
VIEW_OPTIONAL = {"title", "close", "submit", "previous_view_id", "submit_disabled"}


def shape(data: dict, required: dict[str, type], optional: set[str] = frozenset()) -> None:
    """Every documented key there with its JSON type, and nothing Slack would not send."""
    assert data.get("ok", True) is True
    for key, kind in required.items():
        assert key in data, f"missing {key!r} in {sorted(data)}"
        assert isinstance(data[key], kind), f"{key!r} is {type(data[key]).__name__}, not {kind.__name__}"
    unexpected = set(data) - set(required) - set(optional) - COMMON
    assert not unexpected, f"undocumented keys {sorted(unexpected)}"


def view_shape(view: dict) -> None:
    shape(view, VIEW_KEYS, VIEW_OPTIONAL)
    assert view["state"] == {"values": {}} or "values" in view["state"]


@pytest.fixture
def modal():
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Hi"},
        "callback_id": "cb",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "hello"}}],
    }


def test_sdk_conversations_open_replies_members(emu, sdk):
    opened = sdk.conversations_open(users=[ADA], return_im=True)
    shape(opened.data, {"channel": dict}, {"no_op", "already_open"})
    im = opened["channel"]
    shape(
        im,
        {
            "id": str,
            "created": int,
            "is_im": bool,
            "is_org_shared": bool,
            "user": str,
            "is_user_deleted": bool,
            "priority": int,
        },
        {
            "is_channel",
            "is_group",
            "is_mpim",
            "is_private",
            "is_archived",
            "is_general",
            "is_shared",
            "is_ext_shared",
            "context_team_id",
        },
    )
    assert im["id"].startswith("D") and im["user"] == ADA
    shape(sdk.conversations_open(users=[ADA]).data, {"channel": dict, "no_op": bool, "already_open": bool})
    parent = sdk.chat_postMessage(channel=GENERAL, text="parent")["ts"]
    sdk.chat_postMessage(channel=GENERAL, text="reply", thread_ts=parent)
    replies = sdk.conversations_replies(channel=GENERAL, ts=parent)
    shape(replies.data, {"messages": list, "has_more": bool})
    head, reply = replies["messages"]
    shape(
        head,
        {
            "type": str,
            "ts": str,
            "text": str,
            "user": str,
            "thread_ts": str,
            "reply_count": int,
            "reply_users": list,
            "reply_users_count": int,
            "latest_reply": str,
        },
        {"bot_id", "app_id", "bot_profile", "team", "is_locked", "subscribed", "blocks"},
    )
    assert reply["parent_user_id"] == head["user"] and reply["thread_ts"] == parent
    members = sdk.conversations_members(channel=GENERAL)
    shape(members.data, {"members": list})
    assert ADA in members["members"] and members["response_metadata"]["next_cursor"] == ""


def test_sdk_membership_topic_and_user_lookups(emu, sdk):
    user = WebClient(token=emu.mint_token("user")["token"], base_url=emu.url + "/api/")
    created = user.conversations_create(name="sdk-room")["channel"]["id"]
    shape(user.conversations_invite(channel=created, users=[GRACE]).data, {"channel": dict})
    shape(user.conversations_setTopic(channel=created, topic="t").data, {"channel": dict})
    grace = WebClient(token=emu.mint_token("user", user=GRACE)["token"], base_url=emu.url + "/api/")
    shape(grace.conversations_leave(channel=created).data, {})
    shape(user.conversations_archive(channel=created).data, {})
    shape(sdk.users_lookupByEmail(email="grace@example.com").data, {"user": dict})
    convs = sdk.users_conversations(types="public_channel,im")
    shape(convs.data, {"channels": list})
    assert all("id" in c for c in convs["channels"])
    profile = sdk.users_profile_get(user=GRACE)
    shape(profile.data, {"profile": dict})
    for key in ("real_name", "display_name", "email", "status_text", "status_emoji", "image_72"):
        assert isinstance(profile["profile"][key], str)


def test_sdk_ephemeral_me_permalink_and_scheduled(emu, sdk):
    shape(sdk.chat_postEphemeral(channel=GENERAL, user=ADA, text="psst").data, {"message_ts": str})
    me = sdk.chat_meMessage(channel=GENERAL, text="waves")
    shape(me.data, {"channel": str, "ts": str})
    link = sdk.chat_getPermalink(channel=GENERAL, message_ts=me["ts"])
    shape(link.data, {"channel": str, "permalink": str})
    scheduled = sdk.chat_scheduleMessage(channel=GENERAL, text="later", post_at=int(emu.world.now()) + 600)
    shape(scheduled.data, {"channel": str, "scheduled_message_id": str, "post_at": int, "message": dict})
    shape(
        scheduled["message"],
        {"text": str, "type": str, "bot_id": str},
        {"subtype", "app_id", "bot_profile", "blocks", "attachments", "username", "team"},
    )
    assert scheduled["message"]["type"] == "delayed_message"
    listed = sdk.chat_scheduledMessages_list()
    shape(listed.data, {"scheduled_messages": list})
    [item] = listed["scheduled_messages"]
    shape(item, {"id": str, "channel_id": str, "post_at": int, "date_created": int, "text": str})
    shape(sdk.chat_deleteScheduledMessage(channel=GENERAL, scheduled_message_id=item["id"]).data, {})


def test_sdk_reactions_and_pins(emu, sdk):
    ts = sdk.chat_postMessage(channel=GENERAL, text="hi")["ts"]
    shape(sdk.reactions_add(channel=GENERAL, timestamp=ts, name="tada").data, {})
    got = sdk.reactions_get(channel=GENERAL, timestamp=ts)
    shape(got.data, {"type": str, "channel": str, "message": dict})
    [reaction] = got["message"]["reactions"]
    shape(reaction, {"name": str, "users": list, "count": int})
    shape(sdk.reactions_remove(channel=GENERAL, timestamp=ts, name="tada").data, {})
    shape(sdk.pins_add(channel=GENERAL, timestamp=ts).data, {})
    pins = sdk.pins_list(channel=GENERAL)
    shape(pins.data, {"items": list})
    shape(pins["items"][0], {"type": str, "created": int, "created_by": str, "channel": str, "message": dict})
    shape(sdk.pins_remove(channel=GENERAL, timestamp=ts).data, {})


def test_sdk_views_open_push_update_publish(emu, sdk, modal):
    from slackctl.emulator.world import triggers

    app_id = emu.default_app["app_id"]
    opened = sdk.views_open(trigger_id=triggers.mint(emu, ADA, app_id), view=modal)
    shape(opened.data, {"view": dict})
    view_shape(opened["view"])
    pushed = sdk.views_push(trigger_id=triggers.mint(emu, ADA, app_id), view=modal)["view"]
    view_shape(pushed)
    assert pushed["previous_view_id"] == opened["view"]["id"]
    updated = sdk.views_update(view_id=pushed["id"], hash=pushed["hash"], view=modal)["view"]
    view_shape(updated)
    with pytest.raises(SlackApiError) as info:
        sdk.views_update(view_id=pushed["id"], hash=pushed["hash"], view=modal)
    assert info.value.response["error"] == "hash_conflict"
    home = sdk.views_publish(user_id=ADA, view={"type": "home", "blocks": []})["view"]
    view_shape(home)
    assert home["type"] == "home"


def test_sdk_team_and_bot_info(emu, sdk):
    team = sdk.team_info()
    shape(team.data, {"team": dict})
    shape(
        team["team"],
        {"id": str, "name": str, "domain": str, "email_domain": str, "icon": dict},
        {
            "url",
            "avatar_base_url",
            "is_verified",
            "enterprise_id",
            "enterprise_name",
            "lob_sales_home_enabled",
            "is_sfdc_auto_slack",
        },
    )
    bot = sdk.bots_info(bot=emu.default_app["bot_id"])
    shape(bot.data, {"bot": dict})
    shape(
        bot["bot"],
        {"id": str, "deleted": bool, "name": str, "updated": int, "app_id": str, "user_id": str, "icons": dict},
    )
    assert set(bot["bot"]["icons"]) == {"image_36", "image_48", "image_72"}


def test_sdk_assistant_threads_and_functions(emu, sdk):
    from slack_sdk import WebClient

    from slackctl.emulator.automation import functions

    dm = sdk.conversations_open(users=[ADA])["channel"]["id"]
    ts = sdk.chat_postMessage(channel=dm, text="hello")["ts"]
    shape(sdk.assistant_threads_setStatus(channel_id=dm, thread_ts=ts, status="is typing...").data, {})
    shape(sdk.assistant_threads_setTitle(channel_id=dm, thread_ts=ts, title="Chat").data, {})
    shape(
        sdk.assistant_threads_setSuggestedPrompts(
            channel_id=dm, thread_ts=ts, prompts=[{"title": "Hi", "message": "Say hi"}]
        ).data,
        {},
    )
    step = {
        "title": "Step",
        "description": "d",
        "input_parameters": {"properties": {}},
        "output_parameters": {"properties": {"done": {"type": "boolean"}}},
    }
    creds = emu.install_app({"display_information": {"name": "Stepped"}, "functions": {"step": step}})
    with emu.world.lock:
        app = emu.world.apps[creds["app_id"]]
        first = functions.start(emu, app, "step", {})
        second = functions.start(emu, app, "step", {})
    # Bolt completes a step with the function's own token (xwfp-…), as here.
    client = WebClient(token=first["bot_access_token"], base_url=emu.url + "/api/")
    shape(client.functions_completeSuccess(function_execution_id=first["id"], outputs={"done": True}).data, {})
    client = WebClient(token=second["bot_access_token"], base_url=emu.url + "/api/")
    shape(client.functions_completeError(function_execution_id=second["id"], error="nope").data, {})


def test_sdk_chat_stream_helper_builds_one_message(emu, sdk):
    parent = sdk.chat_postMessage(channel=GENERAL, text="question")["ts"]
    streamer = sdk.chat_stream(
        channel=GENERAL, thread_ts=parent, recipient_user_id=ADA, recipient_team_id="T0EMU0001", buffer_size=4
    )
    for piece in ("Hello", ", ", "world"):
        streamer.append(markdown_text=piece)
    stopped = streamer.stop()
    shape(stopped.data, {"channel": str, "ts": str, "message": dict})
    replies = sdk.conversations_replies(channel=GENERAL, ts=parent)["messages"]
    assert [m["text"] for m in replies] == ["question", "Hello, world"]
    started = [r for r in emu.requests() if r["method"] in ("chat.startStream", "chat.appendStream")]
    assert started and started[0]["method"] == "chat.startStream"
