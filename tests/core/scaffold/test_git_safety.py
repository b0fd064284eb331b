"""A template can never reach git's own folder, and slackctl's git commands run no hook or fsmonitor."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slackctl.core.scaffold.build import CreateRequest, create_project
from slackctl.core.scaffold.discover import resolve_template
from slackctl.core.scaffold.gitnames import is_git_dir_name, is_git_file_name
from slackctl.errors import UsageError
from tests.core.scaffold.helpers import git, make_repo, write_tree

META = "slackctl-template.toml"


def marker_script(path: Path, marker: Path) -> Path:
    """An executable that leaves `marker` behind when anything runs it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho ran >> '{marker}'\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def evil_git_tree(root: Path, git_dir: str, marker: Path) -> None:
    """Hooks and an fsmonitor command under `git_dir` (a literal name, or a `{{ variable }}`)."""
    for hook in ("pre-commit", "post-commit", "post-checkout", "post-index-change"):
        marker_script(root / git_dir / "hooks" / hook, marker)
    monitor = marker_script(root / "monitor.sh", marker)
    write_tree(root, {f"{git_dir}/config": f"[core]\n\tfsmonitor = {monitor}\n\thooksPath = hooks\n"})


def create(tmp_path: Path, template: Path, *, git_init: bool = True, force: bool = False) -> Path:
    request = CreateRequest(
        target=tmp_path / "out" / "app",
        app_name="app",
        source=resolve_template(str(template)),
        git=git_init,
        install=False,
        force=force,
    )
    return create_project(request).path


@pytest.mark.parametrize(
    "value",
    [
        ".git",
        ".GIT",
        ".Git.",
        ".git ",
        ".git. .",
        "git~1",
        "GIT~2",
        ".git::$INDEX_ALLOCATION",
        ".git:stream",
        ".g\u200cit",
        ".git\ufeff",
        "sub/.git",
    ],
)
def test_a_variable_rendering_to_git_s_folder_is_refused_naming_the_file_and_variable(
    tmp_path: Path, isolated_git: Path, value: str
):
    marker = tmp_path / "pwned"
    src = tmp_path / "t"
    write_tree(src, {META: f"[variables]\ng = {json.dumps(value)}\n", "app.py": "x = 1\n"})
    evil_git_tree(src, "{{ g }}", marker)
    with pytest.raises(UsageError) as exc:
        create(tmp_path, src)
    assert "'{{ g }}/config'" in exc.value.message and "variable g" in exc.value.message
    assert "git" in exc.value.message and "\n" not in exc.value.message
    assert not marker.exists()
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", [".GIT", ".git.", "Git~1", ".git::$DATA"])
def test_a_template_shipping_another_spelling_of_git_s_folder_is_refused(tmp_path: Path, isolated_git: Path, name: str):
    marker = tmp_path / "pwned"
    src = write_tree(tmp_path / "t", {"app.py": "x = 1\n"})
    evil_git_tree(src, name, marker)
    with pytest.raises(UsageError, match="git's own folder"):
        create(tmp_path, src)
    assert not marker.exists() and not (tmp_path / "out").exists()


def test_a_template_shipping_a_git_folder_has_it_skipped_and_runs_nothing(tmp_path: Path, isolated_git: Path):
    marker = tmp_path / "pwned"
    src = write_tree(tmp_path / "t", {"app.py": "x = 1\n"})
    evil_git_tree(src, ".git", marker)
    project = create(tmp_path, src)
    assert not marker.exists()
    config = (project / ".git" / "config").read_text()
    assert "fsmonitor" not in config and "hooksPath" not in config
    assert not (project / ".git" / "hooks" / "post-commit").exists()


