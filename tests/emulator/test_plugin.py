"""The pytest plugin: the manual's example project (manifest.json + a test file, extracted from docs/testing.md so they
cannot drift) runs green in a fresh pytest process that loads slackctl.testing through its pytest11 entry point."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "testing.md"
BLOCK = re.compile(r"<!-- plugin-example: (?P<name>[\w.]+) -->\n```\w+\n(?P<body>.*?)```", re.S)


def readme_example() -> dict[str, str]:
    files = {m["name"]: m["body"] for m in BLOCK.finditer(GUIDE.read_text(encoding="utf-8"))}
    assert set(files) == {"manifest.json", "test_greeter.py"}, "docs/testing.md's plugin example lost a file"
    return files


def run_pytest(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_readme_example_passes_with_the_plugin(tmp_path: Path) -> None:
    for name, body in readme_example().items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    done = run_pytest(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


def test_the_example_fails_when_the_app_misbehaves(tmp_path: Path) -> None:
    files = readme_example()
    files["test_greeter.py"] = files["test_greeter.py"].replace(
        "say(f\"Hi <@{message['user']}>!\")", 'say("Hi everyone!")'
    )
    for name, body in files.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    done = run_pytest(tmp_path)
    assert done.returncode == 1 and "Hi everyone!" in done.stdout


def test_slack_app_without_a_manifest_is_a_clear_usage_error(tmp_path: Path) -> None:
    (tmp_path / "test_x.py").write_text("def test_x(slack_app):\n    pass\n", encoding="utf-8")
    done = run_pytest(tmp_path)
    assert done.returncode != 0 and "no app manifest" in done.stdout + done.stderr


def test_the_manifest_can_come_from_the_ini_option(tmp_path: Path) -> None:
    files = readme_example()
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "slack.json").write_text(files["manifest.json"], encoding="utf-8")
    (tmp_path / "test_greeter.py").write_text(files["test_greeter.py"], encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nslackctl_manifest = app/slack.json\n", encoding="utf-8")
    done = run_pytest(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
