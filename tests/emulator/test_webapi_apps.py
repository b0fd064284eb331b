"""The Web API methods apps use: DMs, threads, membership, ephemeral/scheduled messages, reactions, pins, team
and bot info, assistant threads, functions and streams — behaviour, error codes and the bus facts they publish."""

from __future__ import annotations

import httpx
import pytest

from slackctl.emulator.automation import functions
from slackctl.emulator.world import ephemeral
from tests.emulator.conftest import call

GENERAL, RANDOM = "C0EMU00001", "C0EMU00002"
ADA, GRACE, LINUS = "U0EMU00001", "U0EMU00002", "U0EMU00003"


@pytest.fixture
def facts(emu):
    seen: list[tuple[str, dict]] = []
    unsubscribe = emu.bus.subscribe(lambda kind, data: seen.append((kind, data)))
    yield seen
    unsubscribe()


def kinds(facts) -> list[str]:
    return [kind for kind, _ in facts]


# ---- DMs and MPIMs ----------------------------------------------------------------------------------------
def test_conversations_open_gives_the_same_dm_each_time_and_posting_to_a_user_id_uses_it(emu, client, bot):
    first = call(client, "conversations.open", bot, users=ADA)
    assert first["ok"] and first["channel"]["id"].startswith("D") and "already_open" not in first
    again = call(client, "conversations.open", bot, users=ADA, return_im=True)
    assert again["channel"]["id"] == first["channel"]["id"] and again["already_open"] is True
    assert again["channel"]["is_im"] is True and again["channel"]["user"] == ADA
    posted = call(client, "chat.postMessage", bot, channel=ADA, text="hi in private")
    assert posted["channel"] == first["channel"]["id"]
    listed = call(client, "conversations.list", bot, types="im")
    assert [c["id"] for c in listed["channels"]] == [first["channel"]["id"]]
    assert call(client, "conversations.list", bot, types="private_channel")["channels"] == []


def test_a_dm_is_invisible_to_a_third_party(emu, client, bot):
    dm = call(client, "conversations.open", bot, users=ADA)["channel"]["id"]
    grace = emu.mint_token("user", user=GRACE)["token"]
    assert call(client, "conversations.history", grace, channel=dm)["error"] == "channel_not_found"
    ada = emu.mint_token("user", user=ADA)["token"]
    call(client, "chat.postMessage", bot, channel=dm, text="only for ada")
    assert [m["text"] for m in call(client, "conversations.history", ada, channel=dm)["messages"]] == ["only for ada"]


def test_mpim_of_three_users(emu, client, user):
    body = call(client, "conversations.open", user, users=f"{GRACE},{LINUS}")
    channel = body["channel"]
    assert channel["is_mpim"] is True and channel["is_private"] is True
    assert channel["name"] == "mpdm-ada--grace--linus-1"
    assert call(client, "conversations.members", user, channel=channel["id"])["members"] == sorted([ADA, GRACE, LINUS])


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ({}, "users_list_not_supplied"),
        ({"users": "U_NOBODY"}, "user_not_found"),
        ({"channel": GENERAL}, "method_not_supported_for_channel_type"),
        ({"users": ",".join(f"UG{n:08d}" for n in range(1, 10))}, "too_many_users"),
    ],
)
def test_conversations_open_errors(client, bot, args, error):
    assert call(client, "conversations.open", bot, **args)["error"] == error


