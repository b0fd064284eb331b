"""slackctl manifest validate / export / diff, and bad manifests refused by deploy without touching the app."""

from __future__ import annotations

import copy
import json
import os
import time
from pathlib import Path

import pytest

from tests.cli.commands.deploy.helpers import MANIFEST, config_login, make_project, the_app, writes


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(tmp_path / "my-app")
    monkeypatch.chdir(root)
    return root


def test_validate_accepts_a_good_manifest_without_network(cli, project, emulator):
    result = cli("manifest", "validate")
    assert result.exit_code == 0, result.stderr
    assert "valid (v1 schema)" in result.stderr
    assert emulator.requests() == []


def test_validate_lists_schema_problems_with_pointer_and_line(cli, project):
    manifest = copy.deepcopy(MANIFEST)
    manifest["settings"]["bad_param"] = True
    manifest["oauth_config"]["scopes"]["bot"] = "chat:write"
    text = json.dumps(manifest, indent=2)
    (project / "manifest.json").write_text(text)
    bot_line = text.splitlines().index('      "bot": "chat:write"') + 1
    result = cli("manifest", "validate")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert f"  /oauth_config/scopes/bot (line {bot_line}): 'chat:write' is not of type 'array'" in lines
    assert any(line.startswith("  /settings/bad_param (line ") and "unknown key" in line for line in lines)
    assert "the manifest is invalid (2 problems)" in lines[-1]


def test_invalid_json_names_line_and_column(cli, project):
    (project / "manifest.json").write_text('{\n  "display_information": {"name": "x",}\n}\n')
    result = cli("manifest", "validate")
    assert result.exit_code == 2
    assert "manifest.json:2:" in result.stderr and "invalid JSON" in result.stderr


def test_yaml_manifest_is_used_when_there_is_no_json(cli, tmp_path, monkeypatch):
    root = tmp_path / "yaml-app"
    (root / ".slack").mkdir(parents=True)
    (root / "manifest.yml").write_text("display_information:\n  name: Yaml App\n")
    monkeypatch.chdir(root)
    result = cli("manifest", "validate")
    assert result.exit_code == 0, result.stderr
    assert "manifest.yml: valid" in result.stderr


def test_get_manifest_hook_supplies_the_manifest(cli, tmp_path, monkeypatch):
    root = tmp_path / "hook-app"
    (root / ".slack").mkdir(parents=True)
    (root / ".slack" / "hooks.json").write_text(
        json.dumps({"hooks": {"get-manifest": "echo 'building...'; echo '{\"display_information\": {\"name\": 5}}'"}})
    )
    monkeypatch.chdir(root)
    result = cli("manifest", "validate")
    assert result.exit_code == 2
    assert "/display_information/name" in result.stderr and "get-manifest hook output" in result.stderr


def test_failing_get_manifest_hook_is_a_clear_error(cli, tmp_path, monkeypatch):
    root = tmp_path / "hook-app"
    (root / ".slack").mkdir(parents=True)
    (root / ".slack" / "hooks.json").write_text(json.dumps({"hooks": {"get-manifest": "echo nope >&2; exit 4"}}))
    monkeypatch.chdir(root)
    result = cli("manifest", "validate")
    assert result.exit_code == 2
    assert "get-manifest hook failed (exit 4): nope" in result.stderr


# What the Deno SDK's get-manifest prints for a Run-on-Slack app: an `icon` path and functions' `source_file`,
# which Slack's schema does not know and Slack's CLI leaves out before sending.
DENO_MANIFEST = {
    "_metadata": {"major_version": 2},
    "display_information": {"name": "deno-app"},
    "icon": "assets/icon.png",
    "functions": {
        "greet": {
            "title": "Greet",
            "description": "Say hi",
            "source_file": "functions/greet.ts",
            "input_parameters": {"properties": {}, "required": []},
            "output_parameters": {"properties": {}, "required": []},
        }
    },
    "oauth_config": {"scopes": {"bot": ["chat:write"]}},
    "settings": {"function_runtime": "slack"},
    "outgoing_domains": [],
}


