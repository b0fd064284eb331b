"""docs/ci.md's GitHub Actions workflow, run as written: each `run:` script through bash with the job's variables
(secrets filled with emulator tokens), no keyring and a clean config dir, against the emulator."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.cli.commands.deploy.helpers import export_manifest, make_project, the_app
from tests.conftest import assert_no_secrets

ROOT = Path(__file__).resolve().parents[2]
GITHUB_ACTIONS = {"actions/checkout@v4", "actions/setup-python@v5"}  # GitHub's own set-up, nothing of ours


def _block(path: Path) -> str:
    (block,) = re.findall(r"```yaml\n(.*?)```", path.read_text(), re.S)
    return block


def workflow() -> dict[str, Any]:
    return yaml.safe_load(_block(ROOT / "docs" / "ci.md"))


def test_the_recipe_has_the_steps_the_readme_promises():
    (job,) = workflow()["jobs"].values()
    names = [s.get("name") for s in job["steps"] if "run" in s]
    assert names == [
        "Install slackctl",
        "Check the manifest",
        "Deploy the manifest",
        "Post a message",
        "Upload an artefact",
    ]
    assert {"SLACK_CONFIG_TOKEN", "SLACK_CONFIG_REFRESH_TOKEN", "SLACK_BOT_TOKEN"} <= set(job["env"])
    assert {s["uses"] for s in job["steps"] if "uses" in s} == GITHUB_ACTIONS
    # The workflow has one home, docs/ci.md: the README links to it instead of carrying a copy that could drift.
    readme = (ROOT / "README.md").read_text()
    assert "](docs/ci.md)" in readme and "```yaml" not in readme


def _job_env(job: dict[str, Any], secrets: dict[str, str]) -> dict[str, str]:
    env = {}
    for name, value in job["env"].items():
        found = re.fullmatch(r"\$\{\{ secrets\.(\w+) \}\}", str(value))
        env[name] = secrets[found.group(1)] if found else str(value)
    return env


def test_every_step_of_the_recipe_runs_against_the_emulator_without_a_keyring(
    cli, mint, emulator, tmp_path, monkeypatch: pytest.MonkeyPatch
):
    root = make_project(tmp_path / "repo")
    monkeypatch.chdir(root)
    # The prod app was deployed once from a developer's machine and .slack/apps.json committed.
    assert cli("deploy", "--env", "prod", env={"SLACK_CONFIG_TOKEN": mint("config")["token"]}).exit_code == 0
    app_id = the_app(root, "prod")["app_id"]
    manifest = json.loads((root / "manifest.json").read_text())
    manifest["display_information"]["name"] = "Released from CI"
    (root / "manifest.json").write_text(json.dumps(manifest))

    (job,) = workflow()["jobs"].values()
    config = mint("config")
    env = dict(os.environ)
    env.update(
        _job_env(
            job,
            {
                "SLACK_CONFIG_TOKEN": config["token"],
                "SLACK_CONFIG_REFRESH_TOKEN": config["refresh_token"],
                "SLACK_BOT_TOKEN": mint("bot")["token"],
            },
        )
    )
    env.update(
        {
            "SLACK_CHANNEL": "general",  # the emulator's channel, in place of the example id
            "GITHUB_SHA": "0123456789abcdef",
            "CI": "true",
            "SLACKCTL_CONFIG_DIR": str(tmp_path / "runner-home" / "slackctl"),  # nothing stored on the runner
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",  # and no keyring at all
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            # slackctl is already installed here: pip must find it without asking any index (no network).
            "PIP_NO_INDEX": "1",
        }
    )
    for step in job["steps"]:
        if "run" not in step:
            continue
        proc = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", step["run"]],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, f"{step['name']}: {proc.stderr}"
        assert "Traceback" not in proc.stderr
        assert_no_secrets(proc.stdout + proc.stderr, step["name"])

    assert json.loads((root / "validate.json").read_text())["valid"] is True
    deployed = json.loads((root / "deploy.json").read_text())
    assert deployed["app_id"] == app_id and deployed["action"] == "update" and deployed["changed"] is True
    assert export_manifest(emulator, mint, app_id)["display_information"]["name"] == "Released from CI"
    messages = emulator.messages("general")
    (post,) = [m for m in messages if m.get("text") == "Deployed 0123456: update"]
    ts = (root / "ts.txt").read_text().strip()
    assert post["ts"] == ts
    (report,) = [m for m in messages if m.get("files")]
    assert report.get("thread_ts") == ts and report["files"][0]["name"] == "deploy.json"
    assert not (tmp_path / "runner-home" / "slackctl" / "credentials.insecure.json").exists()
