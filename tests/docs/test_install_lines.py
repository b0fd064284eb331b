"""Every install line in README.md and docs/ names the distribution pyproject.toml publishes (issue 23 item 1): the
name `slackctl` on the package index belongs to an unrelated tool, so a doc saying `pip install slackctl` installs
somebody else's CLI."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

from tests.conftest import ROOT

# pip install / pip3 install / python -m pip install / uv pip install / pipx install / uv tool install / uvx --from
INSTALL = re.compile(r"(?:\bpip3?|\bpipx|\buv\s+tool|\buv\s+pip)\s+install\s+(?P<args>[^`|;&#\n]*)")
# pip options that take a value: the value is not a package.
TAKES_VALUE = {
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-i",
    "--index-url",
    "--extra-index-url",
    "--python",
    "--target",
    "-t",
    "--prefix",
    "--root",
    "--suffix",
}


def distribution() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"]


def doc_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def slackctl_targets(args: str) -> list[str]:
    """The package names an install command line asks for that are meant to be slackctl (a name starting with
    `slackctl`); paths (`.`, `./x`), requirement files and other packages are left out."""
    words = shlex.split(args, comments=False, posix=True) if args.count('"') % 2 == 0 else args.split()
    found: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        if word in TAKES_VALUE:
            skip = True
            continue
        if word.startswith("-"):
            continue
        name = re.split(r"[\[<>=!~;@ ]", word, maxsplit=1)[0]
        if name.lower().startswith("slackctl"):
            found.append(name)
    return found


def install_lines() -> list[tuple[str, int, str, list[str]]]:
    rows = []
    for path in doc_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in INSTALL.finditer(line):
                rows.append((str(path.relative_to(ROOT)), number, line.strip(), slackctl_targets(match["args"])))
    return rows


def test_the_parser_finds_the_package_in_every_installer_spelling():
    assert slackctl_targets("slackctl") == ["slackctl"]
    assert slackctl_targets("-q --upgrade 'slackctl-cli[test]>=0.1'") == ["slackctl-cli"]
    assert slackctl_targets("-r requirements.txt") == []
    assert slackctl_targets(".") == []
    assert [
        m["args"].strip()
        for m in INSTALL.finditer("run: python -m pip install slackctl; pipx install x && uv tool install y")
    ] == ["slackctl", "x", "y"]


def test_every_install_line_in_the_docs_names_the_published_distribution():
    dist = distribution()
    assert dist != "slackctl", "`slackctl` on the package index is an unrelated project"
    wrong = [f"{path}:{n}: {line}" for path, n, line, names in install_lines() if any(x != dist for x in names)]
    assert not wrong, f"install lines that do not name {dist!r}:\n" + "\n".join(wrong)


def test_the_ci_guide_installs_the_distribution_by_name():
    dist = distribution()
    assert any(path == "docs/ci.md" and names == [dist] for path, _, _, names in install_lines())


def test_the_installed_distribution_is_that_name_and_reports_slackctls_version():
    """What pip installed (make test's editable install) carries pyproject's name, and --version / doctor's
    `slackctl.__version__` agree with its metadata."""
    import importlib.metadata

    import slackctl

    assert importlib.metadata.version(distribution()) == slackctl.__version__
    assert importlib.metadata.distribution(distribution()).entry_points.select(group="console_scripts")["slackctl"]
