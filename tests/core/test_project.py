"""slackctl.core.project: finding the root, apps.json (ours and Slack CLI's), environments, the manifest sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from slackctl.core.project import AppRecord, Project, find_project, find_project_root, resolve_manifest
from slackctl.errors import UsageError


def test_root_is_found_from_a_subdirectory(tmp_path: Path) -> None:
    (tmp_path / "app" / ".slack").mkdir(parents=True)
    deep = tmp_path / "app" / "src" / "pkg"
    deep.mkdir(parents=True)
    assert find_project_root(deep) == (tmp_path / "app").resolve()


def test_manifest_file_alone_marks_a_project(tmp_path: Path) -> None:
    (tmp_path / "manifest.yaml").write_text("display_information: {name: x}\n")
    assert find_project_root(tmp_path) == tmp_path.resolve()


def test_no_project_is_a_usage_error_with_a_hint(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as info:
        find_project(tmp_path)
    assert "slackctl create" in (info.value.hint or "")


def test_home_slack_dir_is_not_a_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".slack").mkdir()  # Slack CLI's own config dir
    (tmp_path / "work").mkdir()
    assert find_project_root(tmp_path / "work") is None


def test_save_app_reads_back_and_remove_forgets_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACKCTL_CONFIG_DIR", str(tmp_path / "cfg"))
    project = Project(tmp_path)
    (tmp_path / ".slack").mkdir()
    project.save_app(AppRecord(app_id="A1", team_id="T1", env="staging", client_id="1.2", name="App"))
    data = json.loads(project.records_path.read_text())
    assert data["environments"]["staging"]["T1"] == {"app_id": "A1", "team_id": "T1", "client_id": "1.2", "name": "App"}
    assert not project.apps_path.exists()  # staging is slackctl's alone: Slack's files are not touched
    assert project.app("staging", "T1") == AppRecord(
        app_id="A1", team_id="T1", env="staging", client_id="1.2", name="App"
    )
    assert project.app("dev", "T1") is None
    project.remove_app(project.app("staging", "T1"))
    assert project.apps() == []


def test_broken_apps_json_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / ".slack").mkdir()
    (tmp_path / ".slack" / "apps.json").write_text('{\n  "apps": ,\n}')
    with pytest.raises(UsageError, match=r"apps\.json:2:11: invalid JSON"):
        Project(tmp_path).apps()


def test_environment_overrides_are_deep_merged(tmp_path: Path) -> None:
    (tmp_path / ".slack").mkdir()
    (tmp_path / "manifest.json").write_text(json.dumps({"display_information": {"name": "App", "description": "d"}}))
    (tmp_path / ".slack" / "environments.json").write_text(
        json.dumps({"dev": {"display_information": {"name": "App (dev)"}}})
    )
    project = Project(tmp_path)
    assert resolve_manifest(project, "dev").data == {"display_information": {"name": "App (dev)", "description": "d"}}
    assert resolve_manifest(project, "prod").data == {"display_information": {"name": "App", "description": "d"}}


def test_json_manifest_wins_over_the_get_manifest_hook(tmp_path: Path) -> None:
    (tmp_path / ".slack").mkdir()
    (tmp_path / ".slack" / "hooks.json").write_text(json.dumps({"hooks": {"get-manifest": "exit 1"}}))
    (tmp_path / "manifest.json").write_text(json.dumps({"display_information": {"name": "File"}}))
    assert resolve_manifest(Project(tmp_path)).data["display_information"]["name"] == "File"


def test_hooks_json_of_the_wrong_shape_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / ".slack").mkdir()
    (tmp_path / ".slack" / "hooks.json").write_text(json.dumps({"hooks": {"deploy": ["not", "a", "string"]}}))
    with pytest.raises(UsageError, match="hooks.json"):
        Project(tmp_path).hook("deploy")
