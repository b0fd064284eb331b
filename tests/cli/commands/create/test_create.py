"""`slackctl create` through the CLI: scripts (flags only), sources (folder, git), trust, safety, git, output."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Result
from tests.core.scaffold.helpers import isolate_git, make_repo, write_tree

TEMPLATE_META = 'description = "A tiny test template"\n[variables]\ncolor = "blue"\n'


@pytest.fixture
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return isolate_git(tmp_path, monkeypatch)


@pytest.fixture
def create_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_git: Path) -> Callable[..., Result]:
    """slackctl in-process, in an empty working folder, with its own config dir; no emulator needed."""
    from click.testing import CliRunner

    from slackctl.cli.app import run

    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("SLACKCTL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("NO_COLOR", "1")

    def _cli(*args: str) -> Result:
        runner = CliRunner()
        with runner.isolation(env={}) as (out, err, _mixed):
            code = run([str(a) for a in args])
            sys.stdout.flush()
            sys.stderr.flush()
            result = Result(code, out.getvalue().decode(), err.getvalue().decode())
        assert "Traceback" not in result.stderr, result.stderr
        return result

    return _cli


@pytest.fixture
def tiny_template(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path / "tiny",
        {
            "slackctl-template.toml": TEMPLATE_META,
            "manifest.json": '{"display_information": {"name": "{{ app_name }}"}}\n',
            "{{ package_name }}.py": "COLOR = '{{ color }}'\n",
        },
    )


def files(root: Path) -> list[str]:
    """Files of a project, without git's own."""
    rels = (p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    return sorted(r for r in rels if not r.startswith(".git/"))


def test_builtin_template_in_a_script_prints_the_path_and_next_steps(create_cli, tmp_path: Path):
    result = create_cli("create", "my-app", "--template", "bolt-python", "--no-install")
    project = tmp_path / "work" / "my-app"
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{project}\n"
    for step in ("cd my-app", "slackctl deploy", "slackctl auth login"):
        assert step in result.stderr
    assert json.loads((project / "manifest.json").read_text())["display_information"]["name"] == "my-app"


@pytest.mark.parametrize(
    "template", ["bolt-python", "bolt-python-http", "bolt-python-custom-step", "bolt-js", "bolt-ts"]
)
def test_next_steps_and_the_templates_readme_lead_with_the_offline_loop(create_cli, tmp_path: Path, template):
    """Issue 23 item 5: the first thing to run is the app against the emulator, real Slack comes after."""
    result = create_cli("create", "my-app", "--template", template, "--no-install", "--no-git")
    assert result.exit_code == 0, result.stderr
    commands = [line.split("#")[0].strip() for line in result.stderr.splitlines() if "slackctl " in line]
    assert commands[0] == "slackctl run --emulator", result.stderr
    assert commands.index("slackctl run --emulator") < commands.index("slackctl deploy")
    readme = (tmp_path / "work" / "my-app" / "README.md").read_text()
    first_command = next(line for line in readme.splitlines() if line.startswith("slackctl "))
    assert first_command.startswith("slackctl run --emulator"), first_command


def test_list_prints_templates_with_descriptions_on_stdout(create_cli):
    result = create_cli("create", "--list")
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [r[0] for r in rows][:1] == ["bolt-python"]
    assert {"bolt-python-http", "bolt-python-custom-step"} <= {r[0] for r in rows}
    assert all(len(r) == 2 and r[1] for r in rows)


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["create", "my-app"], "no template given"),
        (["create", "--template", "bolt-python"], "no app name given"),
    ],
)
def test_missing_name_or_template_in_a_script_is_exit_2_pointing_at_list(create_cli, args, fragment):
    result = create_cli(*args)
    assert result.exit_code == 2
    assert fragment in result.stderr and "--list" in result.stderr
    assert list(Path.cwd().iterdir()) == []


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["create", "bad name", "-t", "bolt-python"], "may contain only"),
        (["create", "a" * 36, "-t", "bolt-python"], "at most 35"),
        (["create", "x", "-t", "bolt-python", "--description", "d" * 141], "at most 140"),
        (["create", "x", "-t", "nope"], "unknown template"),
        (["create", "x", "--branch", "main"], "need --template"),
        (["create", "x", "-t", "bolt-python", "--var", "nope"], "NAME=VALUE"),
        (["create", "x", "-t", "bolt-python", "--var", "nope=1"], "no variable 'nope'"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(create_cli, args, fragment):
    result = create_cli(*args, "--no-install")
    assert result.exit_code == 2
    assert fragment in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert list(Path.cwd().iterdir()) == []


def test_existing_non_empty_folder_needs_force(create_cli, tmp_path: Path):
    existing = write_tree(tmp_path / "work" / "app", {"notes.txt": "mine"})
    result = create_cli("create", "app", "-t", "bolt-python", "--no-install")
    assert result.exit_code == 2 and "--force" in result.stderr
    assert files(existing) == ["notes.txt"]
    result = create_cli("create", "app", "-t", "bolt-python", "--no-install", "--no-git", "--force")
    assert result.exit_code == 0, result.stderr
    assert {"notes.txt", "manifest.json", "app.py"} <= set(files(existing))


def test_an_existing_empty_folder_is_used(create_cli, tmp_path: Path):
    (tmp_path / "work" / "app").mkdir()
    assert create_cli("create", "app", "-t", "bolt-python", "--no-install").exit_code == 0
    assert (tmp_path / "work" / "app" / "manifest.json").is_file()


def test_git_repository_with_an_initial_commit_by_slackctl_when_no_identity(create_cli, tmp_path: Path):
    assert create_cli("create", "app", "-t", "bolt-python", "--no-install").exit_code == 0
    project = tmp_path / "work" / "app"
    log = subprocess.run(["git", "log", "--format=%an <%ae>|%s"], cwd=project, capture_output=True, text=True)
    assert log.stdout.strip() == "slackctl <slackctl@localhost>|Initial commit from slackctl create"
    tracked = subprocess.run(["git", "ls-files"], cwd=project, capture_output=True, text=True).stdout.split()
    assert ".slack/config.json" in tracked and ".env.example" in tracked
    assert subprocess.run(["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True).stdout == ""


def test_the_users_git_identity_is_kept_when_configured(create_cli, tmp_path: Path, isolated_git: Path):
    isolated_git.write_text("[user]\n\tname = Ada\n\temail = ada@example.com\n")
    assert create_cli("create", "app", "-t", "bolt-python", "--no-install").exit_code == 0
    log = subprocess.run(
        ["git", "log", "--format=%an <%ae>"], cwd=tmp_path / "work" / "app", capture_output=True, text=True
    )
    assert log.stdout.strip() == "Ada <ada@example.com>"


def test_no_git_leaves_no_repository(create_cli, tmp_path: Path):
    assert create_cli("create", "app", "-t", "bolt-python", "--no-install", "--no-git").exit_code == 0
    assert not (tmp_path / "work" / "app" / ".git").exists()


def test_local_folder_template_needs_trust_in_a_script(create_cli, tiny_template: Path):
    result = create_cli("create", "app", "-t", str(tiny_template), "--no-install")
    assert result.exit_code == 2
    assert "not from a trusted source" in result.stderr and "--trust" in result.stderr
    assert list(Path.cwd().iterdir()) == []


def test_local_folder_template_renders_variables_in_names_and_contents(create_cli, tiny_template: Path, tmp_path: Path):
    result = create_cli(
        "create", "My-App", "-t", str(tiny_template), "--trust", "--no-install", "--no-git", "--var", "color=red"
    )
    assert result.exit_code == 0, result.stderr
    project = tmp_path / "work" / "My-App"
    assert files(project) == [
        ".slack/.gitignore",
        ".slack/config.json",
        ".slack/hooks.json",
        "manifest.json",
        "my_app.py",
    ]
    assert (project / "my_app.py").read_text() == "COLOR = 'red'\n"
    assert json.loads((project / "manifest.json").read_text())["display_information"]["name"] == "My-App"


def test_trusted_sources_from_config_need_no_flag(create_cli, tiny_template: Path, tmp_path: Path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text(f'[create]\ntrusted_templates = ["{tmp_path}"]\n')
    result = create_cli("create", "app", "-t", str(tiny_template), "--no-install", "--no-git")
    assert result.exit_code == 0, result.stderr


def test_git_template_over_file_url_with_branch_and_subdir(create_cli, tmp_path: Path):
    url = make_repo(
        tmp_path / "repo",
        {"README.md": "main branch\n"},
        branches={
            "v2": {
                "python/slackctl-template.toml": TEMPLATE_META,
                "python/app.py": "print('{{ app_name }}', '{{ color }}')\n",
            }
        },
    )
    result = create_cli(
        "create", "app", "-t", url, "--branch", "v2", "--subdir", "python", "--trust", "--no-install", "--no-git"
    )
    assert result.exit_code == 0, result.stderr
    project = tmp_path / "work" / "app"
    assert files(project) == [".slack/.gitignore", ".slack/config.json", ".slack/hooks.json", "app.py"]
    assert (project / "app.py").read_text() == "print('app', 'blue')\n"


def test_git_template_missing_branch_is_exit_2_and_leaves_nothing(create_cli, tmp_path: Path):
    url = make_repo(tmp_path / "repo", {"README.md": "x"})
    result = create_cli("create", "app", "-t", url, "--branch", "nope", "--trust", "--no-install")
    assert result.exit_code == 2 and "cannot clone" in result.stderr and "--branch" in result.stderr
    assert list(Path.cwd().iterdir()) == []


def test_plain_git_repository_is_copied_as_is_and_renamed(create_cli, tmp_path: Path):
    sample = {
        "manifest.json": json.dumps(
            {"display_information": {"name": "Bolt Sample"}, "features": {"bot_user": {"display_name": "Bolt Sample"}}},
            indent=2,
        ),
        "pyproject.toml": '[project]\nname = "bolt-sample"\nversion = "0.1.0"\n',
        "app.py": "x = '{{ app_name }}'\n",  # not a slackctl template: no rendering
        ".slack/config.json": json.dumps({"project_id": "old", "manifest": {"source": "remote"}}),
    }
    url = make_repo(tmp_path / "sample", sample)
    result = create_cli("create", "Renamed-App", "-t", url, "--trust", "--no-install", "--description", "Mine")
    assert result.exit_code == 0, result.stderr
    project = tmp_path / "work" / "Renamed-App"
    manifest = json.loads((project / "manifest.json").read_text())
    assert manifest["display_information"] == {"name": "Renamed-App", "description": "Mine"}
    assert manifest["features"]["bot_user"]["display_name"] == "Renamed-App"
    assert 'name = "renamed-app"' in (project / "pyproject.toml").read_text()
    assert (project / "app.py").read_text() == "x = '{{ app_name }}'\n"
    config = json.loads((project / ".slack" / "config.json").read_text())
    assert config["project_id"] != "old" and config["manifest"] == {"source": "remote"}


def test_template_escaping_the_target_fails_cleanly_through_the_cli(create_cli, tmp_path: Path):
    evil = write_tree(
        tmp_path / "evil", {"slackctl-template.toml": "[variables]\nx = '../../escaped'\n", "{{ x }}.txt": "pwned"}
    )
    result = create_cli("create", "app", "-t", str(evil), "--trust", "--no-install")
    assert result.exit_code == 2 and "outside the new project" in result.stderr
    assert list(Path.cwd().iterdir()) == [] and not (tmp_path / "escaped.txt").exists()


def test_dot_creates_the_project_in_the_current_empty_folder(create_cli, tmp_path: Path, monkeypatch):
    here = tmp_path / "work" / "here-app"
    here.mkdir()
    monkeypatch.chdir(here)
    result = create_cli("create", ".", "-t", "bolt-python", "--no-install")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{here}\n"
    assert json.loads((here / "manifest.json").read_text())["display_information"]["name"] == "here-app"
    assert (here / ".git").is_dir() and Path.cwd() == here  # the folder itself was kept, not replaced


def test_force_into_an_existing_repository_adds_files_without_a_new_git_init(create_cli, tmp_path: Path):
    existing = tmp_path / "work" / "app"
    make_repo(existing, {"notes.txt": "mine"})
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=existing, capture_output=True, text=True).stdout
    result = create_cli("create", "app", "-t", "bolt-python", "--no-install", "--force")
    assert result.exit_code == 0, result.stderr
    assert subprocess.run(["git", "rev-parse", "HEAD"], cwd=existing, capture_output=True, text=True).stdout == head
    assert (existing / "notes.txt").read_text() == "mine" and (existing / "app.py").is_file()


def test_a_description_with_quotes_keeps_the_manifest_valid(create_cli, tmp_path: Path):
    from slackctl.slack.manifest import validate_manifest

    text = 'Says "hi" \\ politely'
    assert create_cli("create", "app", "-t", "bolt-python", "--no-install", "-d", text).exit_code == 0
    manifest = json.loads((tmp_path / "work" / "app" / "manifest.json").read_text())
    assert manifest["display_information"]["description"] == text
    assert validate_manifest(manifest) == []
    assert f"\n{text}\n" in (tmp_path / "work" / "app" / "README.md").read_text()


def test_a_path_name_creates_parent_folders_and_names_the_app_after_the_last_part(create_cli, tmp_path: Path):
    result = create_cli("create", "apps/team/bot", "-t", "bolt-python", "--no-install", "--no-git")
    assert result.exit_code == 0, result.stderr
    assert "cd apps/team/bot" in result.stderr
    project = tmp_path / "work" / "apps" / "team" / "bot"
    assert json.loads((project / "manifest.json").read_text())["display_information"]["name"] == "bot"


def test_a_failed_create_removes_parent_folders_it_made(create_cli, tmp_path: Path):
    evil = write_tree(tmp_path / "evil", {"slackctl-template.toml": "[variables]\nx = '..'\n", "{{ x }}/f": "x"})
    result = create_cli("create", "apps/team/bot", "-t", str(evil), "--trust", "--no-install")
    assert result.exit_code == 2
    assert list((tmp_path / "work").iterdir()) == []


def test_a_failed_install_is_exit_2_naming_pip_and_removes_the_project(create_cli, tmp_path: Path):
    template = write_tree(
        tmp_path / "tpl",
        {"slackctl-template.toml": "", "requirements.txt": "--no-index\nslackctl-no-such-package-xyz\n"},
    )
    result = create_cli("create", "app", "-t", str(template), "--trust")
    assert result.exit_code == 2
    assert "pip install failed" in result.stderr and "slackctl-no-such-package-xyz" in result.stderr
    assert "--no-install" in result.stderr and result.stdout == ""
    assert list((tmp_path / "work").iterdir()) == []


def test_a_template_writing_into_git_s_folder_is_one_line_exit_2_and_runs_nothing(create_cli, tmp_path: Path):
    marker = tmp_path / "pwned"
    hook = f"#!/bin/sh\necho ran >> '{marker}'\n"
    evil = write_tree(
        tmp_path / "evil",
        {
            "slackctl-template.toml": "[variables]\ng = '.Git'\n",
            "app.py": "",
            "{{ g }}/hooks/post-commit": hook,
            "{{ g }}/config": f"[core]\n\tfsmonitor = {tmp_path}/evil/m.sh\n",
        },
    )
    (evil / "{{ g }}" / "hooks" / "post-commit").chmod(0o755)
    result = create_cli("create", "app", "-t", str(evil), "--trust", "--no-install")
    assert result.exit_code == 2
    error = [line for line in result.stderr.splitlines() if line.strip()][0]
    assert "git's own folder" in error and "variable g = '.Git'" in error and "{{ g }}/config" in error
    assert not marker.exists() and list(Path.cwd().iterdir()) == []


def test_a_dot_dot_url_under_a_trusted_entry_still_needs_trust(create_cli, tmp_path: Path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text('[create]\ntrusted_templates = ["https://github.com/acme"]\n')
    result = create_cli("create", "app", "-t", "https://github.com/acme/../evil/x.git", "--no-install")
    assert result.exit_code == 2 and "not from a trusted source" in result.stderr and "--trust" in result.stderr
    assert list(Path.cwd().iterdir()) == []


def test_create_inside_an_app_project_refuses_without_yes(cli, tmp_path, monkeypatch):
    """Issue 23 item 17: it nested a project silently; now a script must say --yes."""
    outer = tmp_path / "outer"
    (outer / ".slack").mkdir(parents=True)
    (outer / "manifest.json").write_text("{}")
    monkeypatch.chdir(outer)
    result = cli("create", "inner", "--template", "bolt-python", "--no-git", "--no-install")
    assert result.exit_code == 2
    assert f"would be inside the app project {outer}" in result.stderr and "--yes" in result.stderr
    assert not (outer / "inner").exists()
    result = cli("create", "inner", "--template", "bolt-python", "--no-git", "--no-install", "--yes")
    assert result.exit_code == 0, result.stderr
    assert (outer / "inner" / "manifest.json").is_file()