# ---- threads ---------------------------------------------------------------------------------------------
def test_thread_replies_and_a_broadcast(emu, client, bot, user, facts):
    parent = call(client, "chat.postMessage", user, channel=GENERAL, text="question")["ts"]
    r1 = call(client, "chat.postMessage", bot, channel=GENERAL, text="answer", thread_ts=parent)
    assert r1["message"]["thread_ts"] == parent and r1["message"]["parent_user_id"] == ADA
    r2 = call(
        client, "chat.postMessage", bot, channel=GENERAL, text="also here", thread_ts=parent, reply_broadcast=True
    )
    replies = call(client, "conversations.replies", bot, channel=GENERAL, ts=parent)
    assert [m["text"] for m in replies["messages"]] == ["question", "answer", "also here"]
    head = replies["messages"][0]
    assert head["reply_count"] == 2 and head["reply_users"] == [emu.default_app["bot_user_id"]]
    assert head["reply_users_count"] == 1 and head["latest_reply"] == r2["ts"]
    history = call(client, "conversations.history", bot, channel=GENERAL)["messages"]
    assert [m["text"] for m in history] == ["also here", "question"]  # the broadcast shows, the reply does not
    assert history[0]["subtype"] == "thread_broadcast"
    posted = [d["message"] for k, d in facts if k == "message_posted"]
    assert [m["text"] for m in posted] == ["question", "answer", "also here"]
    assert posted[1]["thread_ts"] == parent


def test_replies_by_a_reply_ts_and_errors(client, bot):
    parent = call(client, "chat.postMessage", bot, channel=GENERAL, text="p")["ts"]
    reply = call(client, "chat.postMessage", bot, channel=GENERAL, text="r", thread_ts=parent)["ts"]
    assert len(call(client, "conversations.replies", bot, channel=GENERAL, ts=reply)["messages"]) == 2
    assert call(client, "conversations.replies", bot, channel=GENERAL, ts="1.000001")["error"] == ("thread_not_found")
    assert call(client, "chat.postMessage", bot, channel=GENERAL, text="x", thread_ts=reply)["error"] == (
        "thread_not_found"
    )


def test_replies_pages_with_a_cursor(client, bot):
    parent = call(client, "chat.postMessage", bot, channel=GENERAL, text="p")["ts"]
    for i in range(4):
        call(client, "chat.postMessage", bot, channel=GENERAL, text=f"r{i}", thread_ts=parent)
    first = call(client, "conversations.replies", bot, channel=GENERAL, ts=parent, limit=3)
    assert first["has_more"] is True
    second = call(
        client,
        "conversations.replies",
        bot,
        channel=GENERAL,
        ts=parent,
        limit=3,
        cursor=first["response_metadata"]["next_cursor"],
    )
    assert [m["text"] for m in first["messages"] + second["messages"]] == ["p", "r0", "r1", "r2", "r3"]
    assert second["has_more"] is False and second["response_metadata"]["next_cursor"] == ""


# ---- membership and channel settings -----------------------------------------------------------------------
def test_invite_leave_archive_and_topic(emu, client, bot, user, facts):
    created = call(client, "conversations.create", user, name="project")["channel"]["id"]
    invited = call(client, "conversations.invite", user, channel=created, users=f"{GRACE},{LINUS}")
    assert invited["ok"] and invited["channel"]["num_members"] == 3
    again = call(client, "conversations.invite", user, channel=created, users=GRACE)
    assert again["error"] == "already_in_channel" and again["errors"][0]["user"] == GRACE
    assert call(client, "conversations.invite", user, channel=created, users=ADA)["error"] == "cant_invite_self"
    topic = call(client, "conversations.setTopic", user, channel=created, topic="ship it")
    assert topic["channel"]["topic"]["value"] == "ship it"
    assert emu.messages(created)[-1]["subtype"] == "channel_topic"
    grace = emu.mint_token("user", user=GRACE)["token"]
    assert call(client, "conversations.leave", grace, channel=created) == {"ok": True}
    assert call(client, "conversations.leave", grace, channel=created)["not_in_channel"] is True
    assert call(client, "conversations.archive", user, channel=created) == {"ok": True}
    assert call(client, "conversations.archive", user, channel=created)["error"] == "already_archived"
    assert call(client, "chat.postMessage", user, channel=created, text="x")["error"] == "is_archived"
    joined = [(d["user"], d["inviter"]) for k, d in facts if k == "member_joined"]
    assert joined == [(GRACE, ADA), (LINUS, ADA)]
    assert ("member_left", {"channel_id": created, "user": GRACE}) in facts


