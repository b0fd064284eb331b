"""What --template names: built-ins, folders, git URLs, owner/repo; and which sources are trusted."""

from __future__ import annotations

from pathlib import Path

import pytest

from slackctl.core.scaffold.discover import (
    builtin_templates_dir,
    display_url,
    github_url,
    is_trusted,
    list_builtin,
    resolve_template,
)
from slackctl.core.scaffold.fetch import clone_command
from slackctl.errors import UsageError

REPO = Path(__file__).resolve().parents[3]


def test_builtin_templates_come_from_the_repository_in_an_editable_install():
    assert builtin_templates_dir() == REPO / "templates"
    names = [t.name for t in list_builtin()]
    assert names[0] == "bolt-python"
    assert {"bolt-python", "bolt-python-http", "bolt-python-custom-step"} <= set(names)
    assert all(t.description for t in list_builtin())


def test_a_builtin_name_resolves_to_its_folder():
    source = resolve_template("bolt-python")
    assert (source.kind, source.location) == ("builtin", str(REPO / "templates" / "bolt-python"))


@pytest.mark.parametrize(
    "spec",
    [
        "https://example.com/a/b.git",
        "ssh://git@example.com/a/b.git",
        "git@github.com:owner/repo.git",
        "file:///srv/templates/x",
    ],
)
def test_git_urls_are_git_sources(spec: str):
    source = resolve_template(spec, branch="dev", subdir="python")
    assert (source.kind, source.location, source.branch, source.subdir) == ("git", spec, "dev", "python")


def test_owner_repo_shorthand_is_a_github_url(tmp_path: Path):
    source = resolve_template("slack-samples/bolt-python-starter-template", cwd=tmp_path)
    assert source.location == "https://github.com/slack-samples/bolt-python-starter-template.git"
    assert github_url("owner/repo.git") == "https://github.com/owner/repo.git"
    assert clone_command(source.location, tmp_path / "d", "v2") == [
        "git",
        "clone",
        "--quiet",
        "--depth",
        "1",
        "--single-branch",
        "--no-tags",
        "--branch",
        "v2",
        "--",
        "https://github.com/slack-samples/bolt-python-starter-template.git",
        str(tmp_path / "d"),
    ]


def test_an_existing_folder_wins_over_the_shorthand(tmp_path: Path):
    (tmp_path / "owner" / "repo").mkdir(parents=True)
    source = resolve_template("owner/repo", cwd=tmp_path)
    assert (source.kind, source.location) == ("folder", str((tmp_path / "owner" / "repo").resolve()))


@pytest.mark.parametrize(
    "spec, branch, subdir, fragment",
    [
        ("nope", None, None, "unknown template"),
        ("./missing", None, None, "not found"),
        ("bolt-python", "main", None, "--branch only applies"),
        ("file:///x", None, "../up", "relative path"),
        ("file:///x", None, "/abs", "relative path"),
    ],
)
def test_bad_template_values_are_usage_errors(tmp_path: Path, spec, branch, subdir, fragment):
    with pytest.raises(UsageError) as exc:
        resolve_template(spec, branch=branch, subdir=subdir, cwd=tmp_path)
    assert fragment in exc.value.message


def test_user_names_in_a_url_are_kept_out_of_messages():
    assert display_url("https://user@example.com/r.git") == "https://example.com/r.git"


def test_a_url_carrying_a_password_is_refused_without_echoing_it():
    with pytest.raises(UsageError) as exc:
        resolve_template("https://user:hunter22@example.com/r.git")
    assert "hunter22" not in exc.value.message + (exc.value.hint or "")
    assert "credential helper" in (exc.value.hint or "")


def test_builtins_are_trusted_and_others_need_a_matching_entry(tmp_path: Path):
    (tmp_path / "mine" / "t").mkdir(parents=True)
    folder = resolve_template(str(tmp_path / "mine" / "t"))
    github = resolve_template("acme/tpl", cwd=tmp_path)
    assert is_trusted(resolve_template("bolt-python"), [])
    assert not is_trusted(folder, [])
    assert is_trusted(folder, [str(tmp_path / "mine")])
    assert not is_trusted(folder, [str(tmp_path / "min")])  # a prefix of the name is not a parent folder
    assert is_trusted(github, ["https://github.com/acme"])
    assert is_trusted(github, ["acme/tpl"])
    assert not is_trusted(github, ["https://github.com/acme-evil"])
