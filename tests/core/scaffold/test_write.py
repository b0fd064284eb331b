"""Safe writing: templates never write outside the new project; failures leave nothing behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from slackctl.core.scaffold.build import CreateRequest, create_project
from slackctl.core.scaffold.discover import resolve_template
from slackctl.core.scaffold.write import Staging, copy_template
from slackctl.errors import UsageError
from tests.core.scaffold.helpers import write_tree

META = "slackctl-template.toml"


def entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def create(tmp_path: Path, template: Path, name: str = "app", **kw) -> Path:
    request = CreateRequest(
        target=tmp_path / "out" / name,
        app_name=name,
        source=resolve_template(str(template)),
        git=False,
        install=False,
        **kw,
    )
    return create_project(request).path


def test_files_are_copied_with_rendered_names_and_modes(tmp_path: Path):
    src = write_tree(
        tmp_path / "t",
        {
            "{{ package_name }}/main.py": "NAME = '{{ app_name }}'\n",
            "run.sh": "#!/bin/sh\n",
            "logo.bin": "\0{{ app_name }}",
        },
    )
    (src / "run.sh").chmod(0o755)
    dest = tmp_path / "d"
    dest.mkdir()
    written = copy_template(src, dest, {"package_name": "my_app", "app_name": "My"})
    assert sorted(written) == ["logo.bin", "my_app/main.py", "run.sh"]
    assert (dest / "my_app/main.py").read_text() == "NAME = 'My'\n"
    assert (dest / "logo.bin").read_bytes() == b"\0{{ app_name }}"  # binary files are never rendered
    assert os.access(dest / "run.sh", os.X_OK)


def test_a_file_name_rendering_to_dotdot_is_refused_and_nothing_is_left(tmp_path: Path):
    src = write_tree(tmp_path / "t", {META: "[variables]\nwhere = '..'\n", "{{ where }}/evil": "x", "ok.txt": "fine"})
    with pytest.raises(UsageError, match="outside the new project"):
        create(tmp_path, src)
    assert not (tmp_path / "out").exists()  # the parent created for the target is gone too
    assert not (tmp_path / "evil").exists()


def test_a_literal_dotdot_folder_in_a_template_is_refused(tmp_path: Path):
    # A folder named ".." cannot exist on disk; a variable default rendering to "../evil" is the same attack.
    src = write_tree(tmp_path / "t", {META: "[variables]\nname_part = '../evil'\n", "{{ name_part }}.txt": "x"})
    with pytest.raises(UsageError, match="outside the new project"):
        create(tmp_path, src)
    assert not (tmp_path / "out" / "evil.txt").exists() and not (tmp_path / "evil.txt").exists()


def test_an_absolute_path_from_metadata_rendering_is_refused(tmp_path: Path):
    target = tmp_path / "abs-evil"
    src = write_tree(tmp_path / "t", {META: f"[variables]\nwhere = '{target}'\n", "{{ where }}": "x"})
    with pytest.raises(UsageError, match="outside the new project"):
        create(tmp_path, src)
    assert not target.exists()


def test_a_symlink_pointing_out_of_the_template_is_refused(tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not copy")
    src = write_tree(tmp_path / "t", {META: "", "ok.txt": "fine"})
    os.symlink("../secret.txt", src / "leak")
    with pytest.raises(UsageError, match="points outside the template"):
        create(tmp_path, src)
    assert not (tmp_path / "out" / "app").exists()


def test_an_absolute_symlink_is_refused(tmp_path: Path):
    src = write_tree(tmp_path / "t", {"ok.txt": "fine"})
    os.symlink("/etc/passwd", src / "passwd")
    with pytest.raises(UsageError, match="absolute path"):
        create(tmp_path, src)


def test_a_symlinked_folder_pointing_out_is_refused(tmp_path: Path):
    (tmp_path / "outside").mkdir()
    src = write_tree(tmp_path / "t", {"ok.txt": "fine"})
    os.symlink(tmp_path / "outside", src / "dir")
    with pytest.raises(UsageError):
        create(tmp_path, src)
    assert list((tmp_path / "outside").iterdir()) == []


def test_a_symlink_inside_the_template_is_kept_as_a_link(tmp_path: Path):
    src = write_tree(tmp_path / "t", {"docs/README.md": "hi"})
    os.symlink("docs/README.md", src / "README.md")
    project = create(tmp_path, src)
    assert os.readlink(project / "README.md") == "docs/README.md"
    assert (project / "README.md").read_text() == "hi"


def test_two_files_rendering_to_one_name_are_refused(tmp_path: Path):
    src = write_tree(tmp_path / "t", {META: "[variables]\na = 'x'\nb = 'x'\n", "{{ a }}.txt": "1", "{{ b }}.txt": "2"})
    with pytest.raises(UsageError, match="same name"):
        create(tmp_path, src)


def test_a_failure_midway_removes_the_staging_folder_and_created_parents(tmp_path: Path):
    target = tmp_path / "new" / "deeper" / "app"
    with pytest.raises(RuntimeError), Staging(target) as staging:
        assert staging.dir is not None and staging.dir.parent == target.parent
        (staging.dir / "file").write_text("x")
        raise RuntimeError("boom")
    assert not (tmp_path / "new").exists()


def test_an_interrupt_after_placing_removes_the_new_project(tmp_path: Path):
    target = tmp_path / "app"
    with pytest.raises(KeyboardInterrupt), Staging(target) as staging:
        (staging.dir / "file").write_text("x")
        staging.place()
        assert (target / "file").exists()
        raise KeyboardInterrupt
    assert entries(tmp_path) == []


def test_an_existing_non_empty_folder_is_refused_without_force(tmp_path: Path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "mine.txt").write_text("keep")
    with pytest.raises(UsageError) as exc:
        Staging(tmp_path / "app")
    assert "not empty" in exc.value.message and "--force" in exc.value.hint


def test_force_merges_and_a_rollback_restores_what_was_replaced(tmp_path: Path):
    target = tmp_path / "app"
    write_tree(target, {"mine.txt": "keep", "README.md": "my readme", "sub/own.txt": "own"})
    with pytest.raises(KeyboardInterrupt), Staging(target, force=True) as staging:
        write_tree(staging.dir, {"README.md": "template readme", "sub/new.txt": "new", "app.py": ""})
        staging.place()
        assert (target / "README.md").read_text() == "template readme"
        assert (target / "sub" / "new.txt").exists()
        raise KeyboardInterrupt
    assert sorted(str(p.relative_to(target)) for p in target.rglob("*")) == [
        "README.md",
        "mine.txt",
        "sub",
        "sub/own.txt",
    ]
    assert (target / "README.md").read_text() == "my readme"
    assert entries(tmp_path) == ["app"]  # no staging or backup folders left beside it
