"""slackctl deploy against the emulator: create, update, drift, dry run, hooks and rollback, environments."""

from __future__ import annotations

import copy
import hashlib
import json
import os
from pathlib import Path

import keyring
import pytest

from slackctl.slack.client import SlackClient
from tests.cli.commands.deploy.helpers import (
    MANIFEST,
    apps_json,
    config_login,
    config_toml,
    export_manifest,
    make_project,
    records_json,
    the_app,
    writes,
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(tmp_path / "my-app")
    monkeypatch.chdir(root)
    return root


def _edit_remotely(emulator, mint, app_id: str, manifest: dict) -> None:
    """Someone changes the app in its settings page (a drift)."""
    with SlackClient(emulator.url) as client:
        client.call("apps.manifest.update", {"app_id": app_id, "manifest": manifest}, token=mint("config")["token"])


def _changed(name: str = "Deploy Test 2", scopes: list[str] | None = None) -> dict:
    manifest = copy.deepcopy(MANIFEST)
    manifest["display_information"]["name"] = name
    if scopes is not None:
        manifest["oauth_config"]["scopes"]["bot"] = scopes
    return manifest


def test_first_deploy_creates_the_app_and_stores_its_credentials(cli, mint, project, emulator, slackctl_env):
    config_login(cli, mint)
    result = cli("deploy")
    assert result.exit_code == 0, result.stderr
    record = the_app(project)
    app_id = record["app_id"]
    assert app_id.startswith("A") and record["team_id"] == emulator.team["id"]
    assert record["name"] == "Deploy Test" and record["manifest_hash"].startswith("sha256:")
    assert f"Created app {app_id}" in result.stderr and "slackctl auth login" in result.stderr
    # The secrets went to the real keyring, under app:APP_ID; only the client id is in .slack/.
    app = emulator.world.apps[app_id]
    service = slackctl_env["SLACKCTL_KEYRING_SERVICE"]
    assert keyring.get_password(service, f"app:{app_id}/client-secret") == app["client_secret"]
    assert keyring.get_password(service, f"app:{app_id}/signing-secret") == app["signing_secret"]
    assert keyring.get_password(service, f"app:{app_id}/verification-token") == app["verification_token"]
    assert record["client_id"] == app["client_id"]
    text = (
        "".join(p.read_text() for p in (project / ".slack").iterdir())
        + (Path(slackctl_env["SLACKCTL_CONFIG_DIR"]) / "config.toml").read_text()
    )
    assert app["client_secret"] not in text and app["signing_secret"] not in text
    facts = config_toml(slackctl_env)["apps"][app_id]
    assert facts["kinds"] == ["client-secret", "signing-secret", "verification-token"]
    assert export_manifest(emulator, mint, app_id) == MANIFEST


def test_stored_credentials_are_found_for_auth_login(cli, mint, project, emulator):
    config_login(cli, mint)
    assert cli("deploy").exit_code == 0
    from slackctl.cli.context import Context
    from slackctl.core.project import stored_app_credentials

    (project / "src").mkdir()
    creds = stored_app_credentials(Context(), project / "src", "dev")  # found from a sub-directory too
    app = emulator.world.apps[the_app(project)["app_id"]]
    assert creds == {
        "app_id": app["app_id"],
        "team_id": emulator.team["id"],
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
        "signing_secret": app["signing_secret"],
    }
    assert stored_app_credentials(Context(), project, "prod") is None


def test_second_deploy_updates_after_showing_the_diff(cli, mint, project, emulator):
    config_login(cli, mint)
    assert cli("deploy").exit_code == 0
    app_id = the_app(project)["app_id"]
    (project / "manifest.json").write_text(json.dumps(_changed()))
    emulator.clear_requests()
    result = cli("deploy", "--yes")
    assert result.exit_code == 0, result.stderr
    assert '-    "name": "Deploy Test"' in result.stderr and '+    "name": "Deploy Test 2"' in result.stderr
    assert writes(emulator) == ["apps.manifest.update"]
    assert export_manifest(emulator, mint, app_id)["display_information"]["name"] == "Deploy Test 2"
    assert the_app(project)["app_id"] == app_id


def test_update_without_yes_and_without_a_terminal_asks_for_yes(cli, mint, project, emulator):
    config_login(cli, mint)
    assert cli("deploy").exit_code == 0
    (project / "manifest.json").write_text(json.dumps(_changed()))
    emulator.clear_requests()
    result = cli("deploy")
    assert result.exit_code == 2
    assert "--yes" in result.stderr
    assert writes(emulator) == []


def test_unchanged_manifest_is_not_updated(cli, mint, project, emulator):
    config_login(cli, mint)
    assert cli("deploy").exit_code == 0
    emulator.clear_requests()
    result = cli("deploy")
    assert result.exit_code == 0, result.stderr
    assert "up to date" in result.stderr
    assert writes(emulator) == []


def test_scope_change_reports_that_a_reinstall_is_needed(cli, mint, project):
    config_login(cli, mint)
    assert cli("deploy").exit_code == 0
    (project / "manifest.json").write_text(json.dumps(_changed(scopes=["chat:write", "channels:read"])))
    result = cli("deploy", "--yes")
    assert result.exit_code == 0, result.stderr
    assert "reinstall the app" in result.stderr and "slackctl auth login" in result.stderr


def test_dry_run_sends_no_writes(cli, mint, project, emulator):
    config_login(cli, mint)
    emulator.clear_requests()
    result = cli("deploy", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "would create" in result.stderr
    assert writes(emulator) == [] and not (project / ".slack" / "apps.json").exists()
    assert cli("deploy").exit_code == 0
    (project / "manifest.json").write_text(json.dumps(_changed()))
    emulator.clear_requests()
    result = cli("deploy", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert '+    "name": "Deploy Test 2"' in result.stdout
    assert writes(emulator) == []
    assert [r["method"] for r in emulator.requests()] == ["apps.manifest.validate", "apps.manifest.export"]


def test_drift_is_detected_and_refused_without_force(cli, mint, project, emulator):
    config_login(cli, mint)
    assert cli("deploy").exit_code == 0
    app_id = the_app(project)["app_id"]
    _edit_remotely(emulator, mint, app_id, _changed(name="Edited In Settings"))
    (project / "manifest.json").write_text(json.dumps(_changed(name="Local Change")))
    emulator.clear_requests()
    result = cli("deploy", "--yes")
    assert result.exit_code == 2
    assert "changed outside slackctl" in result.stderr and "--force" in result.stderr
    assert '+    "name": "Edited In Settings"' in result.stderr  # the drift itself is shown
    assert writes(emulator) == []
    assert export_manifest(emulator, mint, app_id)["display_information"]["name"] == "Edited In Settings"
    result = cli("deploy", "--yes", "--force")
    assert result.exit_code == 0, result.stderr
    assert export_manifest(emulator, mint, app_id)["display_information"]["name"] == "Local Change"
    # After a forced deploy the drift baseline is the new state: no more warnings.
    assert "changed outside" not in cli("deploy").stderr


def test_hook_runs_with_app_id_in_its_environment_and_streams_output(cli, mint, project, emulator):
    (project / ".slack").mkdir()
    (project / ".slack" / "hooks.json").write_text(
        json.dumps({"hooks": {"deploy": 'echo "deploying $SLACK_APP_ID ($SLACKCTL_ENV) bot=${SLACK_BOT_TOKEN:+set}"'}})
    )
    config_login(cli, mint)
    result = cli("deploy")
    assert result.exit_code == 0, result.stderr
    app_id = the_app(project)["app_id"]
    assert f"│ deploying {app_id} (dev) bot=\n" in result.stderr
    assert "deploy hook finished" in result.stderr


def test_hook_gets_the_bot_token_of_the_profile_installed_for_the_app(cli, mint, project, emulator):
    (project / ".slack").mkdir()
    out = project / "hook-saw"
    (project / ".slack" / "hooks.json").write_text(
        json.dumps({"hooks": {"deploy": f"printf '%s' \"$SLACK_BOT_TOKEN\" | sha256sum > {out}"}})
    )  # no secret in files
    config_login(cli, mint)
    assert cli("deploy").exit_code == 0
    app_id = the_app(project)["app_id"]
    bot = mint("bot", app_id=app_id)["token"]
    assert cli("auth", "login", "--with-token", input=bot).exit_code == 0  # same workspace: same profile
    from slackctl.config import edit_config

    with edit_config() as config:  # what an OAuth install of this app records
        config.profiles[config.active].app_id = app_id
    assert cli("deploy").exit_code == 0
    assert out.read_text().split()[0] == hashlib.sha256(bot.encode()).hexdigest()


def test_failing_hook_restores_the_previous_manifest(cli, mint, project, emulator):
    config_login(cli, mint)
    assert cli("deploy").exit_code == 0
    app_id = the_app(project)["app_id"]
    before = export_manifest(emulator, mint, app_id)
    (project / ".slack" / "hooks.json").write_text(json.dumps({"hooks": {"deploy": "echo boom >&2; exit 3"}}))
    (project / "manifest.json").write_text(json.dumps(_changed()))
    result = cli("deploy", "--yes")
    assert result.exit_code == 1
    assert "│ boom" in result.stderr
    assert "deploy hook failed (exit 3)" in result.stderr and "restored the previous manifest" in result.stderr
    assert export_manifest(emulator, mint, app_id) == before
    assert writes(emulator)[-2:] == ["apps.manifest.update", "apps.manifest.update"]
    # The rollback is the new baseline: the next deploy sees no drift.
    (project / ".slack" / "hooks.json").unlink()
    assert "changed outside" not in cli("deploy", "--yes").stderr


def test_failing_hook_on_first_deploy_deletes_the_new_app(cli, mint, project, emulator, slackctl_env):
    make_project(project, hooks={"deploy": "exit 1"})
    config_login(cli, mint)
    result = cli("deploy")
    assert result.exit_code == 1
    assert "deleted the app created by this deploy" in result.stderr
    created = [r for r in emulator.requests("apps.manifest.create")]
    assert len(created) == 1 and writes(emulator)[-1] == "apps.manifest.delete"
    assert records_json(project).get("environments", {}) == {}
    assert "apps" not in config_toml(slackctl_env) or not config_toml(slackctl_env)["apps"]


@pytest.mark.parametrize(
    ("hook", "message"),
    [
        ("./scripts/deploy.sh", "does not exist"),
        ("./deploy.sh", "not executable"),
        ("no-such-program-xyz --flag", "not found on PATH"),
    ],
)
def test_missing_or_non_executable_hook_fails_before_any_change(cli, mint, project, emulator, hook, message):
    (project / "deploy.sh").write_text("#!/bin/sh\nexit 0\n")
    make_project(project, hooks={"deploy": hook})
    config_login(cli, mint)
    emulator.clear_requests()
    result = cli("deploy")
    assert result.exit_code == 2
    assert message in result.stderr
    assert emulator.requests() == []


def test_executable_hook_script_runs(cli, mint, project):
    script = project / "deploy.sh"
    script.write_text("#!/bin/sh\necho from-script\n")
    os.chmod(script, 0o755)
    make_project(project, hooks={"deploy": "./deploy.sh"})
    config_login(cli, mint)
    result = cli("deploy")
    assert result.exit_code == 0, result.stderr
    assert "│ from-script" in result.stderr


def test_environments_get_their_own_apps_and_overrides(cli, mint, project, emulator):
    make_project(project, environments={"dev": {"display_information": {"name": "Deploy Test (dev)"}}})
    config_login(cli, mint)
    assert cli("deploy").exit_code == 0
    assert cli("deploy", "--env", "prod").exit_code == 0
    dev, prod = the_app(project, "dev"), the_app(project, "prod")
    assert dev["app_id"] != prod["app_id"]
    assert export_manifest(emulator, mint, dev["app_id"])["display_information"]["name"] == "Deploy Test (dev)"
    assert export_manifest(emulator, mint, prod["app_id"])["display_information"]["name"] == "Deploy Test"
    assert cli("deploy", "--env", "Bad Name").exit_code == 2


def test_slack_cli_deployed_app_is_used_for_prod(cli, mint, project, emulator):
    config_login(cli, mint)
    existing = emulator.create_app(name="From Slack CLI")
    (project / ".slack").mkdir()
    (project / ".slack" / "apps.json").write_text(
        json.dumps(
            {
                "apps": {
                    emulator.team["id"]: {"app_id": existing["app_id"], "team_id": emulator.team["id"], "IsDev": False}
                },
                "default": "x",
            }
        )
    )
    result = cli("deploy", "--env", "prod", "--yes")
    assert result.exit_code == 0, result.stderr
    assert writes(emulator) == ["apps.manifest.update"]
    data = apps_json(project)
    assert data["apps"][emulator.team["id"]]["app_id"] == existing["app_id"]  # Slack CLI's part kept
    assert set(data) <= {"apps", "default"}  # nothing Slack's CLI would drop
    assert records_json(project)["environments"]["prod"][emulator.team["id"]]["app_id"] == existing["app_id"]


def test_verbose_deploy_never_shows_the_new_apps_secrets(cli, mint, project, emulator):
    from tests.conftest import assert_no_secrets

    config_login(cli, mint)
    result = cli("-v", "deploy")
    assert result.exit_code == 0, result.stderr
    assert "> POST " in result.stderr  # verbose really was on
    app = emulator.world.apps[the_app(project)["app_id"]]
    for secret in (app["client_secret"], app["signing_secret"], app["verification_token"]):
        assert secret not in result.output
    assert_no_secrets(result.output)


def test_update_asks_the_person_there_and_no_keeps_the_app(mint, project, emulator, cli):
    """The same question without a pseudo-terminal: IO's can_prompt override stands for the person."""
    config_login(cli, mint)
    assert cli("deploy").exit_code == 0
    app_id = the_app(project)["app_id"]
    (project / "manifest.json").write_text(json.dumps(_changed()))
    declined = cli("deploy", input="n\n", can_prompt=True)
    assert declined.exit_code == 1 and f"Update {app_id}? [y/N]" in declined.stderr
    assert export_manifest(emulator, mint, app_id)["display_information"]["name"] == "Deploy Test"
    accepted = cli("deploy", input="y\n", can_prompt=True)
    assert accepted.exit_code == 0, accepted.stderr
    assert export_manifest(emulator, mint, app_id)["display_information"]["name"] == "Deploy Test 2"
    nobody = cli("deploy", can_prompt=False)  # nothing changed since: nothing to ask, nothing to refuse
    assert nobody.exit_code == 0 and "up to date" in nobody.stderr


def test_update_asks_on_a_terminal_and_no_keeps_the_app(mint, project, emulator, slackctl_env, cli):
    pexpect = pytest.importorskip("pexpect")
    import sys

    config_login(cli, mint)
    assert cli("deploy").exit_code == 0
    app_id = the_app(project)["app_id"]
    (project / "manifest.json").write_text(json.dumps(_changed()))
    env = dict(os.environ)
    child = pexpect.spawn(
        sys.executable, ["-m", "slackctl", "deploy"], env=env, cwd=str(project), encoding="utf-8", timeout=30
    )
    child.expect(r"Update A\w+\? \[y/N\]")
    child.sendline("n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert export_manifest(emulator, mint, app_id)["display_information"]["name"] == "Deploy Test"
    child = pexpect.spawn(
        sys.executable, ["-m", "slackctl", "deploy"], env=env, cwd=str(project), encoding="utf-8", timeout=30
    )
    child.expect(r"\[y/N\]")
    child.sendline("y")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert export_manifest(emulator, mint, app_id)["display_information"]["name"] == "Deploy Test 2"


def test_dev_app_recorded_by_slack_cli_is_updated_not_duplicated(cli, mint, project, emulator):
    """`slack run` left its dev app in .slack/apps.dev.json (team-keyed, IsDev): deploy plans an update of it."""
    config_login(cli, mint)
    existing = emulator.create_app(name="Made by slack run")
    team = emulator.team["id"]
    (project / ".slack").mkdir()
    (project / ".slack" / "apps.dev.json").write_text(
        json.dumps(
            {
                team: {
                    "app_id": existing["app_id"],
                    "IsDev": True,
                    "team_domain": "acme",
                    "team_id": team,
                    "user_id": "U1",
                }
            },
            indent=2,
        )
    )
    result = cli("deploy", "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    assert (plan["action"], plan["app_id"]) == ("update", existing["app_id"])
    assert writes(emulator) == []


def test_remote_manifest_source_is_not_pushed(cli, mint, project, emulator):
    """.slack/config.json `manifest.source: remote`: the app settings hold the manifest; deploy leaves it."""
    config_login(cli, mint)
    existing = emulator.create_app(name="Edited in app settings")
    team = emulator.team["id"]
    (project / ".slack").mkdir()
    (project / ".slack" / "config.json").write_text(json.dumps({"manifest": {"source": "remote"}}))
    (project / ".slack" / "apps.dev.json").write_text(
        json.dumps({team: {"app_id": existing["app_id"], "IsDev": True, "team_id": team}})
    )
    result = cli("deploy", "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    assert "manifest source is remote" in result.stderr
    assert writes(emulator) == []
    assert json.loads(result.stdout)["manifest_source"] == "remote"


def test_build_hook_runs_before_slack_is_touched_and_a_failure_stops_the_deploy(cli, mint, project, emulator):
    """The build hook gets --source and --output (Slack CLI's arguments); when it fails nothing is deployed."""
    (project / ".slack").mkdir()
    (project / "build.sh").write_text('#!/bin/sh\necho "building $*"\ntest -d "${2#--output=}" && [ ! -e fail ]\n')
    (project / "build.sh").chmod(0o755)
    (project / ".slack" / "hooks.json").write_text(json.dumps({"hooks": {"build": "./build.sh"}}))
    config_login(cli, mint)
    (project / "fail").write_text("")
    emulator.clear_requests()
    result = cli("deploy", "--yes")
    assert result.exit_code == 2 and "the build hook failed (exit 1); nothing was deployed" in result.stderr
    assert emulator.requests() == []
    (project / "fail").unlink()
    result = cli("deploy", "--yes")
    assert result.exit_code == 0, result.stderr
    assert f"│ building --source={project.resolve()} --output=" in result.stderr
    assert writes(emulator) == ["apps.manifest.create"]
    assert "would first run the build hook" in cli("deploy", "--dry-run").stderr