def test_general_cannot_be_left_or_archived_and_a_long_topic_is_refused(client, user):
    assert call(client, "conversations.leave", user, channel=GENERAL)["error"] == "cant_leave_general"
    assert call(client, "conversations.archive", user, channel=GENERAL)["error"] == "cant_archive_general"
    assert call(client, "conversations.setTopic", user, channel=RANDOM, topic="x" * 251)["error"] == "too_long"


def test_users_conversations_lists_a_users_channels(emu, client, bot, user):
    dm = call(client, "conversations.open", bot, users=ADA)["channel"]["id"]
    mine = call(client, "users.conversations", bot, types="public_channel,im")["channels"]
    assert [c["id"] for c in mine] == [GENERAL, RANDOM, dm]
    call(client, "conversations.create", user, name="ada-only")
    grace = call(client, "users.conversations", user, user=GRACE)["channels"]
    assert [c["id"] for c in grace] == [GENERAL, RANDOM]
    assert call(client, "users.conversations", user, types="bogus")["error"] == "invalid_types"


# ---- ephemeral, /me, permalinks, scheduled messages -------------------------------------------------------
def test_post_ephemeral_is_shown_to_one_user_only(emu, client, bot, facts):
    body = call(client, "chat.postEphemeral", bot, channel=GENERAL, user=GRACE, text="psst")
    assert body["ok"] and body["message_ts"]
    [shown] = ephemeral.for_user(emu, GENERAL, GRACE)
    assert shown["text"] == "psst" and shown["ts"] == body["message_ts"] and shown["bot_id"]
    assert ephemeral.for_user(emu, GENERAL, ADA) == []
    assert emu.messages(GENERAL) == [] and facts == []
    emu.world.channels[RANDOM]["members"].remove(GRACE)
    assert call(client, "chat.postEphemeral", bot, channel=RANDOM, user=GRACE, text="x")["error"] == (
        "user_not_in_channel"
    )


def test_me_message_and_permalink(emu, client, bot):
    me = call(client, "chat.meMessage", bot, channel=GENERAL, text="waves")
    assert emu.messages(GENERAL)[-1]["subtype"] == "me_message"
    link = call(client, "chat.getPermalink", bot, channel=GENERAL, message_ts=me["ts"])
    assert link["permalink"] == f"{emu.url}/archives/{GENERAL}/p{me['ts'].replace('.', '')}"
    assert call(client, "chat.getPermalink", bot, channel=GENERAL, message_ts="1.000001")["error"] == (
        "message_not_found"
    )
    assert call(client, "chat.meMessage", bot, channel=GENERAL)["error"] == "no_text"


def test_scheduled_message_is_posted_when_its_time_comes(emu, client, bot, facts):
    now = int(emu.world.now())
    assert call(client, "chat.scheduleMessage", bot, channel=GENERAL, text="x", post_at=now - 1)["error"] == (
        "time_in_past"
    )
    assert (
        call(client, "chat.scheduleMessage", bot, channel=GENERAL, text="x", post_at=now + 200 * 86400)["error"]
        == "time_too_far"
    )
    body = call(client, "chat.scheduleMessage", bot, channel=GENERAL, text="later", post_at=now + 3600)
    assert body["scheduled_message_id"].startswith("Q") and body["post_at"] == now + 3600
    other = call(client, "chat.scheduleMessage", bot, channel=GENERAL, text="never", post_at=now + 7200)
    listed = call(client, "chat.scheduledMessages.list", bot)["scheduled_messages"]
    assert [m["text"] for m in listed] == ["later", "never"]
    assert call(
        client, "chat.deleteScheduledMessage", bot, channel=GENERAL, scheduled_message_id=other["scheduled_message_id"]
    ) == {"ok": True}
    assert (
        call(
            client,
            "chat.deleteScheduledMessage",
            bot,
            channel=GENERAL,
            scheduled_message_id=other["scheduled_message_id"],
        )["error"]
        == "invalid_scheduled_message_id"
    )
    assert emu.messages(GENERAL) == []
    emu.advance_time(3601)
    call(client, "auth.test", bot)  # any call lets the emulator catch up with its moved clock
    assert [m["text"] for m in emu.messages(GENERAL)] == ["later"]
    assert kinds(facts) == ["message_posted"]
    assert call(client, "chat.scheduledMessages.list", bot)["scheduled_messages"] == []