def test_sdk_only_keys_of_a_generated_manifest_are_left_out_with_a_note(cli, tmp_path, monkeypatch):
    root = tmp_path / "deno-app"
    (root / ".slack").mkdir(parents=True)
    (root / "generated.json").write_text(json.dumps(DENO_MANIFEST))
    (root / ".slack" / "hooks.json").write_text(json.dumps({"hooks": {"get-manifest": "cat generated.json"}}))
    monkeypatch.chdir(root)
    result = cli("manifest", "validate", "--json")
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["valid"] is True and out["stripped"] == ["/icon", "/functions/greet/source_file"]
    assert "note: /icon, /functions/greet/source_file left out, as Slack's CLI" in result.stderr


def test_a_deno_project_without_deno_says_what_is_missing(cli, tmp_path, monkeypatch):
    root = tmp_path / "deno-app"
    (root / ".slack").mkdir(parents=True)
    (root / ".slack" / "hooks.json").write_text(
        json.dumps(
            {
                "hooks": {
                    "get-hooks": "deno run -q --allow-read --allow-net https://deno.land/x/deno_slack_hooks@1.3.0/mod.ts"
                }
            }
        )
    )
    monkeypatch.chdir(root)
    monkeypatch.setenv("PATH", str(tmp_path / "no-deno"))  # the test environment has no deno either way
    result = cli("manifest", "validate")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0].startswith(
        "error: the get-hooks hook needs `deno`, which is not installed (not on PATH): deno run -q --allow-read "
        "--allow-net https://deno.land/x/deno_slack_hooks@1.3.0/mod.ts"
    )
    assert "install Deno" in result.stderr and "Traceback" not in result.stderr


