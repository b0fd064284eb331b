"""docs/workflows.md cannot drift: its files (`<!-- file: PATH -->` blocks) are written to a directory, its
`<!-- runnable -->` commands run against an emulator serving the guide's app (started as the guide says, with
`slackctl emulator exec`), and its pytest file passes under the slackctl plugin."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from slackctl.emulator import start_emulator
from tests.conftest import register_secret

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "workflows.md"
FILE = re.compile(r"^<!-- file: (\S+) -->$")


def guide_files(text: str) -> dict[str, str]:
    lines = text.splitlines()
    files = {}
    for i, line in enumerate(lines):
        match = FILE.match(line.strip())
        if match:
            assert lines[i + 1].startswith("```"), f"docs/workflows.md line {i + 2}: a fence must follow"
            end = next(j for j in range(i + 2, len(lines)) if lines[j].startswith("```"))
            files[match.group(1)] = "\n".join(lines[i + 2 : end]) + "\n"
    return files


def runnable_commands(text: str) -> list[str]:
    from tests.test_readme_examples import runnable_blocks

    return [command for _, commands in runnable_blocks(text) for command in commands]


def test_the_guide_has_its_app_files_and_runnable_commands() -> None:
    text = GUIDE.read_text()
    assert set(guide_files(text)) == {"manifest.json", "app.py", "triggers/greet.json", "test_greet.py"}
    assert len(runnable_commands(text)) >= 5


def test_the_guides_commands_run_against_the_emulator_serving_its_app(
    tmp_path: Path, slackctl_env: dict[str, str]
) -> None:
    text = GUIDE.read_text()
    for name, body in guide_files(text).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(body)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    with start_emulator(manifests=[manifest]) as emu:
        (app,) = [a for a in emu.apps() if a["name"] == "Greeter"]
        register_secret(app["bot_token"], app["app_token"], app["signing_secret"], app["client_secret"])
        env = {
            **os.environ,
            "SLACKCTL_SLACK_URL": emu.url,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        served = subprocess.Popen(
            [sys.executable, "-m", "slackctl", "emulator", "exec", "--", sys.executable, "app.py"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert emu.socket_mode.wait_connected(app["app_id"], timeout=30), "the guide's app did not connect"
            for command in runnable_commands(text):
                done = subprocess.run(
                    ["bash", "-c", command],
                    cwd=tmp_path,
                    capture_output=True,
                    text=True,
                    timeout=60,
                    env={**env, "SLACK_BOT_TOKEN": app["bot_token"]},
                )
                assert done.returncode == 0, f"{command}\n{done.stderr}"
            runs = [e for e in _executions(emu) if e["kind"] == "workflow"]
            deadline = time.monotonic() + 10
            while runs[0]["status"] == "running" and time.monotonic() < deadline:
                time.sleep(0.05)
                runs = [e for e in _executions(emu) if e["kind"] == "workflow"]
            assert runs[0]["status"] == "completed" and runs[0]["inputs"]["user_id"] == "U0EMU00002"
            assert any(m.get("text") == "Hello, <@U0EMU00002>!" for m in emu.messages("general"))
        finally:
            served.terminate()
            served.wait(timeout=15)


def _executions(emu: Any) -> list[dict[str, Any]]:
    from slackctl.emulator.automation import engine

    return engine.listing(emu)


def test_the_guides_pytest_file_passes_with_the_plugin(tmp_path: Path, slackctl_env: dict[str, str]) -> None:
    for name, body in guide_files(GUIDE.read_text()).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(body)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_greet.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "3 passed" in done.stdout
