"""Hooks planted by another user never run as you (issue 24 item 1, git's CVE-2022-24765 in slackctl's shape).

The suite runs as root, so "another user" is uid 65534 (nobody): folders and files are handed to it with chown,
and a shared folder is mode 1777 as /tmp is. Every hook here would leave a marker file if it ran."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from slackctl.core.project import find_project_root
from tests.cli.commands.deploy.helpers import MANIFEST

NOBODY = 65534


def _chown_tree(root: Path, uid: int = NOBODY) -> None:
    for path in (root, *root.rglob("*")):
        os.chown(path, uid, uid)


def _plant(root: Path, marker: Path, *, manifest: bool = False) -> Path:
    """A project at ROOT whose get-manifest and start hooks would each touch MARKER."""
    (root / ".slack").mkdir(parents=True, exist_ok=True)
    hooks = {"get-manifest": f"touch {marker}; cat {root / 'real-manifest.json'}", "start": f"touch {marker}"}
    (root / ".slack" / "hooks.json").write_text(json.dumps({"hooks": hooks}))
    (root / "real-manifest.json").write_text(json.dumps(MANIFEST))
    if manifest:
        (root / "manifest.json").write_text(json.dumps(MANIFEST))
    return root


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    """A shared folder owned by another user (mode 1777) with a hooks file planted in it, and your own
    project-less folder inside it."""
    folder = tmp_path / "team-folder"
    folder.mkdir()
    _plant(folder, tmp_path / "ran")
    _chown_tree(folder)
    folder.chmod(0o1777)
    (folder / "mine").mkdir()
    return folder


def test_the_walk_up_stops_at_a_folder_another_user_owns(shared, tmp_path):
    assert find_project_root(shared / "mine") is None
    os.chown(shared, 0, 0)  # the same layout, owned by you, is a project
    assert find_project_root(shared / "mine") == shared


def test_the_walk_up_stops_at_a_filesystem_boundary(tmp_path):
    """A tmpfs mounted in a private mount namespace (unshare -m): the project above the mount point is not found
    from inside it, the mount point itself still is when it is one."""
    project = _plant(tmp_path / "above", tmp_path / "ran", manifest=True)
    inside = project / "mounted"
    inside.mkdir()
    probe = (
        f"import sys; sys.path.insert(0, {str(Path.cwd())!r}); from pathlib import Path; "
        "from slackctl.core.project import find_project_root; "
        f"print(find_project_root(Path({str(inside / 'deeper')!r})))"
    )
    script = f'mount -t tmpfs tmpfs {inside} && mkdir {inside / "deeper"} && {sys.executable} -c "{probe}"'
    proc = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "None"
    assert find_project_root(inside) == project  # the same path without the mount: found


def test_manifest_validate_below_a_planted_hook_finds_no_project_and_runs_nothing(cli, shared, tmp_path, monkeypatch):
    monkeypatch.chdir(shared / "mine")
    result = cli("manifest", "validate")
    assert result.exit_code == 2
    assert "no app project here" in result.stderr
    assert not (tmp_path / "ran").exists()


def test_manifest_validate_refuses_the_hook_of_a_project_another_user_owns(cli, tmp_path, monkeypatch):
    project = _plant(tmp_path / "theirs", tmp_path / "ran")
    _chown_tree(project)
    monkeypatch.chdir(project)
    result = cli("manifest", "validate")
    assert result.exit_code == 2
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("error")]
    assert "not running the get-manifest hook" in line and "owned by another user (uid 65534)" in line
    assert f"SLACKCTL_TRUSTED_PROJECTS={project}" in result.stderr
    assert not (tmp_path / "ran").exists()
    trusted = cli("manifest", "validate", env={"SLACKCTL_TRUSTED_PROJECTS": str(project)})
    assert trusted.exit_code == 0, trusted.stderr
    assert (tmp_path / "ran").exists()


@pytest.mark.parametrize("writable", ["dir", "file"])
def test_a_hooks_file_others_may_write_is_refused(cli, tmp_path, monkeypatch, writable):
    project = _plant(tmp_path / "mine", tmp_path / "ran")
    (project / ".slack" if writable == "dir" else project / ".slack" / "hooks.json").chmod(0o777)
    monkeypatch.chdir(project)
    result = cli("manifest", "validate")
    assert result.exit_code == 2
    assert "writable by others" in result.stderr and "chmod go-w" in result.stderr
    assert not (tmp_path / "ran").exists()


def test_a_group_writable_hooks_file_of_your_own_group_runs(cli, tmp_path, monkeypatch):
    """umask 002 (user-private groups) leaves .slack group-writable by your own group: not a reason to refuse."""
    project = _plant(tmp_path / "mine", tmp_path / "ran")
    (project / ".slack").chmod(0o775)
    (project / ".slack" / "hooks.json").chmod(0o664)
    monkeypatch.chdir(project)
    assert cli("manifest", "validate").exit_code == 0
    assert (tmp_path / "ran").exists()


def test_auth_login_never_runs_a_get_manifest_hook(cli, tmp_path, monkeypatch):
    """Not even one in your own project: logging in must not run project code (here: a trusted project, so the
    hook would run anywhere else)."""
    project = _plant(tmp_path / "mine", tmp_path / "ran")
    monkeypatch.chdir(project)
    result = cli(
        "auth",
        "login",
        "--client-id",
        "123.456",
        "--scopes",
        "chat:write",
        "--no-browser",
        "--paste",
        input="\n",
        can_prompt=False,
    )
    assert not (tmp_path / "ran").exists(), result.stderr


def test_auth_login_below_a_planted_hook_runs_nothing(cli, shared, tmp_path, monkeypatch):
    monkeypatch.chdir(shared / "mine")
    cli("auth", "login", "--client-id", "123.456", "--no-browser", "--paste", input="\n", can_prompt=False)
    assert not (tmp_path / "ran").exists()


def test_run_refuses_the_start_hook_of_a_project_another_user_owns(run_slackctl, tmp_path):
    project = _plant(tmp_path / "theirs", tmp_path / "ran", manifest=True)
    _chown_tree(project)
    result = run_slackctl("run", "--emulator", "--no-reload", cwd=project, timeout=60)
    assert result.exit_code == 2, result.stderr
    assert "not running the start hook" in result.stderr and "owned by another user" in result.stderr
    assert not (tmp_path / "ran").exists()


def test_run_below_a_planted_hook_finds_no_project(run_slackctl, shared, tmp_path):
    result = run_slackctl("run", "--emulator", "--no-reload", cwd=shared / "mine", timeout=60)
    assert result.exit_code == 2
    assert "no app project here" in result.stderr
    assert not (tmp_path / "ran").exists()
