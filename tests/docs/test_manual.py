"""The manual (issue 25): a short README that leads into docs/, a command reference generated from the command
tree through click's public API (so lazily loaded groups are walked too) and checked for staleness, and links
that resolve."""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from pathlib import Path
from types import ModuleType

import click
import pytest

from tests.conftest import ROOT

README = ROOT / "README.md"


def generator() -> ModuleType:
    """scripts/gen_reference.py as a module (a fresh copy each time, so a test may patch it)."""
    spec = importlib.util.spec_from_file_location("gen_reference", ROOT / "scripts" / "gen_reference.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up there
    spec.loader.exec_module(module)
    return module


# --- the README ---------------------------------------------------------------------------------------------------


def test_the_readme_is_a_short_landing_page_with_the_quick_start_and_the_real_install_line():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 250
    assert "make demo" in text and "make test" in text
    assert "pipx install slackctl-cli" in text and "pipx install ." in text
    assert "](docs/img/" in text  # a picture of the web UI
    for guide in (
        "auth",
        "api",
        "create",
        "develop",
        "emulator",
        "testing",
        "deploy",
        "external-auth",
        "ci",
        "security",
        "reliability",
        "benchmarks",
    ):
        assert f"](docs/{guide}.md" in text, guide


def _offline_blocks() -> list[str]:
    docs = [README, *sorted((ROOT / "docs").rglob("*.md"))]
    return [block for path in docs for block in re.findall(r"```sh\n(.*?)```", path.read_text(encoding="utf-8"), re.S)]


def test_the_offline_loop_keeps_its_output_in_the_project_and_bounds_every_wait():
    readme = README.read_text(encoding="utf-8")
    (offline,) = re.findall(r"<!-- devloop-example: offline -->\n```sh\n(.*?)```", readme, re.S)
    assert "slackctl run --emulator > url.txt 2> run.err &" in offline
    assert offline.startswith("cd my-app\n")  # the output files are inside the project folder
    for block in _offline_blocks():
        for line in block.splitlines():
            if re.search(r"\buntil\b", line):
                assert re.search(r"\btimeout \d+ ", line), f"an unbounded wait: {line}"
            if re.search(r"\bemulator exec\b", line) and "python" in line:
                assert ".venv/bin/python" in line, f"not the project's interpreter: {line}"


def _links(path: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return re.findall(r"\]\(([^)\s]+)\)", text)


def _anchors(path: Path) -> set[str]:
    from markdown.extensions.toc import slugify

    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return {slugify(re.sub(r"[`*]", "", h), "-") for h in re.findall(r"^#+ (.+)$", text, re.M)}


@pytest.mark.parametrize("name", ["README.md", "CONTRIBUTING.md"])
def test_every_relative_link_of_the_readme_and_contributing_resolves(name):
    source = ROOT / name
    links = [link for link in _links(source) if not re.match(r"[a-z]+:", link)]
    assert links
    for link in links:
        target, _, anchor = link.partition("#")
        path = (source.parent / target).resolve() if target else source
        assert path.exists(), f"{name}: {link} points at nothing"
        if anchor and path.suffix == ".md":
            assert anchor in _anchors(path), f"{name}: {link}: no such heading"


# --- the generated reference ------------------------------------------------------------------------------------


def test_the_committed_reference_is_current():
    assert generator().main(["--check"]) == 0, "run: make docs"


def test_the_check_names_a_stale_page(tmp_path, monkeypatch, capsys):
    gen = generator()
    copy = tmp_path / "reference"
    shutil.copytree(ROOT / "docs" / "reference", copy)
    page = copy / "slackctl_auth_login.md"
    page.write_text(page.read_text() + "\nan edit by hand\n")
    monkeypatch.setattr(gen, "REFERENCE", copy)
    shutil.copyfile(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    monkeypatch.setattr(gen, "MKDOCS", tmp_path / "mkdocs.yml")
    assert gen.main(["--check"]) == 1
    assert "slackctl_auth_login.md" in capsys.readouterr().err
    (copy / "slackctl_gone.md").write_text("a page of a removed command")
    page.unlink()
    assert gen.main(["--check"]) == 1
    assert gen.main([]) == 0 and gen.main(["--check"]) == 0  # regenerating removes the stale page, restores the other
    assert not (copy / "slackctl_gone.md").exists() and (copy / "slackctl_auth_login.md").exists()
    assert (copy / "exit-codes.md").exists()  # hand-written pages are left alone


class LazyGroup(click.Group):
    """click's documented lazy-loading pattern: commands are made only when get_command asks for them."""

    def __init__(self, *args, lazy: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = lazy
        self.loaded: list[str] = []

    def list_commands(self, ctx):
        return sorted(self.lazy)

    def get_command(self, ctx, name):
        if name not in self.lazy:
            return None
        self.loaded.append(name)

        help_text, _, examples = self.lazy[name].partition("\n\n\b\nExamples:")

        # The examples in the epilog, as slackctl's verbs keep them (help: what it does; epilog: how to use it).
        @click.command(name=name, help=help_text, epilog="Examples:\n\n\b" + examples)
        @click.argument("channel")
        @click.option("--as", "as_user", envvar="SLACKCTL_AS", help="The user | who acts.")
        def command(channel, as_user):
            pass

        return command


def test_a_lazy_group_is_walked_and_its_help_becomes_a_page():
    gen = generator()
    lazy = LazyGroup(
        "emulator",
        help="Drive the emulator.",
        lazy={
            "post": "Post TEXT as the user.\n\nExit codes: 1 the app did not acknowledge.\n\n\b\nExamples:\n"
            "  slackctl emulator post '#general' hi\n  slackctl emulator post @bot hi --as grace\n"
        },
    )
    root = click.Group("slackctl", commands=[lazy])
    nodes = list(gen.walk(root, click.Context(root, info_name="slackctl")))
    assert [node.path for node in nodes] == [(), ("emulator",), ("emulator", "post")]
    assert lazy.loaded == ["post"]
    post = nodes[2]
    page = gen.command_page(post, nodes[1])
    assert "# slackctl emulator post" in page
    assert "slackctl emulator post [OPTIONS] CHANNEL" in page
    assert "| `--as TEXT` | `SLACKCTL_AS` | The user \\| who acts. |" in page  # a pipe cannot break the table
    assert "## Exit codes\n\n- Exit codes: 1 the app did not acknowledge.\n" in page
    examples = "slackctl emulator post '#general' hi\nslackctl emulator post @bot hi --as grace\n"
    assert f"## Examples\n\n```sh\n{examples}```" in page
    assert "Examples:" not in page.split("## Examples")[0]  # the section is not repeated as prose
    assert "[`slackctl emulator`](slackctl_emulator.md)" in page
    group_page = gen.command_page(nodes[1], nodes[0])
    assert "| [`slackctl emulator post`](slackctl_emulator_post.md) | Post TEXT as the user. |" in group_page


def test_every_command_has_a_page_and_the_nav_lists_it():
    gen = generator()
    root = gen.root_command()
    nodes = list(gen.walk(root, click.Context(root, info_name="slackctl")))
    assert len(nodes) > 40
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for node in nodes[1:]:
        assert (ROOT / "docs" / "reference" / node.page).exists(), node.name
        assert f"reference/{node.page}" in nav, node.name
    login = (ROOT / "docs" / "reference" / "slackctl_auth_login.md").read_text()
    assert "| `--client-id TEXT` | `SLACK_CLIENT_ID` |" in login
    assert "`SLACK_CLIENT_SECRET`" in login  # read by the command though not an option: from settings.ENVIRONMENT


def test_the_guides_link_to_the_one_table_of_variables_exit_codes_and_files_instead_of_copying_it():
    for guide in sorted((ROOT / "docs").glob("*.md")):
        if guide.name in ("reliability.md", "benchmarks.md"):  # matrices and measurements, not manual tables
            continue
        headers = [
            line.split("|")[1].strip().lower()
            for line in guide.read_text(encoding="utf-8").splitlines()
            if line.startswith("| ") and "| ---" not in line
        ]
        for header in headers:
            assert header not in ("variable", "exit", "code"), f"{guide.name}: a table of its own ({header})"
    files_tables = [
        path.name
        for path in (ROOT / "docs").rglob("*.md")
        if "| file | written by | what |" in path.read_text(encoding="utf-8")
    ]
    assert files_tables == ["files.md"]
