"""`slackctl manifest validate FILE` checks a file given by path, from anywhere (issue 23 item 16: the emulator's
own hint says `slackctl manifest validate FILE`)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from tests.cli.commands.deploy.helpers import MANIFEST


def _bad_manifest() -> dict:
    manifest = copy.deepcopy(MANIFEST)
    manifest["settings"]["bad_param"] = True
    manifest["features"]["slash_commands"] = [{"command": "hello", "description": "say hello"}]
    return manifest


def test_validate_file_checks_that_file_outside_any_project(cli, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no project here
    good = tmp_path / "elsewhere" / "app-manifest.json"
    good.parent.mkdir()
    good.write_text(json.dumps(MANIFEST))
    result = cli("manifest", "validate", str(good))
    assert result.exit_code == 0, result.stderr
    assert f"{good}: valid (v1 schema)" in result.stderr


def test_validate_file_lists_its_problems_with_pointer_and_line(cli, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(_bad_manifest(), indent=2))
    result = cli("manifest", "validate", str(bad))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert any(line.startswith("  /settings/bad_param (line ") for line in lines)
    assert any("/features/slash_commands/0/command" in line and "'hello' must start with /" in line for line in lines)
    as_json = json.loads(cli("manifest", "validate", str(bad), "--json").stdout)
    assert as_json["valid"] is False and as_json["manifest"] == str(bad) and len(as_json["errors"]) == 2


def test_validate_of_a_missing_file_is_one_line(cli, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("manifest", "validate", "nope.json")
    assert result.exit_code == 2
    assert "no manifest at" in result.stderr and "nope.json" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
