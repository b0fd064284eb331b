"""How `create` installs a JavaScript project: `npm ci` with a lock file (exactly the locked versions), else
`npm install`; nothing with --no-install; a missing npm is one line. The real installs run in
tests/devloop/test_js_templates.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from slackctl.core.scaffold import project
from slackctl.errors import UsageError


def test_npm_ci_with_a_lock_file_else_npm_install(tmp_path: Path) -> None:
    assert project.npm_command(tmp_path) is None  # not a Node project
    (tmp_path / "package.json").write_text("{}")
    assert project.npm_command(tmp_path) == ["npm", "install", "--no-audit", "--no-fund"]
    (tmp_path / "package-lock.json").write_text("{}")
    assert project.npm_command(tmp_path) == ["npm", "ci", "--no-audit", "--no-fund"]


def test_no_npm_is_one_line_saying_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "package.json").write_text("{}")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(UsageError, match="npm is not installed") as info:
        project.install(tmp_path)
    assert "--no-install" in (info.value.hint or "")
    assert not (tmp_path / "node_modules").exists()


@pytest.mark.parametrize("template", ["bolt-js", "bolt-ts"])
def test_no_install_leaves_node_modules_out(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, template: str):
    monkeypatch.chdir(tmp_path)
    result = cli("create", "js-app", "--template", template, "--no-install", "--no-git")
    assert result.exit_code == 0, result.stderr
    assert not (tmp_path / "js-app" / "node_modules").exists()
    assert "npm install" in result.stderr  # the next steps say how to install later
    assert (tmp_path / "js-app" / "package-lock.json").is_file()
    assert '"name": "js-app"' in (tmp_path / "js-app" / "package-lock.json").read_text()