def test_no_project_is_a_usage_error(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("manifest", "validate")
    assert result.exit_code == 2 and "slackctl create" in result.stderr


def test_remote_validation_shows_slacks_errors(cli, mint, project, emulator):
    # Slack refuses, for an existing app, what the schema allows: turning token rotation off once it is on.
    manifest = copy.deepcopy(MANIFEST)
    manifest["settings"]["token_rotation_enabled"] = True
    (project / "manifest.json").write_text(json.dumps(manifest, indent=2))
    config_login(cli, mint)
    assert cli("deploy", "--yes").exit_code == 0
    manifest["settings"]["token_rotation_enabled"] = False
    text = json.dumps(manifest, indent=2)
    (project / "manifest.json").write_text(text)
    line = text.splitlines().index('    "token_rotation_enabled": false') + 1
    assert cli("manifest", "validate").exit_code == 0
    result = cli("manifest", "validate", "--remote")
    assert result.exit_code == 2
    assert (
        f"  /settings/token_rotation_enabled (line {line}): token rotation cannot be turned off once enabled"
        in result.stderr.splitlines()
    )
    assert "Slack rejected the manifest" in result.stderr


def test_deploy_of_a_manifest_slack_rejects_leaves_the_app_untouched(cli, mint, project, emulator):
    manifest = copy.deepcopy(MANIFEST)
    manifest["settings"]["token_rotation_enabled"] = True
    (project / "manifest.json").write_text(json.dumps(manifest))
    config_login(cli, mint)
    assert cli("deploy").exit_code == 0
    manifest["settings"]["token_rotation_enabled"] = False  # the schema allows it; Slack does not
    (project / "manifest.json").write_text(json.dumps(manifest))
    emulator.clear_requests()
    result = cli("deploy", "--yes")
    assert result.exit_code == 2
    assert "Slack rejected the manifest" in result.stderr
    assert writes(emulator) == []


def test_deploy_of_an_invalid_manifest_makes_no_request(cli, mint, project, emulator):
    config_login(cli, mint)
    (project / "manifest.json").write_text(json.dumps({"features": {}}))
    emulator.clear_requests()
    result = cli("deploy")
    assert result.exit_code == 2
    assert "display_information" in result.stderr
    assert emulator.requests() == []


def test_deploy_without_a_config_token_names_the_page_and_the_command(cli, project, bot_token, emulator):
    assert cli("auth", "login", "--with-token", input=bot_token).exit_code == 0
    emulator.clear_requests()
    result = cli("deploy")
    assert result.exit_code == 4
    assert "no app configuration token" in result.stderr
    # Against the emulator, its command that mints one: its app listing holds no config token (issue 23 item 4).
    assert f"slackctl emulator token --kind config --slack-url {emulator.url}" in result.stderr
    assert "slackctl auth login --with-token" in result.stderr
    assert "_emulator/apps" not in result.stderr and "api.slack.com" not in result.stderr
    assert emulator.requests() == []


def test_deploy_when_not_logged_in_at_all(cli, project):
    result = cli("deploy")
    assert result.exit_code == 4 and "slackctl auth login --with-token" in result.stderr


def test_expired_config_token_with_a_refused_refresh_token_is_an_auth_error(cli, mint, project, emulator, slackctl_env):
    config_login(cli, mint)
    # The stored refresh token is single-use: spend it elsewhere, then let the access token expire.
    import keyring

    from slackctl.config import edit_config, load_config
    from slackctl.slack.client import SlackClient

    active = load_config().active
    refresh = keyring.get_password(slackctl_env["SLACKCTL_KEYRING_SERVICE"], f"{active}/config-refresh")
    with SlackClient(emulator.url) as client:
        client.call("tooling.tokens.rotate", {"refresh_token": refresh}, token="")

    with edit_config() as config:
        config.profiles[config.active].expires["config"] = int(time.time()) - 60
    emulator.clear_requests()
    result = cli("deploy")
    assert result.exit_code == 4
    assert "configuration token" in result.stderr and "slackctl auth login --with-token" in result.stderr
    assert writes(emulator) == []


def test_export_prints_the_deployed_manifest(cli, mint, project):
    config_login(cli, mint)
    assert cli("deploy").exit_code == 0
    result = cli("manifest", "export")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == MANIFEST
    other = cli("manifest", "export", "--app", the_app(project)["app_id"])
    assert json.loads(other.stdout) == MANIFEST


def test_export_before_deploying_says_to_deploy(cli, mint, project):
    config_login(cli, mint)
    result = cli("manifest", "export", "--env", "prod")
    assert result.exit_code == 2 and "slackctl deploy --env prod" in result.stderr


def test_diff_shows_local_changes_against_deployed(cli, mint, project):
    config_login(cli, mint)
    assert cli("deploy").exit_code == 0
    assert "no differences" in cli("manifest", "diff").stderr
    changed = copy.deepcopy(MANIFEST)
    changed["oauth_config"]["scopes"]["bot"].append("channels:read")
    (project / "manifest.json").write_text(json.dumps(changed))
    result = cli("manifest", "diff")
    assert result.exit_code == 0
    assert '+        "channels:read"' in result.stdout and result.stdout.startswith("--- deployed (A")
    assert "\x1b[" not in result.stdout  # not a terminal: no colour
    assert cli("manifest", "diff", "--exit-code").exit_code == 1


def test_diff_is_coloured_on_a_terminal(mint, project, emulator, slackctl_env, tmp_path):
    """A real pseudo-terminal: colour is on when stdout is a TTY."""
    pexpect = pytest.importorskip("pexpect")
    import sys

    from click.testing import CliRunner  # noqa: F401 - keeps import order as other tests

    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    minted = mint("config")
    login = pexpect.spawn(
        sys.executable,
        ["-m", "slackctl", "auth", "login", "--with-token"],
        env=env,
        cwd=str(project),
        encoding="utf-8",
        timeout=30,
    )
    login.expect("input hidden")
    login.sendline(minted["token"])
    login.expect("input hidden")
    login.sendline(minted["refresh_token"])
    login.expect(pexpect.EOF)
    import subprocess

    assert (
        subprocess.run(
            [sys.executable, "-m", "slackctl", "deploy"], cwd=project, env=env, capture_output=True
        ).returncode
        == 0
    )
    changed = copy.deepcopy(MANIFEST)
    changed["display_information"]["name"] = "Coloured"
    (project / "manifest.json").write_text(json.dumps(changed))
    child = pexpect.spawn(
        sys.executable, ["-m", "slackctl", "manifest", "diff"], env=env, cwd=str(project), encoding="utf-8", timeout=30
    )
    child.expect(pexpect.EOF)
    assert '\x1b[32m+    "name": "Coloured"' in child.before
