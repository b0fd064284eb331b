"""deploy / manifest / app from CI: SLACK_CONFIG_TOKEN (and SLACK_CONFIG_REFRESH_TOKEN) from the environment, a
clean config dir and no keyring at all (keyring's fail backend), against the emulator in a real subprocess."""

from __future__ import annotations

import copy
import json
import os
import stat
from pathlib import Path

import pytest

from tests.cli.commands.deploy.helpers import MANIFEST, export_manifest, make_project, records_json, the_app, writes

NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", "CI": "true"}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(tmp_path / "ci-app")
    monkeypatch.chdir(root)
    return root


def _existing_app(cli, mint, project: Path) -> str:
    """An app deployed earlier (from a developer's machine): its id is committed in .slack/apps.json."""
    minted = mint("config")
    result = cli("deploy", env={"SLACK_CONFIG_TOKEN": minted["token"]})
    assert result.exit_code == 0, result.stderr
    return the_app(project)["app_id"]


def _change_manifest(project: Path, name: str) -> dict:
    manifest = copy.deepcopy(MANIFEST)
    manifest["display_information"]["name"] = name
    (project / "manifest.json").write_text(json.dumps(manifest))
    return manifest


def _clean_config(tmp_path: Path) -> dict[str, str]:
    """A config dir nobody has used: nothing stored, no profiles."""
    fresh = tmp_path / "runner-config"
    return {"SLACKCTL_CONFIG_DIR": str(fresh), **NO_KEYRING}


def test_deploy_updates_an_existing_app_with_only_slack_config_token_and_no_keyring(
    cli, run_slackctl, mint, project, emulator, tmp_path
):
    app_id = _existing_app(cli, mint, project)
    manifest = _change_manifest(project, "CI Deployed")
    env = {**_clean_config(tmp_path), "SLACK_CONFIG_TOKEN": mint("config")["token"]}
    result = run_slackctl("deploy", "--yes", "--json", env=env, cwd=project)
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["app_id"] == app_id and out["action"] == "update" and out["changed"] is True
    assert out["dry_run"] is False and out["team_id"] == emulator.team["id"]
    assert "+" in out["diff"] and "CI Deployed" in out["diff"]
    assert export_manifest(emulator, mint, app_id) == manifest
    # Nothing of the token went to disk on the runner; no profile was made up.
    config = Path(env["SLACKCTL_CONFIG_DIR"]) / "config.toml"
    assert not config.exists() or "profiles" not in config.read_text()
    assert not (Path(env["SLACKCTL_CONFIG_DIR"]) / "credentials.insecure.json").exists()


def test_an_expired_config_token_is_rotated_in_memory_with_the_refresh_token(
    cli, run_slackctl, mint, project, emulator, tmp_path
):
    app_id = _existing_app(cli, mint, project)
    manifest = _change_manifest(project, "Rotated Deploy")
    expired = mint("config", expires_in=-60)
    env = {
        **_clean_config(tmp_path),
        "SLACK_CONFIG_TOKEN": expired["token"],
        "SLACK_CONFIG_REFRESH_TOKEN": expired["refresh_token"],
    }
    before = len(emulator.requests())
    result = run_slackctl("deploy", "--yes", env=env, cwd=project)
    assert result.exit_code == 0, result.stderr
    assert "rotated the app configuration token with SLACK_CONFIG_REFRESH_TOKEN" in result.stderr
    assert "refresh token is now spent" in result.stderr
    methods = [r["method"] for r in emulator.requests()[before:]]
    assert methods[:2] == ["auth.test", "tooling.tokens.rotate"] and methods.count("tooling.tokens.rotate") == 1
    assert "apps.manifest.update" in methods
    assert export_manifest(emulator, mint, app_id) == manifest
    # The refresh token was spent at Slack, and the new pair was not written anywhere on the runner.
    assert expired["refresh_token"] not in emulator.world.refresh_tokens
    config_dir = Path(env["SLACKCTL_CONFIG_DIR"])
    stored = "".join(p.read_text() for p in config_dir.rglob("*") if p.is_file())
    assert "xoxe" not in stored


