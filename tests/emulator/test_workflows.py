"""Workflows in the emulator over real HTTP: triggers through workflows.triggers.* (Slack's shapes and errors),
webhook, scheduled and event triggers, the built-in Slack functions, open_form, custom function outputs checked
against output_parameters, timeouts, apps.activities.list, and save/reset of all of it."""

from __future__ import annotations

import copy
import json
import time
from typing import Any

import httpx
import pytest

from slackctl.emulator.server import start_emulator

GENERAL, ADA, GRACE = "C0EMU00001", "U0EMU00001", "U0EMU00002"
SCOPES = ["chat:write", "triggers:write", "triggers:read", "reactions:write", "channels:manage"]


def manifest(workflows: dict[str, Any], functions: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "_metadata": {"major_version": 2},
        "display_information": {"name": "Flows"},
        "features": {"bot_user": {"display_name": "flows"}},
        "oauth_config": {"scopes": {"bot": SCOPES}},
        "settings": {
            "event_subscriptions": {"bot_events": ["function_executed"]},
            "org_deploy_enabled": True,
            "socket_mode_enabled": True,
            "function_runtime": "remote",
        },
        "functions": functions or {},
        "workflows": workflows,
    }


def wf(
    steps: list[dict[str, Any]],
    inputs: dict[str, str] | None = None,
    required: list[str] | None = None,
) -> dict[str, Any]:
    props = {name: {"type": t} for name, t in (inputs or {}).items()}
    return {
        "title": "W",
        "description": "d",
        "steps": steps,
        "input_parameters": {"properties": props, "required": required or []},
    }


def step(i: int, function: str, **inputs: Any) -> dict[str, Any]:
    return {
        "id": str(i),
        "function_id": function if function.startswith(("#", "slack#")) else f"slack#/functions/{function}",
        "inputs": inputs,
    }


GREET = {
    "greet": {
        "title": "Greet",
        "description": "d",
        "input_parameters": {"properties": {"who": {"type": "slack#/types/user_id"}}, "required": ["who"]},
        "output_parameters": {
            "properties": {"greeting": {"type": "string"}, "count": {"type": "integer"}},
            "required": ["greeting"],
        },
    }
}
WORKFLOWS = {
    "announce": wf(
        [
            step(0, "send_message", channel_id="{{inputs.channel}}", message="Hi <@{{inputs.user}}>"),
            step(1, "reply_in_thread", message_context="{{steps.0.message_context}}", message="in thread"),
            step(2, "add_reaction", message_context="{{steps.0.message_context}}", emoji="tada"),
            step(
                3,
                "send_ephemeral_message",
                channel_id="{{inputs.channel}}",
                user_id="{{inputs.user}}",
                message="only you",
            ),
        ],
        {"channel": "slack#/types/channel_id", "user": "slack#/types/user_id"},
        ["channel", "user"],
    ),
    "hooked": wf(
        [step(0, "send_message", channel_id=GENERAL, message="hook says {{inputs.word}}")], {"word": "string"}, ["word"]
    ),
    "greeter": wf(
        [
            step(0, "#/functions/greet", who="{{inputs.user}}"),
            step(1, "send_dm", user_id="{{inputs.user}}", message="{{steps.0.greeting}}"),
        ],
        {"user": "slack#/types/user_id"},
        ["user"],
    ),
    "form": wf(
        [
            step(
                0,
                "open_form",
                title="Tell me",
                interactivity="{{inputs.interactivity}}",
                fields={
                    "elements": [
                        {"name": "topic", "title": "Topic", "type": "string"},
                        {"name": "count", "title": "Count", "type": "integer"},
                    ],
                    "required": ["topic"],
                },
            ),
            step(1, "create_channel", channel_name="{{steps.0.fields.topic}}"),
            step(2, "invite_user_to_channel", channel_ids=["{{steps.1.channel_id}}"], user_ids=[GRACE]),
        ],
        {"interactivity": "slack#/types/interactivity"},
        ["interactivity"],
    ),
    "approve": wf(
        [
            step(
                0,
                "send_message",
                channel_id=GENERAL,
                message="Approve?",
                interactive_blocks=[
                    {
                        "type": "actions",
                        "elements": [
                            {
                                "type": "button",
                                "action_id": "yes",
                                "value": "ok",
                                "text": {"type": "plain_text", "text": "Yes"},
                            }
                        ],
                    }
                ],
            ),
            step(
                1,
                "send_message",
                channel_id=GENERAL,
                message="{{steps.0.action.action_id}} by <@{{steps.0.interactivity.interactor.id}}>",
            ),
        ]
    ),
    "pause": wf(
        [step(0, "delay", minutes_to_delay=1), step(1, "send_message", channel_id=GENERAL, message="after the pause")]
    ),
}


