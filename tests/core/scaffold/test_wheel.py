"""The built-in templates ship inside the wheel (slackctl/_templates) and are found there when installed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import require

REPO = Path(__file__).resolve().parents[3]


def test_create_works_from_an_installed_wheel(tmp_path: Path):
    require(shutil.which("hatchling", path=str(Path(sys.executable).parent)), "hatchling (the build backend)")
    # Build from a copy holding only what the wheel needs, so others' work in progress cannot break the build.
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (REPO / name).exists():
            shutil.copy(REPO / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", ".pytest_cache", "*.pyc")
    shutil.copytree(REPO / "slackctl", src / "slackctl", ignore=ignore)
    shutil.copytree(REPO / "templates", src / "templates", ignore=ignore)
    hatchling = str(Path(sys.executable).parent / "hatchling")
    subprocess.run(
        [hatchling, "build", "-t", "wheel", "-d", str(tmp_path / "dist")],
        cwd=src,
        check=True,
        capture_output=True,
        timeout=120,
    )
    wheel = next((tmp_path / "dist").glob("*.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        zf.extractall(site)
    assert "slackctl/_templates/bolt-python/manifest.json" in names
    assert not any("__pycache__" in n or "/tests/__init__" in n for n in names if "_templates" in n)
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "SLACKCTL_CONFIG_DIR": str(tmp_path / "config")}
    code = (
        "import slackctl.core.scaffold.discover as d, sys; print(d.builtin_templates_dir()); "
        "from slackctl.cli.app import run; sys.exit(run(sys.argv[1:]))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, "create", "app", "-t", "bolt-python-custom-step", "--no-install", "--no-git"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == str(site / "slackctl" / "_templates")
    manifest = json.loads((work / "app" / "manifest.json").read_text())
    assert manifest["display_information"]["name"] == "app"
