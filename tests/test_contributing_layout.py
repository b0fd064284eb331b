"""CONTRIBUTING.md's "Where things live" matches the tree: every module it names exists, and every module of the
package's top level, cli/, core/ and emulator/ (and every sub-package of those) is named there."""

from __future__ import annotations

import re

from tests.conftest import ROOT

PACKAGE = ROOT / "slackctl"


def _layout_block() -> str:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## Where things live", 1)[1]
    return section.split("```", 2)[1]


def _words(block: str) -> set[str]:
    return {w.rstrip("/") for w in re.findall(r"[\w.<>/-]+", block)} | {
        part for w in re.findall(r"[\w.<>/-]+", block) for part in w.split("/") if part
    }


def test_every_module_the_layout_names_exists() -> None:
    existing = {p.name for p in ROOT.glob("slackctl/**/*.py")} | {p.name for p in ROOT.glob("tests/**/*.py")}
    # `<verb>.py` and `webapi/a.py` are patterns, not modules.
    named = {w.rsplit("/", 1)[-1] for w in re.findall(r"[\w./-]+\.py", _layout_block()) if "<" not in w}
    named -= {"a.py"}
    assert named - existing == set()


def test_every_module_of_the_main_packages_is_named() -> None:
    words = _words(_layout_block())
    wanted = []
    for directory in (PACKAGE, PACKAGE / "cli", PACKAGE / "core", PACKAGE / "emulator"):
        wanted += [p.name for p in directory.glob("*.py") if p.name not in ("__init__.py", "__main__.py")]
        wanted += [p.name for p in directory.iterdir() if p.is_dir() and (p / "__init__.py").exists()]
    assert sorted(name for name in wanted if name not in words) == []