@pytest.fixture
def emu() -> Any:
    with start_emulator(manifests=[manifest(WORKFLOWS, GREET)], time_scale=600) as emu:
        yield emu


def app_of(emu: Any) -> dict[str, Any]:
    return next(a for a in emu.apps() if a["name"] == "Flows")


def api(emu: Any, method: str, token: str | None = None, **body: Any) -> dict[str, Any]:
    token = token or app_of(emu)["bot_token"]
    return httpx.post(f"{emu.url}/api/{method}", json=body, headers={"Authorization": f"Bearer {token}"}).json()


def create(emu: Any, workflow: str, kind: str = "shortcut", **extra: Any) -> dict[str, Any]:
    answer = api(
        emu,
        "workflows.triggers.create",
        type=kind,
        name=f"{workflow} trigger",
        workflow=f"#/workflows/{workflow}",
        **extra,
    )
    assert answer["ok"], answer
    return answer["trigger"]


def wait_ended(emu: Any, execution_id: str, timeout: float = 5.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        (found,) = httpx.get(f"{emu.url}/_emulator/executions", params={"id": execution_id}).json()["executions"]
        if found["status"] != "running":
            return found
        time.sleep(0.02)
    raise AssertionError(f"{execution_id} still running: {found}")


LINK_INPUTS = {"channel": {"value": "{{data.channel_id}}"}, "user": {"value": "{{data.user_id}}"}}


# ---- workflows.triggers.* ---------------------------------------------------------------------------------------
def test_a_link_trigger_has_slacks_shape_and_runs_its_steps_in_order(emu: Any) -> None:
    trigger = create(emu, "announce", inputs=LINK_INPUTS)
    assert trigger["id"].startswith("Ft") and trigger["type"] == "shortcut"
    assert trigger["shortcut_url"].startswith(f"{emu.url}/shortcuts/{trigger['id']}/")
    assert trigger["workflow"]["callback_id"] == "announce" and trigger["workflow"]["id"].startswith("Wf")
    assert trigger["inputs"] == LINK_INPUTS
    run = httpx.post(
        f"{emu.url}/_emulator/drive/trigger", json={"trigger_id": trigger["id"], "user": "grace", "channel": "#general"}
    ).json()["result"]
    done = wait_ended(emu, run["workflow_execution_id"])
    assert done["status"] == "completed", done
    assert [s["status"] for s in done["steps"]] == ["completed"] * 4
    root = next(m for m in emu.messages("general") if m.get("text") == f"Hi <@{GRACE}>")
    assert done["steps"][0]["outputs"]["message_context"] == {"channel_id": GENERAL, "message_ts": root["ts"]}
    reply = next(m for m in emu.messages("general") if m.get("text") == "in thread")
    assert reply["thread_ts"] == root["ts"]
    assert root["reactions"][0]["name"] == "tada"
    shown = emu.user("grace").messages("#general")
    assert any(m.get("ephemeral") and m["text"] == "only you" for m in shown)
    assert not any(m.get("text") == "only you" for m in emu.user("ada").messages("#general"))


def test_create_refuses_what_slack_refuses(emu: Any) -> None:
    assert (
        api(emu, "workflows.triggers.create", type="link", name="x", workflow="#/workflows/announce")["error"]
        == "invalid_trigger_type"
    )
    assert (
        api(emu, "workflows.triggers.create", type="shortcut", name="x", workflow="#/workflows/nope")["error"]
        == "workflow_not_found"
    )
    assert (
        api(emu, "workflows.triggers.create", type="shortcut", name="x", workflow="announce")["error"]
        == "invalid_workflow_id"
    )
    missing = api(
        emu,
        "workflows.triggers.create",
        type="shortcut",
        name="x",
        workflow="#/workflows/announce",
        inputs={"channel": {"value": GENERAL}},
    )
    assert missing["error"] == "invalid_trigger_inputs"
    assert missing["errors"][0]["missing_parameter_name"] == "user"
    wrong = api(
        emu,
        "workflows.triggers.create",
        type="webhook",
        name="x",
        workflow="#/workflows/hooked",
        inputs={"word": {"value": 5}},
    )
    assert wrong["error"] == "invalid_trigger_inputs" and "string" in wrong["errors"][0]["message"]
    assert (
        api(
            emu,
            "workflows.triggers.create",
            type="scheduled",
            name="x",
            workflow="#/workflows/pause",
            schedule={"frequency": {"type": "daily"}},
        )["error"]
        == "invalid_trigger_config"
    )


def test_triggers_need_the_triggers_scopes(emu: Any) -> None:
    token = emu.mint_token("bot", scopes=["chat:write"], app_id=app_of(emu)["app_id"])["token"]
    answer = api(
        emu,
        "workflows.triggers.create",
        token,
        type="shortcut",
        name="x",
        workflow="#/workflows/announce",
        inputs=LINK_INPUTS,
    )
    assert answer["error"] == "missing_scope" and answer["needed"] == "triggers:write"


def test_info_update_list_delete(emu: Any) -> None:
    first = create(emu, "announce", inputs=LINK_INPUTS)
    second = create(emu, "hooked", "webhook", inputs={"word": {"value": "{{data.word}}"}})
    assert api(emu, "workflows.triggers.info", trigger_id=second["id"])["trigger"] == second
    updated = api(
        emu,
        "workflows.triggers.update",
        trigger_id=first["id"],
        type="shortcut",
        name="renamed",
        workflow="#/workflows/announce",
        inputs=LINK_INPUTS,
    )["trigger"]
    assert updated["name"] == "renamed" and updated["id"] == first["id"]
    assert updated["shortcut_url"] == first["shortcut_url"]
    page = api(emu, "workflows.triggers.list", limit=1)
    assert len(page["triggers"]) == 1 and page["response_metadata"]["next_cursor"]
    rest = api(emu, "workflows.triggers.list", limit=1, cursor=page["response_metadata"]["next_cursor"])
    assert {page["triggers"][0]["id"], rest["triggers"][0]["id"]} == {first["id"], second["id"]}
    assert [t["id"] for t in api(emu, "workflows.triggers.list", type="webhook")["triggers"]] == [second["id"]]
    assert api(emu, "workflows.triggers.delete", trigger_id=first["id"]) == {"ok": True}
    assert api(emu, "workflows.triggers.info", trigger_id=first["id"])["error"] == "trigger_not_found"


def test_trigger_permissions_decide_who_may_click(emu: Any) -> None:
    trigger = create(emu, "announce", inputs=LINK_INPUTS)
    answer = api(
        emu,
        "workflows.triggers.permissions.set",
        trigger_id=trigger["id"],
        permission_type="named_entities",
        user_ids=[ADA],
    )
    assert answer["permission_type"] == "named_entities" and answer["user_ids"] == [ADA]
    refused = httpx.post(
        f"{emu.url}/_emulator/drive/trigger", json={"trigger_id": trigger["id"], "user": "grace"}
    ).json()
    assert not refused["ok"] and "may not run" in refused["message"]
    assert api(emu, "workflows.triggers.permissions.add", trigger_id=trigger["id"], user_ids=[GRACE])["user_ids"] == [
        ADA,
        GRACE,
    ]
    assert httpx.post(f"{emu.url}/_emulator/drive/trigger", json={"trigger_id": trigger["id"], "user": "grace"}).json()[
        "ok"
    ]
    assert api(emu, "workflows.triggers.permissions.list", trigger_id=trigger["id"])["user_ids"] == [ADA, GRACE]


# ---- webhook, scheduled and event triggers ---------------------------------------------------------------------
def test_a_webhook_trigger_runs_its_workflow_with_the_posted_json(emu: Any) -> None:
    trigger = create(emu, "hooked", "webhook", inputs={"word": {"value": "{{data.word}}"}})
    url = trigger["webhook_url"]
    assert url.startswith(f"{emu.url}/triggers/T0EMU0001/")
    answer = httpx.post(url, content=json.dumps({"word": "hello"}), headers={"Content-Type": "application/json"})
    assert answer.status_code == 200 and answer.json() == {"ok": True}
    (run,) = [e for e in httpx.get(f"{emu.url}/_emulator/executions").json()["executions"] if e["kind"] == "workflow"]
    assert wait_ended(emu, run["workflow_execution_id"])["status"] == "completed"
    assert any(m.get("text") == "hook says hello" for m in emu.messages("general"))
    assert httpx.post(url, content=b"[1]").status_code == 400
    assert httpx.post(url.rsplit("/", 1)[0] + "/wrong", json={}).status_code == 404
    logged = [r["path"] for r in emu.requests("trigger_webhook")]
    assert logged and all(url.rsplit("/", 1)[1] not in p for p in logged)


def test_a_scheduled_trigger_fires_on_the_scaled_clock(emu: Any) -> None:
    # 10 minutes ahead at --time-scale 600 is one second of real time; hourly repeats every 6 s.
    start = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 600))
    trigger = create(
        emu,
        "hooked",
        "scheduled",
        inputs={"word": {"value": "tick"}},
        schedule={"start_time": start, "frequency": {"type": "hourly"}},
    )
    assert trigger["schedule"]["start_time"] == start
    began = time.monotonic()
    deadline = began + 5
    while not any(m.get("text") == "hook says tick" for m in emu.messages("general")):
        assert time.monotonic() < deadline, "the scheduled trigger did not fire"
        time.sleep(0.05)
    assert 0.5 < time.monotonic() - began < 4


