"""Bad input to the apps' Web API methods: every argument of every added method, one at a time, replaced by junk
(wrong types, huge, non-finite numbers, nested JSON) — always HTTP 200 with ok:false and an error code, or ok:true;
never a server error."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from slackctl.emulator import start_emulator
from slackctl.emulator.automation import functions
from slackctl.emulator.world import triggers
from slackctl.emulator.world.state import BOT_SCOPES

ROOT = Path(__file__).resolve().parents[2]
FACTS = json.loads((ROOT / "tests" / "data" / "slack-methods" / "slack-methods.json").read_text())["methods"]
METHODS = [
    "chat.postMessage",
    "chat.postEphemeral",
    "chat.scheduleMessage",
    "chat.scheduledMessages.list",
    "chat.deleteScheduledMessage",
    "chat.getPermalink",
    "chat.meMessage",
    "chat.startStream",
    "chat.appendStream",
    "chat.stopStream",
    "conversations.open",
    "conversations.replies",
    "conversations.members",
    "conversations.invite",
    "conversations.leave",
    "conversations.archive",
    "conversations.setTopic",
    "conversations.history",
    "conversations.list",
    "users.lookupByEmail",
    "users.conversations",
    "users.profile.get",
    "reactions.add",
    "reactions.remove",
    "reactions.get",
    "pins.add",
    "pins.remove",
    "pins.list",
    "views.open",
    "views.push",
    "views.update",
    "views.publish",
    "team.info",
    "bots.info",
    "assistant.threads.setStatus",
    "assistant.threads.setTitle",
    "assistant.threads.setSuggestedPrompts",
    "functions.completeSuccess",
    "functions.completeError",
]
JUNK = [
    "",
    "inf",
    "-inf",
    "nan",
    "1e999",
    "-1",
    0,
    -5,
    1.5,
    True,
    None,
    [],
    {},
    ["a", 1],
    {"a": {"b": [None]}},
    "\u0000\ud7ff\u202e",
    "9" * 5000,
    [{"type": 1}],
    "U_NOPE",
    "C_NOPE",
]
ADA, GENERAL = "U0EMU00001", "C0EMU00001"


@pytest.fixture(scope="module")
def world():
    # An app with a custom function "step", so functions.complete* meet a running execution of the caller's app.
    step = {
        "title": "Step",
        "description": "d",
        "input_parameters": {"properties": {}},
        "output_parameters": {"properties": {}},
    }
    manifest = {
        "display_information": {"name": "Junk"},
        "features": {"bot_user": {"display_name": "junk"}},
        "oauth_config": {"scopes": {"bot": BOT_SCOPES}},
        "functions": {"step": step},
    }
    with start_emulator(manifests=[manifest]) as emu, httpx.Client(base_url=emu.url, timeout=10) as http:
        token = next(a for a in emu.apps() if a["name"] == "Junk")["bot_token"]
        headers = {"Authorization": f"Bearer {token}"}
        ts = http.post("/api/chat.postMessage", json={"channel": GENERAL, "text": "base"}, headers=headers).json()["ts"]
        yield emu, http, headers, ts


def base_args(emu, ts: str) -> dict:
    """Arguments that make each method succeed, so a junk value reaches the code that reads it."""
    with emu.world.lock:
        app = next(a for a in emu.world.apps.values() if a["name"] == "Junk")
        execution = functions.start(emu, app, "step", {})
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "T"}, "blocks": []}
    return {
        "channel": GENERAL,
        "channel_id": GENERAL,
        "ts": ts,
        "timestamp": ts,
        "message_ts": ts,
        "thread_ts": ts,
        "text": "x",
        "markdown_text": "x",
        "user": ADA,
        "users": "U0EMU00002",
        "user_id": ADA,
        "email": "ada@example.com",
        "name": "tada",
        "topic": "t",
        "post_at": int(emu.world.now()) + 60,
        "view": modal,
        "trigger_id": triggers.mint(emu, ADA, app["app_id"]),
        "status": "s",
        "title": "t",
        "prompts": [{"title": "a", "message": "b"}],
        "recipient_user_id": ADA,
        "recipient_team_id": "T0EMU0001",
        "function_execution_id": execution["id"],
        "outputs": {},
        "error": "e",
        "bot": emu.default_app["bot_id"],
        "scheduled_message_id": "Q0NOPE",
    }


@pytest.mark.parametrize("name", METHODS)
def test_junk_in_any_argument_is_an_error_code_never_a_crash(world, name):
    emu, http, headers, ts = world
    args = [a for a in FACTS[name]["args"] if a != "token"]
    assert args
    failures = []
    for arg in args:
        for junk in JUNK:
            params = {a: v for a, v in base_args(emu, ts).items() if a in args}
            params[arg] = junk
            for as_json in (True, False):
                if as_json:
                    resp = http.post(f"/api/{name}", json=params, headers=headers)
                else:
                    form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
                    resp = http.post(f"/api/{name}", data=form, headers=headers)
                body = resp.json() if resp.headers.get("content-type", "").startswith("application/json") else None
                good = (
                    resp.status_code == 200
                    and isinstance(body, dict)
                    and isinstance(body.get("ok"), bool)
                    and (body["ok"] or isinstance(body.get("error"), str))
                )
                if not good:
                    failures.append((arg, repr(junk)[:30], as_json, resp.status_code, resp.text[:120]))
    assert failures == []