def test_only_the_refresh_token_is_enough(cli, run_slackctl, mint, project, emulator, tmp_path):
    app_id = _existing_app(cli, mint, project)
    _change_manifest(project, "Refresh Only")
    minted = mint("config")
    env = {**_clean_config(tmp_path), "SLACK_CONFIG_REFRESH_TOKEN": minted["refresh_token"]}
    result = run_slackctl("deploy", "--yes", "--json", env=env, cwd=project)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["app_id"] == app_id
    assert export_manifest(emulator, mint, app_id)["display_information"]["name"] == "Refresh Only"


def test_an_expired_token_without_a_refresh_token_is_exit_4_naming_the_variables(
    run_slackctl, mint, project, emulator, tmp_path
):
    env = {**_clean_config(tmp_path), "SLACK_CONFIG_TOKEN": mint("config", expires_in=-60)["token"]}
    result = run_slackctl("deploy", "--yes", env=env, cwd=project)
    assert result.exit_code == 4
    assert "SLACK_CONFIG_TOKEN has expired" in result.stderr and "SLACK_CONFIG_REFRESH_TOKEN" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and writes(emulator) == []
    # Against the emulator, the way to get a new one is the emulator's own command (issue 23 item 4).
    assert f"slackctl emulator token --kind config --slack-url {emulator.url}" in result.stderr
    assert "api.slack.com" not in result.stderr


def test_the_env_token_wins_over_a_stored_profile(cli, mint, project, emulator):
    from tests.cli.commands.deploy.helpers import config_login

    config_login(cli, mint)
    assert cli("deploy", "--dry-run").exit_code == 0  # the stored token works...
    expired = mint("config", expires_in=-60)["token"]
    result = cli("deploy", "--dry-run", env={"SLACK_CONFIG_TOKEN": expired})
    assert result.exit_code == 4 and "SLACK_CONFIG_TOKEN has expired" in result.stderr  # ...but the env one wins


def test_creating_an_app_with_no_keyring_refuses_before_slack_is_touched(
    run_slackctl, mint, project, emulator, tmp_path
):
    env = {**_clean_config(tmp_path), "SLACK_CONFIG_TOKEN": mint("config")["token"]}
    result = run_slackctl("deploy", "--yes", env=env, cwd=project)
    assert result.exit_code == 4, result.stderr
    assert "no app was created" in result.stderr
    assert "--credentials-out FILE" in result.stderr and "--insecure-storage" in result.stderr
    assert writes(emulator) == [] and not (project / ".slack" / "apps.json").exists()


@pytest.mark.secrets_in_files
def test_creating_an_app_in_ci_writes_its_secrets_to_credentials_out_0600(
    run_slackctl, mint, project, emulator, tmp_path
):
    out_file = tmp_path / "new-app.json"
    env = {**_clean_config(tmp_path), "SLACK_CONFIG_TOKEN": mint("config")["token"]}
    result = run_slackctl("deploy", "--yes", "--json", "--credentials-out", str(out_file), env=env, cwd=project)
    assert result.exit_code == 0, result.stderr
    app_id = the_app(project)["app_id"]
    app = emulator.world.apps[app_id]
    assert stat.S_IMODE(os.stat(out_file).st_mode) == 0o600
    assert json.loads(out_file.read_text()) == {
        "app_id": app_id,
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
        "signing_secret": app["signing_secret"],
        "verification_token": app["verification_token"],
    }
    assert str(out_file) in result.stderr
    out = json.loads(result.stdout)
    assert out["action"] == "create" and out["app_id"] == app_id and str(out_file) in out["credentials"]
    assert app["client_secret"] not in result.output and app["client_secret"] not in json.dumps(records_json(project))