def test_an_event_trigger_fires_on_a_reaction_in_its_channel(emu: Any) -> None:
    create(
        emu,
        "hooked",
        "event",
        inputs={"word": {"value": "{{data.reaction}}"}},
        event={"event_type": "slack#/events/reaction_added", "channel_ids": [GENERAL]},
    )
    posted = emu.user("ada").post("#general", "react here")
    emu.user("grace").react("#general", posted["ts"], "rocket")
    deadline = time.monotonic() + 5
    while not any(m.get("text") == "hook says rocket" for m in emu.messages("general")):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    other = emu.user("ada").post("#random", "elsewhere")
    emu.user("grace").react("#random", other["ts"], "eyes")
    time.sleep(0.3)
    assert not any(m.get("text") == "hook says eyes" for m in emu.messages("general"))


# ---- custom functions, forms, delays ---------------------------------------------------------------------------
def _running_function(emu: Any) -> dict[str, Any]:
    with emu.world.lock:
        return next(copy.deepcopy(e) for e in emu.world.function_executions.values() if e["status"] == "running")


def test_outputs_are_checked_against_output_parameters(emu: Any) -> None:
    trigger = create(emu, "greeter", "webhook", inputs={"user": {"value": "{{data.user}}"}})
    httpx.post(trigger["webhook_url"], json={"user": GRACE})
    function = _running_function(emu)
    token = function["bot_access_token"]
    missing = api(emu, "functions.completeSuccess", token, function_execution_id=function["id"], outputs={})
    assert missing["error"] == "parameter_validation_failed" and "greeting" in missing["errors"][0]["message"]
    typed = api(
        emu,
        "functions.completeSuccess",
        token,
        function_execution_id=function["id"],
        outputs={"greeting": "hi", "count": "two"},
    )
    assert typed["error"] == "parameter_validation_failed"
    assert api(
        emu,
        "functions.completeSuccess",
        token,
        function_execution_id=function["id"],
        outputs={"greeting": "Hello Grace", "count": 2},
    )["ok"]
    done = wait_ended(emu, function["workflow_execution_id"])
    assert done["status"] == "completed" and done["steps"][0]["outputs"]["greeting"] == "Hello Grace"
    assert any(m.get("text") == "Hello Grace" for m in emu.user("grace").messages("@flows"))


