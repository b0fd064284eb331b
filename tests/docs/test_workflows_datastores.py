"""docs/workflows.md's datastore section, run as written: its manifest installed in the emulator, its shell block
through bash with the app's bot token, and the datastore left as the commands say."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.cli.commands.datastore.conftest import install, stored
from tests.conftest import assert_no_secrets

DOC = Path(__file__).resolve().parents[2] / "docs" / "workflows.md"


def block(marker: str, language: str) -> str:
    (found,) = re.findall(rf"<!-- {marker} -->\n```{language}\n(.*?)```", DOC.read_text(), re.S)
    return found


def test_the_datastore_example_runs_against_the_emulator(emulator, slackctl_env, tmp_path):
    app = install(emulator, json.loads(block("datastore-manifest", "json")))
    script = block("datastore-example", "sh")
    (export,) = [line for line in script.splitlines() if line.startswith("export ")]
    assert "SLACKCTL_SLACK_URL=" in export and "SLACK_BOT_TOKEN=" in export
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": app["bot_token"],
        "SLACKCTL_SLACK_URL": emulator.url,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    runnable = script.replace(export + "\n", "")  # the example's placeholders; the real values are in env
    proc = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", runnable],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert_no_secrets(proc.stdout + proc.stderr, "the datastore example")
    # get printed item 1 after the update merged points into it; the query found it; count found "Review"
    assert '"points": 5' in proc.stdout or '"points":5' in proc.stdout
    assert proc.stdout.splitlines()[-1] == "1"
    exported = [json.loads(line) for line in (tmp_path / "tasks.jsonl").read_text().splitlines()]
    assert [item["id"] for item in exported] == ["1", "2", "3"]
    # the done task was deleted through the pipe, task 1 by id: only "Review" is left
    assert stored(emulator, app) == {"2": {"id": "2", "title": "Review", "status": "open"}}