def test_creating_an_app_in_ci_with_insecure_storage_says_where_the_secrets_went(
    run_slackctl, mint, project, emulator, tmp_path
):
    env = {**_clean_config(tmp_path), "SLACK_CONFIG_TOKEN": mint("config")["token"]}
    result = run_slackctl("deploy", "--yes", "--insecure-storage", env=env, cwd=project)
    assert result.exit_code == 0, result.stderr
    secrets_file = Path(env["SLACKCTL_CONFIG_DIR"]) / "credentials.insecure.json"
    assert f"{secrets_file} (--insecure-storage, mode 0600)" in result.stderr
    app_id = the_app(project)["app_id"]
    stored = json.loads(secrets_file.read_text())
    assert stored[f"app:{app_id}/client-secret"] == emulator.world.apps[app_id]["client_secret"]
    assert stat.S_IMODE(os.stat(secrets_file).st_mode) == 0o600


def test_manifest_and_app_commands_use_the_env_token_with_no_keyring(
    cli, run_slackctl, mint, project, emulator, tmp_path
):
    app_id = _existing_app(cli, mint, project)
    env = {**_clean_config(tmp_path), "SLACK_CONFIG_TOKEN": mint("config")["token"]}
    exported = run_slackctl("manifest", "export", env=env, cwd=project)
    assert exported.exit_code == 0, exported.stderr
    assert json.loads(exported.stdout) == MANIFEST
    assert run_slackctl("manifest", "validate", "--remote", env=env, cwd=project).exit_code == 0
    deleted = run_slackctl("app", "delete", "--yes", "--json", env=env, cwd=project)
    assert deleted.exit_code == 0, deleted.stderr
    assert json.loads(deleted.stdout) == {"app_id": app_id, "env": "dev", "deleted_at_slack": True, "forgotten": True}
    assert app_id not in emulator.world.apps


def test_credentials_out_in_a_missing_directory_is_exit_2_before_slack_is_touched(
    run_slackctl, mint, project, emulator, tmp_path
):
    env = {**_clean_config(tmp_path), "SLACK_CONFIG_TOKEN": mint("config")["token"]}
    result = run_slackctl(
        "deploy", "--yes", "--credentials-out", str(tmp_path / "nope" / "app.json"), env=env, cwd=project
    )
    assert result.exit_code == 2
    assert "--credentials-out" in result.stderr and "does not exist" in result.stderr
    assert writes(emulator) == []


def test_api_call_of_a_manifest_method_uses_slack_config_token_with_no_keyring(
    cli, run_slackctl, mint, project, emulator, tmp_path
):
    app_id = _existing_app(cli, mint, project)
    env = {**_clean_config(tmp_path), "SLACK_CONFIG_TOKEN": mint("config")["token"]}
    for args in (
        ("api", "call", "apps.manifest.export", f"app_id={app_id}"),
        ("api", "call", "--as", "config", "apps.manifest.export", f"app_id={app_id}"),
    ):
        result = run_slackctl(*args, env=env, cwd=project)
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["manifest"] == MANIFEST


def test_a_dry_run_of_a_create_with_no_keyring_warns_how_to_keep_the_secrets(
    run_slackctl, mint, project, emulator, tmp_path
):
    env = {**_clean_config(tmp_path), "SLACK_CONFIG_TOKEN": mint("config")["token"]}
    result = run_slackctl("deploy", "--dry-run", "--json", env=env, cwd=project)
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["action"] == "create" and out["credentials"] is None
    assert "deploying would fail" in result.stderr and "--credentials-out FILE" in result.stderr
    planned = json.loads(
        run_slackctl(
            "deploy", "--dry-run", "--json", "--credentials-out", str(tmp_path / "app.json"), env=env, cwd=project
        ).stdout
    )
    assert str(tmp_path / "app.json") in planned["credentials"] and not (tmp_path / "app.json").exists()
    assert writes(emulator) == []