def test_complete_error_fails_the_workflow_and_the_activity_log_says_so(emu: Any) -> None:
    trigger = create(emu, "greeter", "webhook", inputs={"user": {"value": "{{data.user}}"}})
    httpx.post(trigger["webhook_url"], json={"user": GRACE})
    function = _running_function(emu)
    assert api(
        emu,
        "functions.completeError",
        function["bot_access_token"],
        function_execution_id=function["id"],
        error="no greeting today",
    )["ok"]
    done = wait_ended(emu, function["workflow_execution_id"])
    assert done["status"] == "failed" and "no greeting today" in done["error"]
    assert done["steps"][1]["status"] == "pending"
    user = emu.mint_token("user", scopes=["hosting:read"])["token"]
    errors = api(emu, "apps.activities.list", user, app_id=app_of(emu)["app_id"], min_log_level="error")
    assert {a["event_type"] for a in errors["activities"]} == {
        "function_execution_result",
        "workflow_step_execution_result",
        "workflow_execution_result",
    }
    assert all(a["level"] == "error" for a in errors["activities"])


def test_a_function_the_app_never_completes_times_out(emu: Any) -> None:
    emu.time_scale = 900 * 5  # the 15-minute limit in 0.2 s
    trigger = create(emu, "greeter", "webhook", inputs={"user": {"value": "{{data.user}}"}})
    httpx.post(trigger["webhook_url"], json={"user": GRACE})
    function = _running_function(emu)
    done = wait_ended(emu, function["workflow_execution_id"])
    assert done["status"] == "failed" and "function_execution_timed_out" in done["error"]


