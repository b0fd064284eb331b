"""Template symlinks are resolved as the OS resolves them (through other links), in the template and the project."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from slackctl.core.scaffold.build import CreateRequest, create_project
from slackctl.core.scaffold.discover import resolve_template
from slackctl.errors import UsageError
from tests.core.scaffold.helpers import write_tree

META = "slackctl-template.toml"


def create(tmp_path: Path, template: Path, *, force: bool = False) -> Path:
    request = CreateRequest(
        target=tmp_path / "out" / "app",
        app_name="app",
        source=resolve_template(str(template)),
        git=False,
        install=False,
        force=force,
    )
    return create_project(request).path


def test_a_link_escaping_through_a_link_to_its_own_folder_is_refused(tmp_path: Path):
    (tmp_path / "secret.txt").write_text("host file")
    src = write_tree(tmp_path / "t", {"ok.txt": "fine"})
    os.symlink(".", src / "y")
    # As text, y/y/../secret.txt is y/secret.txt, inside; resolved, y/y is the template itself and `..` its parent.
    os.symlink("y/y/../secret.txt", src / "leak")
    with pytest.raises(UsageError, match="'leak' points outside the template"):
        create(tmp_path, src)
    assert not (tmp_path / "out").exists()


def test_the_issue_s_etc_passwd_link_is_refused(tmp_path: Path):
    src = write_tree(tmp_path / "t", {"ok.txt": "fine"})
    os.symlink(".", src / "y")
    depth = len(src.resolve().parts) + 1
    os.symlink("y/" * depth + "../" * depth + "etc/passwd", src / "passwd")
    assert os.path.realpath(src / "passwd") == "/etc/passwd"  # what the OS makes of it
    with pytest.raises(UsageError, match="'passwd' points outside the template"):
        create(tmp_path, src)
    assert not (tmp_path / "out").exists()


def test_a_chain_of_links_that_leaves_the_template_is_refused(tmp_path: Path):
    (tmp_path / "outside").mkdir()
    src = write_tree(tmp_path / "t", {"ok.txt": "fine", "sub/keep.txt": "x"})
    os.symlink("sub/up", src / "a")  # a -> sub/up -> .. is the template itself, so a/.. is its parent
    os.symlink("..", src / "sub" / "up")
    os.symlink("a/../outside", src / "b")
    with pytest.raises(UsageError, match="points outside the template"):
        create(tmp_path, src)


def test_a_link_into_git_s_folder_is_refused(tmp_path: Path):
    src = write_tree(tmp_path / "t", {"ok.txt": "fine"})
    os.symlink(".git/hooks", src / "hooks")
    with pytest.raises(UsageError, match="git's own folder"):
        create(tmp_path, src)
    assert not (tmp_path / "out").exists()


def test_a_link_through_a_name_rendered_empty_that_would_leave_the_project_is_refused(tmp_path: Path):
    src = write_tree(tmp_path / "t", {META: "[variables]\nd = ''\n", "x.txt": "x", "{{ d }}/keep.txt": ""})
    os.symlink("../x.txt", src / "{{ d }}" / "l")  # inside the template; at the project's root it points out
    with pytest.raises(UsageError, match="outside the new project"):
        create(tmp_path, src)


def test_with_force_a_link_resolving_through_the_users_own_link_to_outside_is_refused(tmp_path: Path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    target = tmp_path / "out" / "app"
    target.mkdir(parents=True)
    (target / "mine.txt").write_text("keep")
    os.symlink(outside, target / "y")  # the user's own link in the folder they create into
    src = write_tree(tmp_path / "t", {"ok.txt": "fine"})
    os.symlink("y/secret", src / "leak")  # dangling inside the template, but leads out once merged
    with pytest.raises(UsageError, match="outside the new project"):
        create(tmp_path, src, force=True)
    assert sorted(p.name for p in target.iterdir()) == ["mine.txt", "y"]


def test_links_inside_the_template_through_other_links_are_kept(tmp_path: Path):
    src = write_tree(tmp_path / "t", {"docs/README.md": "hi"})
    os.symlink(".", src / "y")
    os.symlink("y/y/docs/../docs/README.md", src / "README.md")
    os.symlink("docs", src / "manual")
    project = create(tmp_path, src)
    assert os.readlink(project / "README.md") == "y/y/docs/../docs/README.md"
    assert (project / "README.md").read_text() == "hi"
    assert (project / "manual" / "README.md").read_text() == "hi"
    assert os.path.realpath(project / "y") == str(project.resolve())


def test_a_link_loop_is_copied_as_a_link_and_harms_nothing(tmp_path: Path):
    src = write_tree(tmp_path / "t", {"ok.txt": "fine"})
    os.symlink("loop", src / "loop")
    project = create(tmp_path, src)
    assert os.readlink(project / "loop") == "loop"