def test_scheduled_messages_are_posted_on_time_without_any_call(emu, client, bot):
    import threading

    posted = threading.Event()
    seen: list[str] = []

    def listen(kind, data):
        if kind == "message_posted":
            seen.append(data["message"]["text"])
            if len(seen) == 2:
                posted.set()

    emu.bus.subscribe(listen)
    now = int(emu.world.now())
    call(client, "chat.scheduleMessage", bot, channel=GENERAL, text="second", post_at=now + 2)
    call(client, "chat.scheduleMessage", bot, channel=GENERAL, text="first", post_at=now + 1)
    call(client, "chat.scheduleMessage", bot, channel=GENERAL, text="much later", post_at=now + 86400)
    assert posted.wait(5), seen
    assert seen == ["first", "second"]
    assert [m["text"] for m in emu.messages(GENERAL)] == ["first", "second"]


# ---- reactions and pins ------------------------------------------------------------------------------------
def test_reactions_add_get_remove(emu, client, bot, user, facts):
    ts = call(client, "chat.postMessage", user, channel=GENERAL, text="nice")["ts"]
    assert call(client, "reactions.add", bot, channel=GENERAL, timestamp=ts, name="thumbsup") == {"ok": True}
    assert call(client, "reactions.add", user, channel=GENERAL, timestamp=ts, name=":thumbsup:")["ok"]
    assert call(client, "reactions.add", bot, channel=GENERAL, timestamp=ts, name="thumbsup")["error"] == (
        "already_reacted"
    )
    got = call(client, "reactions.get", bot, channel=GENERAL, timestamp=ts)
    assert got["type"] == "message" and got["channel"] == GENERAL
    assert got["message"]["reactions"] == [
        {"name": "thumbsup", "users": [emu.default_app["bot_user_id"], ADA], "count": 2}
    ]
    assert call(client, "reactions.remove", bot, channel=GENERAL, timestamp=ts, name="thumbsup") == {"ok": True}
    assert call(client, "reactions.remove", bot, channel=GENERAL, timestamp=ts, name="thumbsup")["error"] == (
        "no_reaction"
    )
    added = [d for k, d in facts if k == "reaction_added"]
    assert added[0] == {
        "channel_id": GENERAL,
        "ts": ts,
        "user": emu.default_app["bot_user_id"],
        "reaction": "thumbsup",
        "item_user": ADA,
    }
    assert kinds(facts).count("reaction_removed") == 1


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ({"name": "x"}, "no_item_specified"),
        ({"channel": GENERAL, "timestamp": "nope", "name": "x"}, "bad_timestamp"),
        ({"channel": GENERAL, "timestamp": "1.000001", "name": "x"}, "message_not_found"),
        ({"channel": "C_NOPE", "timestamp": "1.000001", "name": "x"}, "channel_not_found"),
    ],
)
def test_reaction_errors(client, bot, args, error):
    assert call(client, "reactions.add", bot, **args)["error"] == error


def test_pins_add_list_remove(emu, client, bot):
    ts = call(client, "chat.postMessage", bot, channel=GENERAL, text="pin me")["ts"]
    assert call(client, "pins.add", bot, channel=GENERAL, timestamp=ts) == {"ok": True}
    assert call(client, "pins.add", bot, channel=GENERAL, timestamp=ts)["error"] == "already_pinned"
    assert call(client, "conversations.history", bot, channel=GENERAL)["pin_count"] == 1
    [item] = call(client, "pins.list", bot, channel=GENERAL)["items"]
    assert item["type"] == "message" and item["message"]["ts"] == ts and item["message"]["pinned_to"] == [GENERAL]
    assert item["created_by"] == emu.default_app["bot_user_id"]
    assert call(client, "pins.remove", bot, channel=GENERAL, timestamp=ts) == {"ok": True}
    assert call(client, "pins.remove", bot, channel=GENERAL, timestamp=ts)["error"] == "no_pin"
    assert call(client, "pins.list", bot, channel=GENERAL)["items"] == []