def test_open_form_shows_a_modal_and_its_submission_feeds_later_steps(emu: Any) -> None:
    trigger = create(emu, "form", inputs={"interactivity": {"value": "{{data.interactivity}}"}})
    run = emu.user("ada").trigger(trigger["id"])
    (modal,) = emu.user("ada").views()["modals"]
    assert modal["title"]["text"] == "Tell me" and [b["block_id"] for b in modal["blocks"]] == ["topic", "count"]
    emu.user("ada").submit(modal["id"], {"topic": "launch-room", "count": "3"})
    done = wait_ended(emu, run["workflow_execution_id"])
    assert done["status"] == "completed", done
    assert done["steps"][0]["outputs"]["fields"] == {"topic": "launch-room", "count": 3}
    channel = emu.world.find_channel("launch-room")
    assert channel is not None and GRACE in channel["members"]
    assert emu.user("ada").views()["modals"] == []


def test_a_delay_step_waits_on_the_scaled_clock(emu: Any) -> None:
    run = emu.user("ada").trigger(create(emu, "pause")["id"])
    assert run["steps"][0]["status"] == "running"
    done = wait_ended(emu, run["workflow_execution_id"])  # one minute at scale 600: 0.1 s
    assert done["status"] == "completed"


def test_activities_page_with_cursors_newest_first(emu: Any) -> None:
    trigger = create(emu, "hooked", "webhook", inputs={"word": {"value": "{{data.word}}"}})
    for word in ("a", "b"):
        httpx.post(trigger["webhook_url"], json={"word": word})
    user = emu.mint_token("user", scopes=["hosting:read"])["token"]
    app_id = app_of(emu)["app_id"]
    seen, cursor = [], ""
    while True:
        page = api(emu, "apps.activities.list", user, app_id=app_id, limit=3, cursor=cursor)
        seen += page["activities"]
        cursor = page["response_metadata"]["next_cursor"]
        if not cursor:
            break
    created = [a["created"] for a in seen]
    assert created == sorted(created, reverse=True) and len(set(created)) == len(created)
    assert [a["event_type"] for a in seen].count("trigger_executed") == 2
    only = api(
        emu, "apps.activities.list", user, app_id=app_id, log_event_type="trigger_executed", component_type="workflows"
    )
    assert [a["component_id"] for a in only["activities"]] == [trigger["id"]] * 2
    bot = app_of(emu)["bot_token"]
    assert api(emu, "apps.activities.list", bot, app_id=app_id)["error"] == "not_allowed_token_type"
    assert api(emu, "apps.activities.list", user, app_id=app_id, min_log_level="loud")["error"] == "invalid_args"


