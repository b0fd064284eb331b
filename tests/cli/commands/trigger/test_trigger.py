"""`slackctl trigger`, `function access` and `activity` against the emulator over HTTP, with a real slack_bolt
custom step: the issue's "done when" (a link trigger made with `trigger create` runs a workflow whose custom step
DMs a button; the user clicks it; `emulator executions` and `activity` show it completed), and each verb's
shapes, flags and errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import register_secret
from tests.emulator.stepper import CLICK_TEXT, LINK_TRIGGER, MANIFEST, stepper_app


@pytest.fixture
def stepper(emulator: Any) -> Iterator[dict[str, Any]]:
    """The Stepper app installed in the shared emulator and served by a real Bolt app over Socket Mode."""
    from slackctl.testing import Slack

    creds = emulator.install_app(MANIFEST)
    register_secret(creds["bot_token"], creds["app_token"], creds["signing_secret"], creds["client_secret"])
    slack = Slack(emulator)
    slack.connect(stepper_app(slack.api_url, creds))
    try:
        yield creds
    finally:
        slack.close()


@pytest.fixture
def bot_env(stepper: dict[str, Any]) -> dict[str, str]:
    return {"SLACK_BOT_TOKEN": stepper["bot_token"]}


@pytest.fixture
def activity_env(mint: Any) -> dict[str, str]:
    return {"SLACK_TOKEN": mint("user", scopes=["hosting:read"])["token"]}


def trigger_file(tmp_path: Path, definition: dict[str, Any] | None = None) -> Path:
    path = tmp_path / "trigger.json"
    path.write_text(json.dumps(definition or LINK_TRIGGER))
    return path


def test_done_when_a_cli_made_link_trigger_runs_the_bolt_step_to_completed(
    cli: Any,
    emulator: Any,
    stepper: dict[str, Any],
    bot_env: dict[str, str],
    activity_env: dict[str, str],
    tmp_path: Path,
) -> None:
    from slackctl.testing import Slack

    made = cli("trigger", "create", "--trigger-def", trigger_file(tmp_path), "--json", env=bot_env)
    assert made.exit_code == 0, made.stderr
    trigger = json.loads(made.stdout)
    assert trigger["id"].startswith("Ft") and trigger["shortcut_url"].startswith(emulator.url)
    (req,) = emulator.requests("workflows.triggers.create")
    assert req["content_type"].startswith("application/json") and req["body"]["type"] == "shortcut"
    ran = cli("emulator", "trigger", trigger["id"], "--as", "grace", "--channel", "#general")
    assert ran.exit_code == 0, ran.stderr
    run = json.loads(ran.stdout)
    slack = Slack(emulator)
    slack.wait_for_message("#general", lambda m: m.get("text") == "Started for <@U0EMU00002>", as_user="grace")
    button = slack.wait_for_message("@stepper", lambda m: m.get("text") == CLICK_TEXT, as_user="grace")
    clicked = cli("emulator", "click", "sample_click", "--message", f"@stepper:{button['ts']}", "--as", "grace")
    assert clicked.exit_code == 0, clicked.stderr
    slack.wait_for_execution(run["workflow_execution_id"])
    shown = cli("emulator", "executions", run["workflow_execution_id"])
    (execution,) = [json.loads(line) for line in shown.stdout.splitlines()]
    assert execution["status"] == "completed"
    assert [s["status"] for s in execution["steps"]] == ["completed"] * 3
    assert execution["steps"][1]["outputs"] == {"user_id": "U0EMU00002"}
    log = cli("activity", "--app", stepper["app_id"], "--json", env=activity_env)
    assert log.exit_code == 0, log.stderr
    entries = [json.loads(line) for line in log.stdout.splitlines()]
    assert entries[0]["event_type"] == "trigger_executed" and entries[0]["component_id"] == trigger["id"]
    (result,) = [e for e in entries if e["event_type"] == "workflow_execution_result"]
    assert result["payload"] == {"workflow_execution_id": run["workflow_execution_id"], "exec_outcome": "completed"}
    readable = cli("activity", "--app", stepper["app_id"], env=activity_env)
    assert "workflow_execution_result" in readable.stdout and "Function completed successfully" in readable.stdout


def test_create_from_flags_makes_a_link_trigger_with_interactivity(
    cli: Any, emulator: Any, bot_env: dict[str, str], stepper: dict[str, Any]
) -> None:
    wf = {
        "title": "Form",
        "description": "d",
        "steps": [],
        "input_parameters": {
            "properties": {"interactivity": {"type": "slack#/types/interactivity"}},
            "required": ["interactivity"],
        },
    }
    creds = emulator.install_app(
        {
            **MANIFEST,
            "display_information": {"name": "Former"},
            "features": {"bot_user": {"display_name": "former"}},
            "workflows": {"form": wf},
        }
    )
    register_secret(creds["bot_token"], creds["app_token"])
    out = cli(
        "trigger",
        "create",
        "--workflow",
        "form",
        "--title",
        "Fill it",
        "--interactivity",
        env={"SLACK_BOT_TOKEN": creds["bot_token"]},
    )
    assert out.exit_code == 0, out.stderr
    assert "created trigger Ft" in out.stderr and "Fill it  Ft" in out.stdout and "/shortcuts/Ft" in out.stdout
    (req,) = emulator.requests("workflows.triggers.create")
    assert req["body"]["workflow"] == "#/workflows/form"
    assert req["body"]["inputs"] == {"interactivity": {"value": "{{data.interactivity}}"}}


def test_info_list_update_delete(cli: Any, bot_env: dict[str, str], tmp_path: Path) -> None:
    made = json.loads(cli("trigger", "create", "--trigger-def", trigger_file(tmp_path), "--json", env=bot_env).stdout)
    hook = {
        **LINK_TRIGGER,
        "type": "webhook",
        "name": "From CI",
        "inputs": {"user_id": {"value": "{{data.user}}"}, "channel_id": {"value": "C0EMU00001"}},
    }
    webhook = json.loads(
        cli("trigger", "create", "--trigger-def", trigger_file(tmp_path, hook), "--json", env=bot_env).stdout
    )
    info = cli("trigger", "info", "--trigger-id", webhook["id"], env=bot_env)
    assert info.exit_code == 0 and "From CI" in info.stdout and webhook["webhook_url"] in info.stdout
    listed = json.loads(cli("trigger", "list", "--json", env=bot_env).stdout)
    assert {t["id"] for t in listed} == {made["id"], webhook["id"]}
    only = json.loads(cli("trigger", "list", "--type", "webhook", "--json", env=bot_env).stdout)
    assert [t["id"] for t in only] == [webhook["id"]]
    renamed = cli(
        "trigger",
        "update",
        "--trigger-id",
        made["id"],
        "--trigger-def",
        trigger_file(tmp_path, {**LINK_TRIGGER, "name": "Renamed"}),
        "--json",
        env=bot_env,
    )
    assert json.loads(renamed.stdout)["name"] == "Renamed"
    gone = cli("trigger", "delete", "--trigger-id", made["id"], env=bot_env)
    assert gone.exit_code == 0 and f"deleted trigger {made['id']}" in gone.stderr
    missing = cli("trigger", "info", "--trigger-id", made["id"], env=bot_env)
    assert missing.exit_code == 1 and "trigger_not_found" in missing.stderr


def test_a_webhook_trigger_fed_curl_style_json_runs_its_workflow(
    cli: Any, emulator: Any, bot_env: dict[str, str], tmp_path: Path
) -> None:
    hook = {
        **LINK_TRIGGER,
        "type": "webhook",
        "name": "hook",
        "inputs": {"user_id": {"value": "{{data.user}}"}, "channel_id": {"value": "{{data.channel}}"}},
    }
    url = json.loads(
        cli("trigger", "create", "--trigger-def", trigger_file(tmp_path, hook), "--json", env=bot_env).stdout
    )["webhook_url"]
    done = subprocess.run(
        [
            "curl",
            "-s",
            "-X",
            "POST",
            "-H",
            "Content-Type: application/json",
            "--data",
            json.dumps({"user": "U0EMU00004", "channel": "C0EMU00002"}),
            url,
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert json.loads(done.stdout) == {"ok": True}
    deadline = time.monotonic() + 5
    while not any(m.get("text") == "Started for <@U0EMU00004>" for m in emulator.messages("random")):
        assert time.monotonic() < deadline, "the webhook's workflow did not post"
        time.sleep(0.05)


def test_access_flags_set_who_may_run_it(cli: Any, emulator: Any, bot_env: dict[str, str], tmp_path: Path) -> None:
    trigger = json.loads(
        cli("trigger", "create", "--trigger-def", trigger_file(tmp_path), "--json", env=bot_env).stdout
    )["id"]
    named = cli("trigger", "access", "--trigger-id", trigger, "--users", "U0EMU00001,U0EMU00002", env=bot_env)
    assert named.exit_code == 0 and "user: U0EMU00001, U0EMU00002" in named.stdout
    refused = cli("emulator", "trigger", trigger, "--as", "linus")
    assert refused.exit_code == 2 and "linus may not run" in refused.stderr
    revoked = cli(
        "trigger", "access", "--trigger-id", trigger, "--users", "U0EMU00002", "--revoke", "--json", env=bot_env
    )
    assert json.loads(revoked.stdout)["user_ids"] == ["U0EMU00001"]
    everyone = cli("trigger", "access", "--trigger-id", trigger, "--everyone", env=bot_env)
    assert "everyone in the workspace" in everyone.stdout
    info = cli("trigger", "access", "--trigger-id", trigger, "--info", "--json", env=bot_env)
    assert json.loads(info.stdout) == {"permission_type": "everyone"}
    both = cli("trigger", "access", "--trigger-id", trigger, "--everyone", "--users", "U1", env=bot_env)
    assert both.exit_code == 2 and "pass one of them" in both.stderr


def test_function_access_with_a_configuration_token(
    cli: Any, emulator: Any, stepper: dict[str, Any], mint: Any
) -> None:
    config = mint("config", app_id=stepper["app_id"])["token"]
    env = {"SLACK_CONFIG_TOKEN": config}
    named = cli("function", "access", "sample_step", "--users", "U0EMU00003", "--app", stepper["app_id"], env=env)
    assert named.exit_code == 0, named.stderr
    assert "sample_step may be used by users: U0EMU00003" in named.stdout
    shown = cli("function", "access", "--name", "sample_step", "--info", "--json", "--app", stepper["app_id"], env=env)
    assert json.loads(shown.stdout) == {"permission_type": "named_entities", "users": [{"id": "U0EMU00003"}]}
    unknown = cli("function", "access", "nope", "--info", "--app", stepper["app_id"], env=env)
    assert unknown.exit_code == 1 and "function_not_found" in unknown.stderr


def test_bad_input_is_exit_2_before_slack_is_called(
    cli: Any, emulator: Any, bot_env: dict[str, str], tmp_path: Path
) -> None:
    nothing = cli("trigger", "create", env=bot_env, can_prompt=False)
    assert nothing.exit_code == 2 and "--trigger-def FILE or --workflow" in nothing.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert "is not valid JSON" in cli("trigger", "create", "--trigger-def", bad, env=bot_env).stderr
    ts = tmp_path / "trigger.ts"
    ts.write_text("export default {}")
    no_hook = cli("trigger", "create", "--trigger-def", ts, env=bot_env)
    assert no_hook.exit_code == 2 and "get-trigger hook" in no_hook.stderr
    assert cli("trigger", "list", "--type", "link", env=bot_env).exit_code == 2
    assert cli("activity", "--min-level", "loud", "--app", "A1", env=bot_env).exit_code == 2
    assert cli("activity", "--since", "yesterday-ish", "--app", "A1", env=bot_env).exit_code == 2
    assert emulator.requests("workflows.triggers.create") == []
    assert emulator.requests("apps.activities.list") == []


def test_a_typescript_definition_goes_through_the_get_trigger_hook(
    cli: Any, emulator: Any, bot_env: dict[str, str], tmp_path: Path, monkeypatch: Any
) -> None:
    (tmp_path / ".slack").mkdir()
    hook = tmp_path / "get_trigger.py"
    hook.write_text(
        "import json, sys\nsrc = next(a for a in sys.argv if a.startswith('--source='))[9:]\n"
        "assert src == 'triggers/run.ts', sys.argv\n"
        f"print('compiling', src)\nprint(json.dumps({LINK_TRIGGER!r}))\n"
    )
    (tmp_path / ".slack" / "hooks.json").write_text(
        json.dumps(
            {"hooks": {"get-trigger": f"{sys.executable} {hook}"}, "config": {"trigger-paths": ["triggers/*.ts"]}}
        )
    )
    (tmp_path / "manifest.json").write_text(json.dumps(MANIFEST))
    (tmp_path / "triggers").mkdir()
    (tmp_path / "triggers" / "run.ts").write_text("export default {}")
    monkeypatch.chdir(tmp_path)
    out = cli("trigger", "create", "--trigger-def", "triggers/run.ts", "--json", env=bot_env)
    assert out.exit_code == 0, out.stderr
    assert json.loads(out.stdout)["name"] == "Run the sample"


def test_activity_filters_and_since(
    cli: Any, emulator: Any, stepper: dict[str, Any], bot_env: dict[str, str], activity_env: dict[str, str]
) -> None:
    failed = cli("emulator", "function", "shout", "--input", "text=x", "--input", "times=0")
    assert failed.exit_code == 1
    errors = cli("activity", "--app", stepper["app_id"], "--min-level", "error", "--json", env=activity_env)
    entries = [json.loads(line) for line in errors.stdout.splitlines()]
    assert [e["event_type"] for e in entries] == ["function_execution_result"]
    assert entries[0]["payload"]["log"] == "Function failed: times must be at least 1"
    started = cli(
        "activity", "--app", stepper["app_id"], "--event", "function_execution_started", "--json", env=activity_env
    )
    assert len(started.stdout.splitlines()) == 1
    later = cli("activity", "--app", stepper["app_id"], "--since", "2099-01-01T00:00:00Z", env=activity_env)
    assert later.exit_code == 0 and later.stdout == ""
    (req,) = emulator.requests("apps.activities.list")[-1:]
    assert req["body"]["min_date_created"] == str(4070908800 * 1_000_000)
    bot_only = cli("activity", "--app", stepper["app_id"], env=bot_env)
    assert bot_only.exit_code == 4 and "not_allowed_token_type" in bot_only.stderr  # a token problem: exit 4


def test_activity_tail_prints_new_entries_as_they_come(
    emulator: Any, stepper: dict[str, Any], activity_env: dict[str, str], slackctl_env: dict[str, str], tmp_path: Path
) -> None:
    env = {**os.environ, **activity_env}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "slackctl",
            "activity",
            "--app",
            stepper["app_id"],
            "--tail",
            "--interval",
            "0.1",
            "--idle",
            "0.05",
            "--json",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(0.5)  # the first poll has run: what follows is new
        ran = httpx.post(
            f"{emulator.url}/_emulator/drive/function",
            json={"callback_id": "shout", "inputs": {"text": "tail"}, "wait": 5},
        ).json()
        assert ran["result"]["status"] == "completed"
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    types = [json.loads(line)["event_type"] for line in out.splitlines()]
    assert types == ["function_execution_started", "function_execution_result"]


def test_create_with_no_flags_at_a_terminal_offers_the_projects_trigger_files(
    emulator: Any, bot_env: dict[str, str], slackctl_env: dict[str, str], tmp_path: Path
) -> None:
    import pexpect

    project = tmp_path / "project"
    (project / ".slack").mkdir(parents=True)
    (project / "manifest.json").write_text(json.dumps(MANIFEST))
    (project / ".slack" / "hooks.json").write_text(
        json.dumps({"hooks": {}, "config": {"trigger-paths": ["triggers/*.json"]}})
    )
    (project / "triggers").mkdir()
    (project / "triggers" / "a_first.json").write_text(json.dumps({**LINK_TRIGGER, "name": "First"}))
    (project / "triggers" / "b_second.json").write_text(json.dumps({**LINK_TRIGGER, "name": "Second"}))
    env = {
        **{k: v for k, v in os.environ.items() if k != "CI"},
        **bot_env,
        "TERM": "xterm",
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    child = pexpect.spawn(
        sys.executable,
        ["-m", "slackctl", "trigger", "create", "--json"],
        cwd=str(project),
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 200),
    )
    child.expect("Which trigger definition")
    child.expect("b_second.json")
    child.send("\x1b[B\r")  # the second file
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    (req,) = emulator.requests("workflows.triggers.create")
    assert req["body"]["name"] == "Second"


def test_the_profiles_token_and_the_projects_app_of_env_are_used_without_flags(
    cli: Any, emulator: Any, stepper: dict[str, Any], tmp_path: Path, monkeypatch: Any
) -> None:
    from slackctl.core.project import AppRecord, Project

    assert cli("auth", "login", "--with-token", "-p", "stepper", input=stepper["bot_token"]).exit_code == 0
    project = tmp_path / "project"
    (project / ".slack").mkdir(parents=True)
    (project / "manifest.json").write_text(json.dumps(MANIFEST))
    Project(project).save_app(AppRecord(app_id=stepper["app_id"], team_id="T0EMU0001", env="staging"))
    monkeypatch.chdir(project)
    out = cli("trigger", "create", "--trigger-def", trigger_file(tmp_path), "--env", "staging", "--json")
    assert out.exit_code == 0, out.stderr
    (req,) = emulator.requests("workflows.triggers.create")
    assert req["body"]["workflow_app_id"] == stepper["app_id"]
    assert req["headers"]["Authorization"] == "Bearer xoxb-…REDACTED"
    listed = cli("trigger", "list", "--env", "staging", "--json")
    assert [t["id"] for t in json.loads(listed.stdout)] == [json.loads(out.stdout)["id"]]
    (listing,) = emulator.requests("workflows.triggers.list")
    assert listing["body"]["app_id"] == stepper["app_id"]
