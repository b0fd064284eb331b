"""The layers' import contract (scripts/check_imports.py) holds for slackctl, and the checker catches breaches."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

CHECKER = ROOT / "scripts" / "check_imports.py"


def _load_checker():
    sys.path.insert(0, str(CHECKER.parent))
    try:
        import check_imports
    finally:
        sys.path.pop(0)
    return check_imports


def test_slackctl_keeps_the_import_contract() -> None:
    proc = subprocess.run([sys.executable, str(CHECKER)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout


def _package(root: Path, files: dict[str, str]) -> Path:
    pkg = root / "pkg"
    for rel, text in files.items():
        path = pkg / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return pkg


def test_the_slack_layer_importing_the_rest_is_a_breach(tmp_path: Path) -> None:
    pkg = _package(
        tmp_path,
        {
            "__init__.py": "",
            "errors.py": "",
            "slack/__init__.py": "",
            "slack/client.py": "from pkg.errors import X\nfrom pkg.slack import wire\n",
            "slack/wire.py": "",
        },
    )
    found = _load_checker().breaches(pkg)
    assert found == ["pkg/slack/client.py:1: the Slack layer imports pkg.errors (rule 1: slack/ imports nothing else)"]


def test_the_core_importing_the_cli_or_typer_is_a_breach_but_not_under_type_checking(tmp_path: Path) -> None:
    pkg = _package(
        tmp_path,
        {
            "__init__.py": "",
            "cli/__init__.py": "",
            "cli/io.py": "",
            "core/__init__.py": "",
            "core/login.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                "    from pkg.cli import io\n"
                "def f():\n    import typer\n    from pkg.cli.io import IO\n"
            ),
        },
    )
    found = _load_checker().breaches(pkg)
    assert found == [
        "pkg/core/login.py:5: the core imports typer (rule 2: no terminal libraries)",
        "pkg/core/login.py:6: the core imports pkg.cli.io (rule 2: core/ never imports cli/)",
    ]


def test_the_emulator_importing_more_than_slack_and_the_foundations_is_a_breach(tmp_path: Path) -> None:
    pkg = _package(
        tmp_path,
        {
            "__init__.py": "",
            "settings.py": "",
            "errors.py": "",
            "certs.py": "",
            "slack/__init__.py": "",
            "slack/wire.py": "",
            "core/__init__.py": "",
            "core/login.py": "",
            "devloop/__init__.py": "",
            "devloop/run.py": "",
            "emulator/__init__.py": "",
            "emulator/bus.py": "",
            "emulator/server.py": (
                "from pkg import settings, errors\nfrom pkg.slack import wire\n"
                "from pkg.certs import x\nfrom pkg.emulator import bus\n"
                "def later():\n    from pkg.core import login\n"
                "    import pkg.devloop.run\n"
            ),
        },
    )
    assert _load_checker().breaches(pkg) == [
        "pkg/emulator/server.py:6: the emulator imports pkg.core.login "
        "(rule 4: emulator/ imports only slack/ and the foundations)",
        "pkg/emulator/server.py:7: the emulator imports pkg.devloop.run "
        "(rule 4: emulator/ imports only slack/ and the foundations)",
    ]


def test_the_dev_loop_importing_the_cli_is_a_breach_even_for_types(tmp_path: Path) -> None:
    pkg = _package(
        tmp_path,
        {
            "__init__.py": "",
            "cli/__init__.py": "",
            "cli/context.py": "",
            "core/__init__.py": "",
            "core/session.py": "",
            "devloop/__init__.py": "",
            "devloop/run.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                "    from pkg.cli.context import Context\n"
                "    from pkg.core.session import Session\n"
                "def f():\n    import rich\n"
            ),
        },
    )
    assert _load_checker().breaches(pkg) == [
        "pkg/devloop/run.py:3: the dev loop imports pkg.cli.context "
        "(rule 5: devloop/ never imports cli/; type it against core.session.Session)",
        "pkg/devloop/run.py:6: the dev loop imports rich (rule 5: no terminal libraries)",
    ]


def test_a_cycle_through_a_lazy_import_is_a_breach(tmp_path: Path) -> None:
    pkg = _package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from pkg import b\n",
            "b.py": "def later():\n    from pkg.a import thing\n",
            "c.py": "import pkg.a\n",
        },
    )
    assert _load_checker().breaches(pkg) == ["import cycle (rule 3) among: pkg.a, pkg.b"]
