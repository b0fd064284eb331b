"""A rate-limited call waiting out Retry-After (issue 23 item 14): Ctrl-C during the wait exits 130 at once
(nothing is in flight), also inside a deploy's shielded write, and against the emulator the wait names how to
turn its limits off or speed its clock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.cli.commands.deploy.helpers import config_login, make_project


def _waiting(slackctl_env, *args: str, cwd: Path | None = None, env: dict[str, str] | None = None):
    proc = subprocess.Popen(
        [sys.executable, "-m", "slackctl", *args],
        text=True,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **slackctl_env, **(env or {})},
    )
    assert proc.stderr is not None
    lines = []
    while not lines or "retrying in 55" not in lines[-1]:  # the wait's announcement: the process now sleeps
        lines.append(proc.stderr.readline())
        assert lines[-1], "".join(lines)
    return proc, lines[-1]


def _interrupt(proc) -> tuple[float, str]:
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=45)
    finally:
        if proc.poll() is None:
            proc.kill()
    return time.monotonic() - started, err


def test_ctrl_c_during_a_back_off_wait_exits_130_at_once(emulator, slackctl_env, bot_token):
    emulator.inject_fault("auth.test", "429", retry_after=55)
    proc, line = _waiting(slackctl_env, "api", "call", "auth.test", env={"SLACK_BOT_TOKEN": bot_token})
    took, err = _interrupt(proc)
    assert proc.returncode == 130 and took < 3
    assert "Traceback" not in err
    # Against the emulator, the wait says how to make its limits go away or go faster.
    assert "slackctl emulator start --no-rate-limits" in line and "--time-scale" in line


def test_ctrl_c_during_a_back_off_inside_a_deploys_write_exits_at_once_with_nothing_created(
    cli, mint, emulator, slackctl_env, tmp_path
):
    """The create is shielded (an interrupt lets a write in flight finish, up to 30 s); during the wait after a
    429 nothing is in flight, so the interrupt is not held."""
    root = make_project(tmp_path / "app")
    config_login(cli, mint)
    emulator.inject_fault("apps.manifest.create", "429", retry_after=55)
    proc, _ = _waiting(slackctl_env, "deploy", "--yes", cwd=root)
    took, err = _interrupt(proc)
    assert proc.returncode == 130 and took < 3, err
    assert "waiting up to" not in err
    assert [a for a in emulator.apps() if a["app_id"] != emulator.default_app["app_id"]] == []  # nothing created
