"""`slackctl deploy` interrupted by SIGINT or SIGTERM while its deploy hook runs: the manifest change is rolled
back (or the app the deploy created is deleted), the exit code is 130, and nothing half-done is left behind.

(Interrupted `create`: tests/cli/commands/create/test_create_interactive.py and tests/core/scaffold/test_write.py.)"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.cli.commands.deploy.helpers import (
    MANIFEST,
    config_login,
    export_manifest,
    make_project,
    records_json,
    the_app,
    writes,
)
from tests.conftest import assert_no_secrets

# `exec` makes the hook's shell become the sleeper, so the process slackctl kills is the one that holds the pipe.
HOOK = "echo hook-started; exec sleep 30"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(tmp_path / "my-app")
    monkeypatch.chdir(root)
    return root


def _deploy_and_interrupt(project: Path, sig: int) -> tuple[int, str]:
    """Run `slackctl deploy --yes` as a real process; once the hook has printed its first line, signal slackctl
    (only slackctl, as `kill` would; a terminal's Ctrl-C would also reach the hook)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "slackctl", "deploy", "--yes"],
        cwd=project,
        env=dict(os.environ),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # a runner started as a background job ignores SIGINT, and children inherit that
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.put(line)
        lines.put(None)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    seen: list[str] = []
    try:
        while True:
            line = lines.get(timeout=60)
            assert line is not None, "deploy ended before its hook ran:\n" + "".join(seen)
            seen.append(line)
            if "hook-started" in line:
                break
        proc.send_signal(sig)
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    reader.join(10)
    while not lines.empty():
        line = lines.get()
        if line is not None:
            seen.append(line)
    assert proc.stdout is not None
    out = proc.stdout.read()
    assert_no_secrets(out + "".join(seen), "interrupted slackctl deploy")
    return code, "".join(seen)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_update_restores_the_previous_manifest(cli, mint, project, emulator, sig):
    config_login(cli, mint)
    assert cli("deploy").exit_code == 0
    app_id = the_app(project)["app_id"]
    before = export_manifest(emulator, mint, app_id)
    changed = json.loads(json.dumps(MANIFEST))
    changed["display_information"]["name"] = "Half Deployed"
    (project / "manifest.json").write_text(json.dumps(changed))
    (project / ".slack" / "hooks.json").write_text(json.dumps({"hooks": {"deploy": HOOK}}))

    code, stderr = _deploy_and_interrupt(project, sig)
    assert "Traceback" not in stderr
    assert code == 130, stderr
    assert "restored the previous manifest" in stderr
    assert export_manifest(emulator, mint, app_id) == before
    assert writes(emulator)[-2:] == ["apps.manifest.update", "apps.manifest.update"]
    assert the_app(project)["app_id"] == app_id  # the project still points at the same, intact app


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_first_deploy_deletes_the_app_it_created(cli, mint, project, emulator, sig):
    make_project(project, hooks={"deploy": HOOK})
    config_login(cli, mint)

    code, stderr = _deploy_and_interrupt(project, sig)
    assert "Traceback" not in stderr
    assert code == 130, stderr
    assert "deleted the app created by this deploy" in stderr
    assert writes(emulator) == ["apps.manifest.create", "apps.manifest.delete"]
    assert records_json(project).get("environments", {}) == {}
