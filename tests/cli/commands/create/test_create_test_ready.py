"""Built-in Python templates ship test-ready (issue 23 item 3): `slackctl create` installs requirements-dev.txt into
the project's .venv with the running slackctl itself (built as the `slackctl-cli` wheel, so it works before
slackctl is published), and the project's own pytest, run with the project's interpreter, passes at once —
including tests/test_app.py, which drives the app through the `slack` fixture."""

from __future__ import annotations

import os
import subprocess
import zipfile
from pathlib import Path

import pytest

from slackctl.core.scaffold import selfwheel

TEMPLATES = ["bolt-python", "bolt-python-http", "bolt-python-custom-step"]


@pytest.mark.timeout(600)
@pytest.mark.parametrize("template", TEMPLATES)
def test_a_created_project_s_own_tests_pass_in_its_venv(run_slackctl, tmp_path: Path, template: str) -> None:
    created = run_slackctl(
        "create", "ready-app", "-t", template, "--no-git", "-d", "Test-ready", cwd=tmp_path, timeout=600
    )
    assert created.exit_code == 0, created.stderr
    project = tmp_path / "ready-app"
    assert "slackctl-cli" in (project / "requirements-dev.txt").read_text()
    python = project / ".venv" / "bin" / "python"
    shown = subprocess.run([str(python), "-m", "pip", "show", "slackctl-cli"], capture_output=True, text=True)
    assert shown.returncode == 0 and "Name: slackctl-cli" in shown.stdout
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "SLACKCTL_SLACK_URL")}
    proc = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (
        "test_app.py"
        in subprocess.run(
            [str(python), "-m", "pytest", "--collect-only", "-q"], cwd=project, env=env, capture_output=True, text=True
        ).stdout
    )
    assert " passed" in proc.stdout and "skipped" not in proc.stdout and "error" not in proc.stdout.lower()


def test_the_wheel_of_the_running_slackctl_carries_the_plugin_and_the_emulator(tmp_path: Path) -> None:
    wheel = selfwheel.build(tmp_path)
    assert wheel.name.startswith("slackctl_cli-") and wheel.name.endswith("-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
        metadata = archive.read(f"{info}/METADATA").decode()
    assert {"slackctl/testing.py", "slackctl/emulator/__init__.py", "slackctl/emulator/exec/node_proxy.js"} <= names
    assert not any("__pycache__" in n for n in names)
    assert "slackctl = slackctl.testing" in entry_points and "Name: slackctl-cli" in metadata
    assert "Requires-Dist: websockets" in metadata and "extra ==" not in metadata


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("-r requirements.txt\npytest>=8\nslackctl-cli\n", True),
        ("slackctl_cli>=0.1 ; python_version >= '3.11'\n", True),
        ("# slackctl-cli\nslackctl\n", False),
        ("slackctl-cli-extras\n", False),
    ],
)
def test_which_dev_requirements_ask_for_slackctl(text: str, wanted: bool) -> None:
    assert selfwheel.wants_self(text) is wanted