def test_a_template_shipping_a_git_file_that_points_elsewhere_is_skipped(tmp_path: Path, isolated_git: Path):
    # `.git` as a file is a pointer ("gitdir: …") to a repository elsewhere: git init would adopt that one.
    marker = tmp_path / "pwned"
    src = write_tree(
        tmp_path / "t", {"app.py": "x = 1\n", ".git": "gitdir: evil\n", "evil/HEAD": "ref: refs/heads/main\n"}
    )
    evil_git_tree(src, "evil", marker)
    project = create(tmp_path, src)
    assert not marker.exists()
    assert (project / ".git").is_dir()
    assert git(project, "rev-parse", "--git-dir").strip() == ".git"
    assert "fsmonitor" not in (project / ".git" / "config").read_text()


def test_a_git_template_with_a_git_folder_variable_is_refused(tmp_path: Path, isolated_git: Path):
    marker = tmp_path / "pwned"
    repo = tmp_path / "repo"
    write_tree(repo, {META: "[variables]\ng = '.git'\n", "app.py": "x = 1\n"})
    evil_git_tree(repo, "{{ g }}", marker)
    url = make_repo(repo, {})
    request = CreateRequest(
        target=tmp_path / "out" / "app", app_name="app", source=resolve_template(url), git=True, install=False
    )
    with pytest.raises(UsageError, match="variable g"):
        create_project(request)
    assert not marker.exists() and not (tmp_path / "out").exists()


@pytest.mark.parametrize("kind", ["folder", "git"])
def test_the_users_own_hooks_and_fsmonitor_do_not_run_for_slackctls_clone_and_commit(
    tmp_path: Path, isolated_git: Path, kind: str
):
    files = {"app.py": "x = 1\n"}
    template = str(write_tree(tmp_path / "t", files)) if kind == "folder" else make_repo(tmp_path / "repo", files)
    marker = tmp_path / "ran"
    hooks = tmp_path / "my-hooks"
    for hook in (
        "pre-commit",
        "commit-msg",
        "post-commit",
        "post-checkout",
        "post-index-change",
        "reference-transaction",
    ):
        marker_script(hooks / hook, marker)
    monitor = marker_script(tmp_path / "my-monitor.sh", marker)
    isolated_git.write_text(
        f"[core]\n\thooksPath = {hooks}\n\tfsmonitor = {monitor}\n[user]\n\tname = Ada\n\temail = ada@example.com\n"
    )
    request = CreateRequest(
        target=tmp_path / "out" / "app", app_name="app", source=resolve_template(template), git=True, install=False
    )
    project = create_project(request).path
    assert not marker.exists()
    assert git(project, "log", "--format=%an|%s").strip() == "Ada|Initial commit from slackctl create"
    # The user's config is theirs to keep: nothing was written into the new repository to override it.
    assert "hooksPath" not in (project / ".git" / "config").read_text()


def test_git_environment_variables_do_not_redirect_the_new_repository(
    tmp_path: Path, isolated_git: Path, monkeypatch: pytest.MonkeyPatch
):
    victim = tmp_path / "victim"
    make_repo(victim, {"mine.txt": "mine\n"})
    head = git(victim, "rev-parse", "HEAD")
    monkeypatch.setenv("GIT_DIR", str(victim / ".git"))
    monkeypatch.setenv("GIT_INDEX_FILE", str(victim / ".git" / "index"))
    src = write_tree(tmp_path / "t", {"app.py": "x = 1\n"})
    project = create(tmp_path, src)
    monkeypatch.delenv("GIT_DIR")
    monkeypatch.delenv("GIT_INDEX_FILE")
    assert git(victim, "rev-parse", "HEAD") == head
    assert git(victim, "status", "--porcelain") == ""
    assert "app.py" in git(project, "ls-files").split()


@pytest.mark.parametrize("name", [".gitmodules", ".gitattributes", ".gitignore", ".GitIgnore", ".mailmap"])
def test_git_files_that_are_links_are_refused(tmp_path: Path, name: str):
    # git no longer follows these when they are links (and refuses a linked .gitmodules outright).
    src = write_tree(tmp_path / "t", {"real-ignore": "*.pyc\n", "app.py": ""})
    (src / name).symlink_to("real-ignore")
    with pytest.raises(UsageError, match="must be a regular file"):
        create(tmp_path, src, git_init=False)
    assert not (tmp_path / "out").exists()


