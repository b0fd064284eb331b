"""One project, two tools: slackctl's app records and Slack CLI's `.slack/apps.json` / `.slack/apps.dev.json`,
each file in the shape its owner writes (slack-cli internal/app/app_client.go, types.App), so neither tool loses
the other's apps, and slackctl's older layout is migrated with every app id kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from slackctl.core.project import AppRecord, Project

# What Slack's CLI writes after `slack run` and `slack deploy` (Go's MarshalIndent: two spaces, no final newline).
SLACK_DEV = (
    '{\n  "T1": {\n    "app_id": "A_DEV",\n    "IsDev": true,\n    "team_domain": "acme",\n'
    '    "team_id": "T1",\n    "user_id": "U1"\n  }\n}'
)
SLACK_DEPLOYED = (
    '{\n  "apps": {\n    "T1": {\n      "app_id": "A_PROD",\n      "team_domain": "acme",\n'
    '      "team_id": "T1",\n      "user_id": "U1"\n    }\n  },\n  "default": "acme"\n}'
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.setenv("SLACKCTL_CONFIG_DIR", str(tmp_path / "cfg"))
    (tmp_path / "app" / ".slack").mkdir(parents=True)
    return Project(tmp_path / "app")


def slack_cli_reads(path: Path) -> None:
    """What Slack's CLI does to apps.json whenever it reads it: keep `apps` and `default`, nothing else."""
    data = json.loads(path.read_text())
    path.write_text(json.dumps({k: data[k] for k in ("apps", "default") if k in data}, indent=2))


def test_apps_written_by_slack_cli_are_the_dev_and_prod_apps(project: Project) -> None:
    (project.slack_dir / "apps.dev.json").write_text(SLACK_DEV)
    (project.slack_dir / "apps.json").write_text(SLACK_DEPLOYED)
    dev, prod = project.app("dev", "T1"), project.app("prod", "T1")
    assert dev is not None and (dev.app_id, dev.team_domain, dev.user_id) == ("A_DEV", "acme", "U1")
    assert prod is not None and prod.app_id == "A_PROD"
    # Reading changed nothing in Slack's files.
    assert (project.slack_dir / "apps.dev.json").read_text() == SLACK_DEV
    assert (project.slack_dir / "apps.json").read_text() == SLACK_DEPLOYED


def test_saved_dev_and_prod_apps_are_written_exactly_as_slack_cli_writes_them(project: Project) -> None:
    for env, app_id in (("dev", "A_DEV"), ("prod", "A_PROD")):
        project.save_app(
            AppRecord(
                app_id=app_id,
                team_id="T1",
                env=env,
                client_id="1.2",
                name="App",
                team_domain="acme",
                user_id="U1",
                manifest_hash="h",
            )
        )
    assert (project.slack_dir / "apps.dev.json").read_text() == SLACK_DEV
    assert (project.slack_dir / "apps.json").read_text() == SLACK_DEPLOYED
    assert (project.slack_dir / "apps.json").stat().st_mode & 0o777 == 0o600  # as Slack's CLI writes it
    # slackctl's own facts stay in its own file.
    records = json.loads(project.records_path.read_text())["environments"]
    assert records["dev"]["T1"]["manifest_hash"] == "h" and records["prod"]["T1"]["client_id"] == "1.2"


def test_slack_cli_rewriting_apps_json_loses_no_environment(project: Project) -> None:
    for env, app_id in (("dev", "A_DEV"), ("staging", "A_STAGE"), ("prod", "A_PROD")):
        project.save_app(AppRecord(app_id=app_id, team_id="T1", env=env))
    slack_cli_reads(project.apps_path)
    assert {r.env: r.app_id for r in project.apps()} == {"dev": "A_DEV", "staging": "A_STAGE", "prod": "A_PROD"}


def test_the_old_layout_is_migrated_keeping_every_app_id(project: Project) -> None:
    old = {
        "apps": {"T1": {"app_id": "A_PROD", "team_id": "T1"}},
        "default": "acme",
        "environments": {
            "dev": {"T1": {"app_id": "A_DEV", "team_id": "T1", "client_id": "1.2"}},
            "staging": {"T1": {"app_id": "A_STAGE", "team_id": "T1"}},
            "prod": {"T1": {"app_id": "A_PROD", "team_id": "T1", "manifest_hash": "h"}},
        },
    }
    project.apps_path.write_text(json.dumps(old))
    assert {r.env: r.app_id for r in project.apps()} == {"dev": "A_DEV", "staging": "A_STAGE", "prod": "A_PROD"}
    # apps.json now holds only what Slack's CLI keeps; the rest is in slackctl.json.
    assert set(json.loads(project.apps_path.read_text())) == {"apps", "default"}
    records = json.loads(project.records_path.read_text())["environments"]
    assert records["dev"]["T1"]["client_id"] == "1.2" and records["prod"]["T1"]["manifest_hash"] == "h"
    slack_cli_reads(project.apps_path)
    assert {r.env: r.app_id for r in project.apps()} == {"dev": "A_DEV", "staging": "A_STAGE", "prod": "A_PROD"}


def test_slack_cli_legacy_dev_key_is_moved_to_apps_dev_json(project: Project) -> None:
    # A `"dev":` in apps.json makes Slack's CLI overwrite apps.dev.json with it: slackctl moves it first.
    project.apps_path.write_text(
        json.dumps({"apps": {}, "dev": {"T1": {"app_id": "A_OLD_DEV", "team_id": "T1", "name": "acme"}}})
    )
    assert project.app("dev", "T1").app_id == "A_OLD_DEV"  # type: ignore[union-attr]
    assert '"dev":' not in project.apps_path.read_text()
    assert json.loads((project.slack_dir / "apps.dev.json").read_text())["T1"] == {
        "app_id": "A_OLD_DEV",
        "name": "acme",
        "IsDev": True,
        "team_domain": "acme",
        "team_id": "T1",
    }


def test_an_app_slack_cli_replaced_wins_over_slackctls_stale_record(project: Project) -> None:
    project.save_app(AppRecord(app_id="A_OLD", team_id="T1", env="dev", manifest_hash="h"))
    (project.slack_dir / "apps.dev.json").write_text(SLACK_DEV)  # `slack run` made a new dev app
    record = project.app("dev", "T1")
    assert record is not None and record.app_id == "A_DEV" and record.manifest_hash == ""


def test_removing_an_app_removes_it_from_slack_clis_files_too(project: Project) -> None:
    (project.slack_dir / "apps.dev.json").write_text(SLACK_DEV)
    (project.slack_dir / "apps.json").write_text(SLACK_DEPLOYED)
    project.remove_app(project.app("dev", "T1"))  # type: ignore[arg-type]
    project.remove_app(project.app("prod", "T1"))  # type: ignore[arg-type]
    assert json.loads((project.slack_dir / "apps.dev.json").read_text()) == {}
    assert json.loads(project.apps_path.read_text()) == {}
    assert project.apps() == []
