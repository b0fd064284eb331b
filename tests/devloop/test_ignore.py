"""What `slackctl run`'s watcher ignores (issue 23 item 2): environments and caches, editors' temporary files,
git-ignored files, and the files its own or the app's stdout/stderr are redirected to."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from slackctl.core.project import Project
from slackctl.devloop.ignore import Ignore, git_ignored, is_editor_temp
from tests.cli.commands.deploy.helpers import make_project
from tests.devloop.helpers import wait_for

BIN = str(Path(sys.executable).parent)


def test_the_watch_filter_ignores_environments_caches_and_deploy_records(tmp_path) -> None:
    from watchfiles import Change

    root = make_project(tmp_path / "p")
    flt = Ignore(Project(root))
    assert flt(Change.modified, str(root / "listeners.py"))
    assert flt(Change.modified, str(root / "manifest.json"))
    for ignored in (
        ".venv/lib/x.py",
        ".git/index",
        "__pycache__/a.pyc",
        ".slack/apps.json",
        ".ruff_cache/x",
        "node_modules/a/index.js",
        "pkg/node_modules/b.js",
        "sub/.venv/bin/python",
    ):
        assert not flt(Change.modified, str(root / ignored)), ignored


@pytest.mark.parametrize(
    "name",
    ["sedFN8Zyh", "4913", ".app.py.swp", "app.py~", ".#app.py", "#app.py#", "app.py___jb_tmp___", ".~lock.notes.odt#"],
)
def test_editors_temporary_files_are_ignored(tmp_path, name: str) -> None:
    from watchfiles import Change

    root = make_project(tmp_path / "p")
    assert is_editor_temp(name)
    assert not Ignore(Project(root))(Change.added, str(root / name))


@pytest.mark.parametrize("name", ["app.py", "sed.py", "listeners.py", "manifest.json", "4913.py", "sedimentary"])
def test_ordinary_names_are_not_taken_for_temporary_files(name: str) -> None:
    assert not is_editor_temp(name)


def test_git_ignored_files_are_dropped_and_tracked_ones_kept(tmp_path) -> None:
    root = make_project(tmp_path / "p")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / ".gitignore").write_text("*.log\nout/\n")
    (root / "debug.log").write_text("x")
    (root / "out").mkdir()
    (root / "out" / "a.txt").write_text("x")
    hook = root / ".git" / "hooks" / "post-checkout"  # check-ignore must run no hook of the project
    hook.write_text(f"#!/bin/sh\ntouch {root}/hook-ran\n")
    hook.chmod(0o755)
    paths = {str(root / "debug.log"), str(root / "out" / "a.txt"), str(root / "app.py")}
    assert git_ignored(root, paths) == {str(root / "debug.log"), str(root / "out" / "a.txt")}
    assert Ignore(Project(root)).keep(paths) == {str(root / "app.py")}
    assert not (root / "hook-ran").exists()


def test_outside_a_git_work_tree_nothing_is_git_ignored(tmp_path) -> None:
    root = make_project(tmp_path / "p")
    (root / ".gitignore").write_text("*.log\n")  # not a repository: git is not asked to guess
    env_ceiling = os.environ.get("GIT_CEILING_DIRECTORIES")
    os.environ["GIT_CEILING_DIRECTORIES"] = str(tmp_path)
    try:
        assert git_ignored(root, {str(root / "a.log")}) == set()
    finally:
        if env_ceiling is None:
            del os.environ["GIT_CEILING_DIRECTORIES"]
        else:
            os.environ["GIT_CEILING_DIRECTORIES"] = env_ceiling


def test_a_file_the_apps_own_stdout_is_redirected_to_is_ignored(tmp_path) -> None:
    """A start hook such as `python3 app.py > app.log` in the project: the app's group writes it, not slackctl."""
    root = make_project(tmp_path / "p")
    log = root / "app.log"
    child = subprocess.Popen(["/bin/sh", "-c", f"exec sleep 30 > {log} 2> {root / 'app.err'}"], process_group=0)
    try:
        wait_for(lambda: log.exists() and (root / "app.err").exists(), timeout=10, what="the redirections")
        time.sleep(0.2)  # the shell has exec'd sleep with its descriptors in place
        paths = {str(log), str(root / "app.err"), str(root / "app.py")}
        assert Ignore(Project(root)).keep(paths, child.pid) == {str(root / "app.py")}
        assert Ignore(Project(root)).keep(paths, None) == paths  # not ignored for what it is called
    finally:
        child.kill()
        child.wait()


# An app that prints (stdout and stderr) as it runs, and counts its starts in a file outside the project.
CHATTY_APP = """
import os, sys, time
with open(os.environ["STARTS_FILE"], "a") as f:
    f.write("start\\n")
for i in range(1000):
    print(f"tick {i}", flush=True)
    print(f"tock {i}", file=sys.stderr, flush=True)
    time.sleep(0.1)
"""


def test_run_emulator_redirected_into_the_project_starts_the_app_once(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's offline example shape, verbatim: `slackctl run --emulator > url.txt 2> run.err` in the project
    folder. Before, every line the app printed changed url.txt, which restarted the app, which printed more."""
    monkeypatch.chdir(tmp_path)
    assert cli("create", "my-app", "--template", "bolt-python", "--no-git", "--no-install").exit_code == 0
    project = tmp_path / "my-app"
    (project / "app.py").write_text(CHATTY_APP)
    starts = tmp_path / "starts.txt"
    env = {k: v for k, v in os.environ.items() if k != "SLACKCTL_SLACK_URL"}
    env.update(PATH=f"{BIN}:{env.get('PATH', '')}", STARTS_FILE=str(starts))
    proc = subprocess.Popen(
        ["bash", "-c", "slackctl run --emulator > url.txt 2> run.err"], cwd=project, env=env, start_new_session=True
    )
    try:
        wait_for(
            lambda: "tick 30" in (project / "url.txt").read_text() if (project / "url.txt").exists() else False,
            timeout=30,
            interval=0.1,
            what="three seconds of the app's output",
        )
        (project / "sedFN8Zyh").write_text("sed -i's temporary file")
        time.sleep(1.0)  # a restart would show by now (150 ms debounce)
        assert starts.read_text().splitlines() == ["start"], (project / "run.err").read_text()
        # The watcher is alive all the same: an edit of the app restarts it, once.
        (project / "app.py").write_text(CHATTY_APP + "# edited\n")
        wait_for(lambda: len(starts.read_text().splitlines()) == 2, timeout=20, what="the restart after an edit")
        time.sleep(1.0)
    finally:
        os.killpg(proc.pid, 2)
        proc.wait(timeout=20)
    err = (project / "run.err").read_text()
    assert starts.read_text().splitlines() == ["start", "start"], err
    assert err.count("restarting the app") == 1 and "app.py changed: restarting the app" in err
    assert (project / "url.txt").read_text().startswith("http://127.0.0.1:")
