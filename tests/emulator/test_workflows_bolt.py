"""A real slack_bolt app with an @app.function custom step (the shape of Slack's custom-step sample) runs in a
workflow of its manifest: a link trigger starts it, send_message posts, the step DMs a button, the scripted user
clicks it, Bolt's complete() ends the step with outputs, and the execution and activity log show it completed."""

from __future__ import annotations

from typing import Any

import pytest
from slack_bolt import App
from slack_sdk import WebClient

from tests.emulator.stepper import ASK_TEXT, CLICK_TEXT, MANIFEST, link_trigger, stepper_app


@pytest.fixture
def slack_manifest() -> dict[str, Any]:
    return MANIFEST


@pytest.fixture
def bolt(slack: Any, slack_app: dict[str, Any]) -> App:
    app = stepper_app(slack.api_url, slack_app)
    slack.connect(app)
    return app


def _link_trigger(slack: Any, slack_app: dict[str, Any]) -> dict[str, Any]:
    return link_trigger(slack.api_url, slack_app)


def test_a_link_trigger_runs_the_workflow_through_the_bolt_custom_step(
    slack: Any, slack_app: dict[str, Any], bolt: App
) -> None:
    trigger = _link_trigger(slack, slack_app)
    assert trigger["id"].startswith("Ft") and trigger["shortcut_url"].startswith(slack.url)
    started = slack.trigger(trigger["id"], as_user="grace", channel="#general")
    assert started["steps"][0]["status"] == "completed"
    slack.wait_for_message("#general", lambda m: m.get("text") == "Started for <@U0EMU00002>", as_user="grace")
    button = slack.wait_for_message("@stepper", lambda m: m.get("text") == CLICK_TEXT, as_user="grace")
    slack.user("grace").click("sample_click", message=f"@stepper:{button['ts']}")
    done = slack.wait_for_execution(started["workflow_execution_id"])
    assert done["status"] == "completed", done
    assert [s["status"] for s in done["steps"]] == ["completed"] * 3
    assert done["steps"][1]["outputs"] == {"user_id": "U0EMU00002"}
    slack.wait_for_message("#general", lambda m: m.get("text") == "<@U0EMU00002> clicked", as_user="grace")
    (function,) = [e for e in slack.executions() if e["kind"] == "function"]
    assert function["status"] == "completed" and function["workflow_execution_id"] == done["workflow_execution_id"]
    kinds = [a["event_type"] for a in slack.emu.world.activities]
    assert kinds[0] == "trigger_executed" and kinds[-1] == "workflow_execution_result"
    assert "function_execution_result" in kinds


def test_run_function_alone_completes_when_the_user_clicks(slack: Any, slack_app: dict[str, Any], bolt: App) -> None:
    started = slack.run_function("sample_step", {"user_id": "U0EMU00003"}, wait=0.5)
    assert started["status"] == "running" and started["outputs"] is None
    button = slack.wait_for_message("@stepper", lambda m: m.get("text") == CLICK_TEXT, as_user="linus")
    slack.user("linus").click("sample_click", message=f"@stepper:{button['ts']}")
    (done,) = [slack.wait_for_execution(started["function_execution_id"])]
    assert done["status"] == "completed" and done["outputs"] == {"user_id": "U0EMU00003"}


def test_a_function_token_stops_working_once_the_step_completed(
    slack: Any, slack_app: dict[str, Any], bolt: App
) -> None:
    started = slack.run_function("sample_step", {"user_id": "U0EMU00003"}, wait=0.2)
    with slack.emu.world.lock:
        token = slack.emu.world.function_executions[started["function_execution_id"]]["bot_access_token"]
    client = WebClient(token=token, base_url=slack.api_url)
    assert token.startswith("xwfp-") and client.auth_test()["ok"]
    client.functions_completeSuccess(
        function_execution_id=started["function_execution_id"], outputs={"user_id": "U0EMU00003"}
    )
    from slack_sdk.errors import SlackApiError

    with pytest.raises(SlackApiError) as err:
        client.auth_test()
    assert err.value.response["error"] == "token_revoked"


def test_emulator_function_prints_the_outputs_of_a_completed_step(cli: Any, slack: Any, bolt: App) -> None:
    import json

    out = cli(
        "emulator",
        "function",
        "shout",
        "--input",
        "text=hey",
        "--input",
        "times=2",
        "--wait",
        "5",
        "--slack-url",
        slack.url,
    )
    assert out.exit_code == 0, out.output
    result = json.loads(out.stdout)
    assert set(result) == {"function_execution_id", "status", "outputs", "error"}
    assert result["status"] == "completed" and result["outputs"] == {"text": "HEYHEY"}
    listed = cli("emulator", "executions", result["function_execution_id"], "--slack-url", slack.url)
    (shown,) = [json.loads(line) for line in listed.stdout.splitlines()]
    assert shown["inputs"] == {"text": "hey", "times": 2} and shown["status"] == "completed"


def test_emulator_function_exit_1_when_the_step_fails_and_2_for_bad_input(cli: Any, slack: Any, bolt: App) -> None:
    import json

    out = cli("emulator", "function", "shout", "--input", "text=hey", "--input", "times=0", "--slack-url", slack.url)
    assert out.exit_code == 1
    assert json.loads(out.stdout)["error"] == "times must be at least 1"
    bad = cli("emulator", "function", "shout", "--input", "times=many", "--slack-url", slack.url)
    assert bad.exit_code == 2 and "--input times=many: the input times is of type integer" in bad.output
    missing = cli("emulator", "function", "shout", "--slack-url", slack.url)
    assert missing.exit_code == 2 and "missing required input 'text'" in missing.output
    unknown = cli("emulator", "executions", "Wx0NOPE", "--slack-url", slack.url)
    assert unknown.exit_code == 2 and "no execution Wx0NOPE" in unknown.output


def test_emulator_trigger_starts_the_workflow_from_the_cli(
    cli: Any, slack: Any, slack_app: dict[str, Any], bolt: App
) -> None:
    import json

    trigger = _link_trigger(slack, slack_app)
    out = cli("emulator", "trigger", trigger["id"], "--as", "linus", "--channel", "#random", "--slack-url", slack.url)
    assert out.exit_code == 0, out.output
    run = json.loads(out.stdout)
    assert run["inputs"] == {"user_id": "U0EMU00003", "channel_id": "C0EMU00002"}
    assert run["steps"][1]["status"] == "running"
    assert cli("emulator", "trigger", "Ft0NOPE", "--slack-url", slack.url).exit_code == 2


def test_a_modal_opened_by_the_step_completes_it_on_submission(slack: Any, bolt: App) -> None:
    started = slack.run_function("ask_step", {"user_id": "U0EMU00004"}, wait=0.2)
    button = slack.wait_for_message("@stepper", lambda m: m.get("text") == ASK_TEXT, as_user="margaret")
    slack.user("margaret").click("ask_open", message=f"@stepper:{button['ts']}")
    modal = slack.wait_for_view(lambda v: v.get("callback_id") == "ask_modal", as_user="margaret")
    assert "function_execution_id" not in modal
    slack.user("margaret").submit(modal["id"], {"answer.value": "forty-two"})
    done = slack.wait_for_execution(started["function_execution_id"])
    assert done["status"] == "completed" and done["outputs"] == {"answer": "forty-two"}