def test_reset_clears_and_save_restores_workflow_state(tmp_path: Any) -> None:
    state = tmp_path / "state.json"
    with start_emulator(manifests=[manifest(WORKFLOWS, GREET)], state_file=state) as emu:
        trigger = create(emu, "hooked", "webhook", inputs={"word": {"value": "{{data.word}}"}})
        httpx.post(trigger["webhook_url"], json={"word": "saved"})
    with start_emulator(state_file=state) as emu:
        assert trigger["id"] in emu.world.workflow_triggers
        assert [
            e["status"]
            for e in httpx.get(f"{emu.url}/_emulator/executions").json()["executions"]
            if e["kind"] == "workflow"
        ] == ["completed"]
        assert emu.world.activities
        emu.reset()
        assert not emu.world.workflow_triggers and not emu.world.workflow_executions and not emu.world.activities


# ---- the manifest checks -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("steps", "problem"),
    [
        ([step(0, "#/functions/nope")], "unknown function '#/functions/nope'"),
        ([step(0, "send_message", message="hi")], "missing required input 'channel_id'"),
        ([step(0, "send_message", channel_id=5, message="hi")], "expected a string"),
        ([step(0, "delay", minutes_to_delay="soon")], "expected an integer"),
        ([step(0, "send_message", channel_id="{{inputs.nope}}", message="x")], "names no input"),
        (
            [
                step(0, "send_message", channel_id=GENERAL, message="{{steps.1.x}}"),
                step(1, "send_message", channel_id=GENERAL, message="x"),
            ],
            "names no earlier step",
        ),
        ([step(0, "send_message", channel_id=GENERAL, message="x", colour="red")], "has no input 'colour'"),
    ],
)
def test_the_emulator_refuses_a_manifest_whose_workflow_slack_would_refuse(steps: Any, problem: str) -> None:
    with start_emulator() as emu:
        answer = httpx.post(f"{emu.url}/_emulator/apps", json={"manifest": manifest({"bad": wf(steps)})})
        assert answer.status_code == 400 and problem in answer.json()["error"]
        assert "/workflows/bad/steps/" in answer.json()["error"]


def test_apps_manifest_create_refuses_a_workflow_slack_would_refuse() -> None:
    with start_emulator() as emu:
        token = emu.mint_token("config")["token"]
        bad = manifest({"bad": wf([step(0, "send_message", message="no channel")])})
        answer = httpx.post(
            f"{emu.url}/api/apps.manifest.create", json={"manifest": bad}, headers={"Authorization": f"Bearer {token}"}
        ).json()
        assert answer["error"] == "invalid_manifest"
        assert answer["errors"] == [
            {
                "message": "missing required input 'channel_id' of slack#/functions/send_message",
                "pointer": "/workflows/bad/steps/0/inputs",
            }
        ]


