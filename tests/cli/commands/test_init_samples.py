"""slackctl init (adopt an existing project: .slack files both tools accept, the runtime detected, nothing of the
project's own overwritten), slackctl samples (Slack's sample apps, no network) and manifest info."""

from __future__ import annotations

import json

import pytest

from slackctl.core import hookprotocol as hp


@pytest.mark.parametrize(
    ("files", "runtime", "start"),
    [
        ({"app.py": "", "requirements.txt": "slack_bolt\n"}, "python", "python3 app.py"),
        ({"package.json": json.dumps({"main": "bot.js"}), "bot.js": ""}, "node", "node bot.js"),
        ({"package.json": json.dumps({"scripts": {"start": "node x.js"}})}, "node", "npm start"),
    ],
)
def test_init_writes_files_slack_cli_accepts_for_the_detected_runtime(
    cli, tmp_path, monkeypatch, files, runtime, start
):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    result = cli("init", "--json")
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["runtime"] == runtime
    assert out["written"] == [".slack/.gitignore", ".slack/config.json", ".slack/hooks.json"]
    config = hp.parse_config(json.loads((tmp_path / ".slack" / "hooks.json").read_text()), "hooks.json")
    assert config.hook("start") == start and config.sdk_managed_connection
    assert json.loads((tmp_path / ".slack" / "config.json").read_text())["manifest"] == {"source": "local"}


def test_init_uses_the_sdks_get_hooks_when_the_project_depends_on_it(cli, tmp_path, monkeypatch):
    (tmp_path / "requirements.txt").write_text("slack-bolt\nslack-cli-hooks<1.0.0\n")
    monkeypatch.chdir(tmp_path)
    assert cli("init").exit_code == 0
    hooks = json.loads((tmp_path / ".slack" / "hooks.json").read_text())
    assert hooks == {"hooks": {"get-hooks": "python3 -m slack_cli_hooks.hooks.get_hooks"}}


def test_init_keeps_the_projects_own_files_and_id(cli, tmp_path, monkeypatch):
    (tmp_path / ".slack").mkdir()
    (tmp_path / ".slack" / "hooks.json").write_text('{"hooks": {"start": "mine"}}')
    (tmp_path / ".slack" / "config.json").write_text('{"project_id": "keep-me", "manifest": {"source": "remote"}}')
    monkeypatch.chdir(tmp_path)
    out = json.loads(cli("init", "--json").stdout)
    assert out["project_id"] == "keep-me" and out["written"] == [".slack/.gitignore"]
    assert (tmp_path / ".slack" / "hooks.json").read_text() == '{"hooks": {"start": "mine"}}'
    assert json.loads((tmp_path / ".slack" / "config.json").read_text())["manifest"] == {"source": "remote"}


def test_init_of_a_missing_folder_is_one_line(cli, tmp_path):
    result = cli("init", str(tmp_path / "nope"))
    assert result.exit_code == 2 and "is not a folder" in result.stderr


def test_samples_lists_slacks_sample_apps_without_network(cli, emulator):
    rows = json.loads(cli("samples", "--language", "typescript", "--json").stdout)
    assert rows == [
        {
            "name": "bolt-ts-starter-template",
            "language": "typescript",
            "description": "Bolt for JavaScript in TypeScript, starter",
            "template": "slack-samples/bolt-ts-starter-template",
        }
    ]
    assert emulator.requests() == []
    result = cli("samples", "--language", "cobol")
    assert result.exit_code == 2 and "pick one of: deno, javascript, python, typescript" in result.stderr


def test_manifest_info_prints_the_resolved_local_manifest(cli, tmp_path, monkeypatch):
    from tests.cli.commands.deploy.helpers import MANIFEST, make_project

    root = make_project(tmp_path / "app", environments={"prod": {"display_information": {"name": "Prod name"}}})
    monkeypatch.chdir(root)
    assert json.loads(cli("manifest", "info").stdout) == MANIFEST
    assert json.loads(cli("manifest", "info", "--env", "prod").stdout)["display_information"]["name"] == "Prod name"
    result = cli("manifest", "info", "--source", "elsewhere")
    assert result.exit_code == 2 and "--source must be local or remote" in result.stderr


def test_manifest_info_remote_is_the_deployed_manifest(cli, mint, tmp_path, monkeypatch, emulator):
    from tests.cli.commands.deploy.helpers import config_login, make_project

    root = make_project(tmp_path / "app")
    monkeypatch.chdir(root)
    config_login(cli, mint)
    existing = emulator.create_app(name="Remote name")
    assert cli("app", "link", "--app", existing["app_id"]).exit_code == 0
    (root / ".slack" / "config.json").write_text(json.dumps({"manifest": {"source": "remote"}}))
    shown = json.loads(cli("manifest", "info").stdout)  # config.json's source: remote
    assert shown["display_information"]["name"] == "Remote name"
    assert (
        json.loads(cli("manifest", "info", "--source", "local").stdout)["display_information"]["name"] != "Remote name"
    )