# ---- team, bots, users ----------------------------------------------------------------------------------------
def test_team_info_bots_info_and_user_lookups(emu, client, bot):
    team = call(client, "team.info", bot)["team"]
    assert team["id"] == "T0EMU0001" and team["domain"] == "emulated" and team["icon"]["image_default"] is True
    assert call(client, "team.info", bot, team="T_OTHER")["error"] == "team_not_found"
    app = emu.default_app
    info = call(client, "bots.info", bot, bot=app["bot_id"])["bot"]
    assert info["id"] == app["bot_id"] and info["app_id"] == app["app_id"] and info["user_id"] == app["bot_user_id"]
    assert call(client, "bots.info", bot, bot="B_NOPE")["error"] == "bot_not_found"
    found = call(client, "users.lookupByEmail", bot, email="Grace@example.com")["user"]
    assert found["id"] == GRACE
    assert call(client, "users.lookupByEmail", bot, email="nobody@example.com")["error"] == "users_not_found"
    profile = call(client, "users.profile.get", bot, user=GRACE)["profile"]
    assert profile["real_name"] == "Grace Hopper" and profile["email"] == "grace@example.com"
    assert call(client, "users.profile.get", bot, user="U_NOPE")["error"] == "user_not_found"


def test_lookup_by_email_needs_its_scope(emu, client):
    narrow = emu.mint_token("bot", scopes=["users:read"])["token"]
    body = call(client, "users.lookupByEmail", narrow, email="grace@example.com")
    assert body["error"] == "missing_scope" and body["needed"] == "users:read.email"


def test_bot_messages_carry_bot_id_and_bot_profile(emu, client, bot):
    message = call(client, "chat.postMessage", bot, channel=GENERAL, text="beep")["message"]
    app = emu.default_app
    assert message["bot_id"] == app["bot_id"] and message["app_id"] == app["app_id"]
    assert message["bot_profile"]["id"] == app["bot_id"] and message["bot_profile"]["app_id"] == app["app_id"]
    assert message["user"] == app["bot_user_id"]


# ---- assistant threads, functions, streams ---------------------------------------------------------------------
def test_assistant_thread_status_title_and_prompts(emu, client, bot):
    dm = call(client, "conversations.open", bot, users=ADA)["channel"]["id"]
    ts = call(client, "chat.postMessage", bot, channel=dm, text="How can I help?")["ts"]
    assert call(client, "assistant.threads.setStatus", bot, channel_id=dm, thread_ts=ts, status="is thinking...") == {
        "ok": True
    }
    assert call(client, "assistant.threads.setTitle", bot, channel_id=dm, thread_ts=ts, title="Help") == {"ok": True}
    prompts = [{"title": "Summarise", "message": "Summarise the channel"}]
    assert call(client, "assistant.threads.setSuggestedPrompts", bot, channel_id=dm, thread_ts=ts, prompts=prompts)[
        "ok"
    ]
    thread = emu.world.assistant_threads[f"{dm}|{ts}"]
    assert (thread["status"], thread["title"], thread["prompts"]) == ("is thinking...", "Help", prompts)
    assert (
        call(client, "assistant.threads.setStatus", bot, channel_id=dm, thread_ts="nope", status="x")["error"]
        == "invalid_thread_ts"
    )
    assert (
        call(client, "assistant.threads.setStatus", bot, channel_id="D_NOPE", thread_ts=ts, status="x")["error"]
        == "channel_not_found"
    )
    assert (
        call(client, "assistant.threads.setSuggestedPrompts", bot, channel_id=dm, thread_ts=ts, prompts=prompts * 5)[
            "error"
        ]
        == "invalid_arguments"
    )
    user = emu.mint_token("user")["token"]
    assert (
        call(client, "assistant.threads.setTitle", user, channel_id=dm, thread_ts=ts, title="x")["error"]
        == "not_allowed_token_type"
    )
    call(client, "chat.postMessage", bot, channel=dm, thread_ts=ts, text="Here you go")
    assert emu.world.assistant_threads[f"{dm}|{ts}"]["status"] == ""  # the reply clears the status


