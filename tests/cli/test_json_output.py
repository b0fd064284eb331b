"""--json on every command that shows data (README "JSON output"): each parses, has exactly its documented keys,
and an error under --json is still one line on stderr with the documented exit code and nothing on stdout."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from tests.cli.commands.deploy.helpers import MANIFEST, config_login, make_project, the_app

DEPLOY_KEYS = {
    "dry_run",
    "env",
    "team_id",
    "app_id",
    "action",
    "drifted",
    "diff",
    "manifest",
    "hook",
    "changed",
    "permissions_updated",
    "credentials",
    "manifest_source",
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(tmp_path / "json-app")
    monkeypatch.chdir(root)
    return root


def _json(result) -> object:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_manifest_validate_json_for_a_valid_manifest(cli, project, emulator):
    out = _json(cli("manifest", "validate", "--json"))
    assert out == {
        "valid": True,
        "schema": "v1",
        "manifest": str(project / "manifest.json"),
        "remote": False,
        "stripped": [],
        "errors": [],
    }


def test_manifest_validate_json_lists_each_problem_and_still_exits_2_with_one_line(cli, project):
    manifest = copy.deepcopy(MANIFEST)
    manifest["oauth_config"]["scopes"]["bot"] = "chat:write"
    text = json.dumps(manifest, indent=2)
    (project / "manifest.json").write_text(text)
    result = cli("manifest", "validate", "--json")
    assert result.exit_code == 2
    out = json.loads(result.stdout)
    assert out["valid"] is False and out["schema"] == "v1"
    (error,) = out["errors"]
    assert set(error) == {"pointer", "line", "message"}
    assert error["pointer"] == "/oauth_config/scopes/bot"
    assert error["line"] == text.splitlines().index('      "bot": "chat:write"') + 1
    assert "is not of type 'array'" in error["message"]
    assert len(result.stderr.strip().splitlines()) == 1  # one line (with its hint), no per-problem lines
    assert "the manifest is invalid (1 problem)" in result.stderr


def test_manifest_validate_remote_json(cli, mint, project):
    config_login(cli, mint)
    out = _json(cli("manifest", "validate", "--remote", "--json"))
    assert out["valid"] is True and out["remote"] is True


def test_manifest_validate_json_unparseable_is_one_line_and_no_stdout(cli, project):
    (project / "manifest.json").write_text("{nope")
    result = cli("manifest", "validate", "--json")
    assert result.exit_code == 2 and result.stdout == ""
    assert "manifest.json" in result.stderr


def test_manifest_diff_json(cli, mint, project):
    config_login(cli, mint)
    assert cli("deploy").exit_code == 0
    app_id = the_app(project)["app_id"]
    same = _json(cli("manifest", "diff", "--json"))
    assert same == {
        "app_id": app_id,
        "env": "dev",
        "manifest": str(project / "manifest.json"),
        "differs": False,
        "diff": "",
        "valid": True,
    }
    changed = copy.deepcopy(MANIFEST)
    changed["oauth_config"]["scopes"]["bot"].append("channels:read")
    (project / "manifest.json").write_text(json.dumps(changed))
    out = _json(cli("manifest", "diff", "--json"))
    assert out["differs"] is True and '+        "channels:read"' in out["diff"]
    result = cli("manifest", "diff", "--json", "--exit-code")
    assert result.exit_code == 1 and json.loads(result.stdout)["differs"] is True


def test_deploy_dry_run_json_for_a_new_app(cli, mint, project, emulator):
    config_login(cli, mint)
    out = _json(cli("deploy", "--dry-run", "--json"))
    assert set(out) == DEPLOY_KEYS
    assert out["dry_run"] is True and out["action"] == "create" and out["app_id"] is None
    assert out["changed"] is False and out["team_id"] == emulator.team["id"]
    assert out["credentials"] == "the OS keyring" and '"name": "Deploy Test"' in out["diff"]


def test_deploy_json_then_dry_run_json_of_an_update(cli, mint, project, emulator):
    config_login(cli, mint)
    created = _json(cli("deploy", "--json"))
    app_id = the_app(project)["app_id"]
    assert set(created) == DEPLOY_KEYS | {"settings_url"}
    assert created["action"] == "create" and created["app_id"] == app_id and created["changed"] is True
    assert created["settings_url"] == f"{emulator.url}/_emulator/apps"  # the host in use
    changed = copy.deepcopy(MANIFEST)
    changed["display_information"]["name"] = "Renamed"
    (project / "manifest.json").write_text(json.dumps(changed))
    plan = _json(cli("deploy", "--dry-run", "--json"))
    assert plan["action"] == "update" and plan["app_id"] == app_id and "Renamed" in plan["diff"]
    assert plan["dry_run"] is True and plan["changed"] is False and plan["credentials"] is None
    done = _json(cli("deploy", "--yes", "--json"))
    assert done["action"] == "update" and done["changed"] is True and done["dry_run"] is False
    again = _json(cli("deploy", "--yes", "--json"))
    assert again["action"] == "none" and again["changed"] is False and again["diff"] == ""


def test_deploy_json_error_is_one_line_and_nothing_on_stdout(cli, project):
    result = cli("deploy", "--json")
    assert result.exit_code == 4 and result.stdout == ""
    assert "no app configuration token" in result.stderr


def test_app_list_settings_and_delete_json(cli, mint, project, emulator):
    config_login(cli, mint)
    assert cli("deploy").exit_code == 0
    app_id = the_app(project)["app_id"]
    (row,) = _json(cli("app", "list", "--json"))
    assert {"env", "app_id", "name", "team_id", "client_id", "deployed_at", "credentials", "installed"} == set(row)
    assert row["app_id"] == app_id
    assert _json(cli("app", "settings", "--json")) == {"app_id": app_id, "url": f"{emulator.url}/_emulator/apps"}
    assert _json(cli("app", "delete", "--yes", "--json")) == {
        "app_id": app_id,
        "env": "dev",
        "deleted_at_slack": True,
        "forgotten": True,
    }


def test_app_delete_forget_json(cli, mint, project):
    config_login(cli, mint)
    assert cli("deploy").exit_code == 0
    app_id = the_app(project)["app_id"]
    out = _json(cli("app", "delete", "--yes", "--forget", "--json"))
    assert out == {"app_id": app_id, "env": "dev", "deleted_at_slack": False, "forgotten": True}


def test_tokens_list_and_inspect_json(cli, bot_token):
    assert cli("auth", "login", "--with-token", "--profile", "acme", input=bot_token + "\n").exit_code == 0
    (row,) = _json(cli("tokens", "list", "--json"))
    assert set(row) == {"name", "profile", "kind", "masked", "expires", "storage"}
    assert row["name"] == "acme/bot" and row["kind"] == "bot" and row["expires"] is None
    info = _json(cli("tokens", "inspect", "acme/bot", "--json"))
    assert {
        "name",
        "kind",
        "type",
        "masked",
        "expires",
        "valid",
        "team_id",
        "team",
        "user_id",
        "user",
        "scopes",
    } == set(info)
    assert info["valid"] is True and "chat:write" in info["scopes"] and bot_token not in json.dumps(info)


def test_create_json_names_path_template_and_files(cli, tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    out = _json(cli("create", "ci-app", "--template", "bolt-python", "--no-install", "--no-git", "--json"))
    assert set(out) == {"path", "name", "template", "files", "project_id", "git", "installed"}
    assert out["path"] == str(work / "ci-app") and out["name"] == "ci-app"
    assert out["template"] == "bolt-python" and out["git"] is False and out["installed"] is False
    assert "manifest.json" in out["files"] and all((work / "ci-app" / f).exists() for f in out["files"])
    templates = _json(cli("create", "--list", "--json"))
    assert {"name": "bolt-python"}.items() <= next(t for t in templates if t["name"] == "bolt-python").items()