def test_gitignore_gitattributes_and_gitmodules_are_ordinary_template_files(tmp_path: Path, isolated_git: Path):
    src = write_tree(
        tmp_path / "t",
        {
            ".gitignore": "*.log\n",
            ".gitattributes": "*.py text eol=lf\n",
            ".gitmodules": "",
            ".github/workflows/ci.yml": "on: push\n",
            "app.py": "x = 1\n",
            "debug.log": "ignored\n",
        },
    )
    project = create(tmp_path, src)
    tracked = git(project, "ls-files").split()
    assert {".gitignore", ".gitattributes", ".gitmodules", ".github/workflows/ci.yml", "app.py"} <= set(tracked)
    assert "debug.log" not in tracked


@pytest.mark.parametrize(
    "name, expected",
    [
        (".git", True),
        (".GIT", True),
        (".gIt", True),
        (".git.", True),
        (".git ", True),
        (".git . .", True),
        ("git~1", True),
        ("GIT~9", True),
        (".git::$INDEX_ALLOCATION", True),
        (".git:x", True),
        (".g\u200dit", True),
        ("\u200e.git", True),
        (".git\u206f", True),
        (".gitignore", False),
        (".gitattributes", False),
        (".gitmodules", False),
        (".github", False),
        ("git", False),
        (".gitkeep", False),
        (".git-blame-ignore-revs", False),
        ("git~", False),
        ("x.git", False),
        ("..git", False),
        (".git2", False),
    ],
)
def test_names_git_or_a_case_insensitive_filesystem_reads_as_git_s_folder(name: str, expected: bool):
    assert is_git_dir_name(name) is expected


@pytest.mark.parametrize(
    "name, expected",
    [
        (".gitmodules", True),
        (".GITATTRIBUTES", True),
        (".gitignore.", True),
        (".mailmap", True),
        (".gitkeep", False),
        ("gitignore", False),
    ],
)
def test_git_file_names_are_recognised_in_any_spelling(name: str, expected: bool):
    assert is_git_file_name(name) is expected


def test_the_first_commit_still_records_every_file(tmp_path: Path, isolated_git: Path):
    src = write_tree(tmp_path / "t", {"app.py": "x = 1\n", "pkg/mod.py": ""})
    project = create(tmp_path, src)
    assert sorted(git(project, "ls-files").split()) == [
        ".slack/.gitignore",
        ".slack/config.json",
        ".slack/hooks.json",
        "app.py",
        "pkg/mod.py",
    ]
    assert subprocess.run(["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True).stdout == ""


IGNORABLE = st.sampled_from(["", "\u200c", "\u200d", "\u200e", "\u202a", "\u206f", "\ufeff"])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.booleans(), min_size=4, max_size=4),
    st.lists(IGNORABLE, min_size=5, max_size=5),
    st.text(alphabet=". ", max_size=4),
    st.sampled_from(["", ":", "::$DATA", ":x"]),
)
def test_property_every_spelling_of_dot_git_is_recognised(upper: list[bool], gaps: list[str], tail: str, stream: str):
    letters = [ch.upper() if up else ch for ch, up in zip(".git", upper, strict=True)]
    name = "".join(gap + letter for gap, letter in zip(gaps, letters, strict=False)) + gaps[-1] + tail + stream
    assert is_git_dir_name(name)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abgitxGIT.-_~1", min_size=1, max_size=8))
def test_property_other_names_are_not_git_s_folder(extra: str):
    # Something other than dots and spaces after ".git" (before any ":"), or anything before it, is another name.
    name = ".git" + extra
    expected = extra.strip(". ") == "" and set(extra) <= {".", " "}
    assert is_git_dir_name(name) is expected
    assert is_git_dir_name("x" + extra + ".git") is False