def test_functions_complete_success_then_not_running(emu, client, facts):
    sample = {
        "title": "S",
        "description": "d",
        "input_parameters": {"properties": {"x": {"type": "integer"}}},
        "output_parameters": {"properties": {"y": {"type": "integer"}}},
    }
    creds = emu.install_app({"display_information": {"name": "Sampler"}, "functions": {"sample": sample}})
    bot = creds["bot_token"]
    with emu.world.lock:
        execution = functions.start(emu, emu.world.apps[creds["app_id"]], "sample", {"x": 1})
    assert call(client, "functions.completeSuccess", bot, function_execution_id=execution["id"], outputs={"y": 2}) == {
        "ok": True
    }
    assert emu.world.function_executions[execution["id"]]["outputs"] == {"y": 2}
    assert (
        call(client, "functions.completeError", bot, function_execution_id=execution["id"], error="late")["error"]
        == "execution_not_in_running_state"
    )
    assert (
        call(client, "functions.completeError", bot, function_execution_id="Fx0NOPE", error="x")["error"]
        == "function_execution_not_found"
    )
    # (starting it announced function_executed; a delivery to the app would publish delivery facts too)
    assert [k for k in kinds(facts) if not k.startswith("delivery")] == ["function_executed", "function_completed"]


def test_streamed_reply_start_append_stop(emu, client, bot, facts):
    parent = call(client, "chat.postMessage", bot, channel=GENERAL, text="q")["ts"]
    assert call(client, "chat.startStream", bot, channel=GENERAL, thread_ts=parent)["error"] == (
        "missing_recipient_user_id"
    )
    started = call(
        client,
        "chat.startStream",
        bot,
        channel=GENERAL,
        thread_ts=parent,
        markdown_text="Hel",
        recipient_user_id=ADA,
        recipient_team_id="T0EMU0001",
    )
    ts = started["ts"]
    assert call(client, "chat.appendStream", bot, channel=GENERAL, ts=ts, markdown_text="lo")["ok"]
    stopped = call(client, "chat.stopStream", bot, channel=GENERAL, ts=ts, markdown_text="!")
    assert stopped["message"]["text"] == "Hello!" and stopped["message"]["thread_ts"] == parent
    assert call(client, "chat.appendStream", bot, channel=GENERAL, ts=ts, markdown_text="x")["error"] == (
        "message_not_in_streaming_state"
    )
    assert call(client, "chat.appendStream", bot, channel=GENERAL, ts=parent, markdown_text="x")["error"] == (
        "message_not_in_streaming_state"
    )
    assert kinds(facts) == ["message_posted", "message_posted", "message_changed", "message_changed"]


def test_the_new_methods_have_slacks_rate_limit_tiers():
    from slackctl.emulator import start_emulator

    with start_emulator(rate_limits=True) as emu, httpx.Client(base_url=emu.url) as http:
        token = emu.mint_token("bot")["token"]
        answers = [call(http, "pins.list", token, channel=GENERAL)["ok"] for _ in range(20)]  # tier 2: 20 a minute
        assert answers == [True] * 20
        over = http.post("/api/pins.list", json={"channel": GENERAL}, headers={"Authorization": f"Bearer {token}"})
        assert over.status_code == 429 and int(over.headers["Retry-After"]) >= 1
        assert call(http, "pins.add", token, channel=GENERAL, timestamp="1.000001")["error"] == "message_not_found"


def test_ephemeral_messages_kept_per_user_are_bounded(emu):
    for i in range(ephemeral.MAX_KEPT + 10):
        ephemeral.add(emu, GENERAL, GRACE, {"text": str(i)})
    shown = ephemeral.for_user(emu, GENERAL, GRACE)
    assert len(shown) == ephemeral.MAX_KEPT and shown[-1]["text"] == str(ephemeral.MAX_KEPT + 9)
    assert shown[0]["text"] == "10"  # the oldest went first
