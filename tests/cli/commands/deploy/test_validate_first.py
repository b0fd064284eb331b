"""deploy validates the manifest before it looks for a configuration token (issue 19, item 6)."""

from __future__ import annotations

from tests.cli.commands.deploy.helpers import make_project


def test_dry_run_with_a_json_syntax_error_and_no_token_reports_the_manifest(cli, tmp_path, monkeypatch):
    root = make_project(tmp_path / "proj")
    (root / "manifest.json").write_text('{"display_information": {"name": "x",}}\n')
    monkeypatch.chdir(root)
    result = cli("deploy", "--dry-run")
    assert result.exit_code == 2, result.output
    assert "manifest" in result.stderr and "configuration token" not in result.stderr