def test_under_emulator_exec_a_webhook_url_is_slacks_and_reaches_the_emulator(emu: Any, tmp_path: Any) -> None:
    import os
    import subprocess
    import sys

    # What an app under `emulator exec` sends: the proxy keeps the Host it asked for (slack.com).
    token = app_of(emu)["bot_token"]
    made = httpx.post(
        f"{emu.url}/api/workflows.triggers.create",
        headers={"Authorization": f"Bearer {token}", "Host": "slack.com"},
        json={
            "type": "webhook",
            "name": "hook",
            "workflow": "#/workflows/hooked",
            "inputs": {"word": {"value": "{{data.word}}"}},
        },
    ).json()["trigger"]
    assert made["webhook_url"].startswith("https://hooks.slack.com/triggers/T0EMU0001/")
    assert create(emu, "hooked", "webhook", inputs={"word": {"value": "x"}})["webhook_url"].startswith(emu.url)
    script = tmp_path / "post.py"
    script.write_text(
        "import json, sys, urllib.request\n"
        "req = urllib.request.Request(sys.argv[1], data=json.dumps({'word': 'proxied'}).encode(),"
        " headers={'Content-Type': 'application/json'})\n"
        "print(urllib.request.urlopen(req, timeout=10).read().decode())\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "slackctl", "emulator", "exec", "--", sys.executable, str(script), made["webhook_url"]],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SLACKCTL_SLACK_URL": emu.url},
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"ok": True}
    deadline = time.monotonic() + 5
    while not any(m.get("text") == "hook says proxied" for m in emu.messages("general")):
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_a_function_still_running_at_shutdown_times_out_after_a_restart(tmp_path: Any) -> None:
    state = tmp_path / "state.json"
    with start_emulator(manifests=[manifest(WORKFLOWS, GREET)], state_file=state, time_scale=900 * 5) as emu:
        trigger = create(emu, "greeter", "webhook", inputs={"user": {"value": "{{data.user}}"}})
        emu.deliveries.close()  # no timer left to fire: only the restart can end it
        httpx.post(trigger["webhook_url"], json={"user": GRACE})
        run = _running_function(emu)["workflow_execution_id"]
    with start_emulator(state_file=state) as emu:
        assert wait_ended(emu, run)["error"].endswith("function_execution_timed_out")


def test_interactive_blocks_make_send_message_wait_for_the_click(emu: Any) -> None:
    run = emu.user("ada").trigger(create(emu, "approve")["id"])
    assert run["steps"][0]["status"] == "running"
    asked = next(m for m in emu.messages("general") if m.get("text") == "Approve?")
    clicked = emu.user("grace").click("yes", message=f"#general:{asked['ts']}")
    assert clicked["workflow_execution_id"] == run["workflow_execution_id"]
    done = wait_ended(emu, run["workflow_execution_id"])
    assert done["status"] == "completed"
    assert done["steps"][0]["outputs"]["action"]["value"] == "ok"
    assert any(m.get("text") == f"yes by <@{GRACE}>" for m in emu.messages("general"))
    assert emu.deliveries_log() == [d for d in emu.deliveries_log() if d["type"] != "block_actions"]


def test_trigger_filters_decide_which_posts_and_events_run_the_workflow(emu: Any) -> None:
    words = {"word": {"value": "{{data.word}}"}}
    only_big = {
        "version": 1,
        "root": {
            "operator": "AND",
            "inputs": [
                {"statement": "{{data.size}} > 3"},
                {"operator": "NOT", "inputs": [{"statement": "{{data.word}} == skip"}]},
            ],
        },
    }
    hook = create(emu, "hooked", "webhook", inputs=words, webhook={"filter": only_big})
    for body in ({"word": "small", "size": 1}, {"word": "skip", "size": 9}, {"word": "big", "size": 9}):
        assert httpx.post(hook["webhook_url"], json=body).json() == {"ok": True}
    deadline = time.monotonic() + 5
    while not any(m.get("text") == "hook says big" for m in emu.messages("general")):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert [e["inputs"]["word"] for e in emu.world.workflow_executions.values()] == ["big"]
    create(
        emu,
        "hooked",
        "event",
        inputs={"word": {"value": "{{data.reaction}}"}},
        event={
            "event_type": "slack#/events/reaction_added",
            "filter": {"version": 1, "root": {"statement": "{{data.reaction}} == rocket"}},
        },
    )
    posted = emu.user("ada").post("#general", "react")
    emu.user("grace").react("#general", posted["ts"], "eyes")
    emu.user("grace").react("#general", posted["ts"], "rocket")
    deadline = time.monotonic() + 5
    while not any(m.get("text") == "hook says rocket" for m in emu.messages("general")):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert not any(m.get("text") == "hook says eyes" for m in emu.messages("general"))
    bad = api(
        emu,
        "workflows.triggers.create",
        type="webhook",
        name="x",
        workflow="#/workflows/hooked",
        inputs=words,
        webhook={"filter": {"version": 1, "root": {"statement": "{{data.a}} ~ b"}}},
    )
    assert bad["error"] == "invalid_trigger_config"
