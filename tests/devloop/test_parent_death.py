"""An app started by `emulator exec` / `run` dies with slackctl, SIGHUP stops them as SIGTERM does, and the proxy's
leaf key never stays on disk (issue 24 item 6)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from slackctl.emulator.exec import intercept as px
from slackctl.emulator.exec import proxycerts
from tests.devloop.helpers import gone

EXEC = [sys.executable, "-m", "slackctl", "emulator", "exec"]


def _sleeper(tmp_path: Path) -> tuple[Path, Path]:
    """An app that starts a grandchild, writes both pids, says ready, and sleeps for ten minutes."""
    pid_file = tmp_path / "app.pid"
    app = tmp_path / "app.py"
    app.write_text(
        textwrap.dedent(f"""
        import os, subprocess, sys, time
        grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        open({str(pid_file)!r}, "w").write(f"{{os.getpid()}} {{grandchild.pid}}")
        print("ready", flush=True)
        time.sleep(600)
    """)
    )
    return app, pid_file


def _pids(pid_file: Path) -> list[int]:
    return [int(p) for p in pid_file.read_text().split()]


def _exec(app: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*EXEC, "--", sys.executable, str(app)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )


def test_the_app_dies_when_emulator_exec_is_killed_with_sigkill(slackctl_env, emulator, tmp_path) -> None:
    app, pid_file = _sleeper(tmp_path)
    proc = _exec(app)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        pids = _pids(pid_file)
        proc.kill()  # SIGKILL: no handler of slackctl's runs
        proc.wait(timeout=10)
        for pid in pids:
            assert gone(pid, timeout=5), f"pid {pid} (app, then its child) outlived a SIGKILLed emulator exec"
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_sighup_stops_emulator_exec_as_sigterm_does(slackctl_env, emulator, tmp_path, sig) -> None:
    app, pid_file = _sleeper(tmp_path)
    proc = _exec(app)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        pids = _pids(pid_file)
        proc.send_signal(sig)
        assert proc.wait(timeout=15) == 130
        assert all(gone(pid, timeout=5) for pid in pids)
    finally:
        if proc.poll() is None:
            proc.kill()
    stderr = proc.stderr.read() if proc.stderr else ""
    assert "interrupted: stopped" in stderr and "slackctl/" not in stderr  # the app's own KeyboardInterrupt may show


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_sighup_stops_run_and_its_app_with_exit_0_as_sigterm_does(slackctl_env, tmp_path, sig) -> None:
    app, pid_file = _sleeper(tmp_path)
    project = tmp_path / "proj"
    (project / ".slack").mkdir(parents=True)
    (project / ".slack" / "hooks.json").write_text(f'{{"hooks": {{"start": "{sys.executable} {app}"}}}}')
    env = dict(os.environ, SLACK_BOT_TOKEN="xoxb-0000000000-not-used")
    proc = subprocess.Popen(
        [sys.executable, "-m", "slackctl", "run", "--no-reload"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        pids = _pids(pid_file)
        proc.send_signal(sig)
        assert proc.wait(timeout=15) == 0
        assert all(gone(pid, timeout=5) for pid in pids)
    finally:
        if proc.poll() is None:
            proc.kill()


def test_the_app_dies_when_run_is_killed_with_sigkill(slackctl_env, tmp_path) -> None:
    app, pid_file = _sleeper(tmp_path)
    project = tmp_path / "proj"
    (project / ".slack").mkdir(parents=True)
    (project / ".slack" / "hooks.json").write_text(f'{{"hooks": {{"start": "{sys.executable} {app}"}}}}')
    env = dict(os.environ, SLACK_BOT_TOKEN="xoxb-0000000000-not-used")
    proc = subprocess.Popen(
        [sys.executable, "-m", "slackctl", "run"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        pids = _pids(pid_file)
        proc.kill()
        proc.wait(timeout=10)
        for pid in pids:
            assert gone(pid, timeout=5), f"pid {pid} (app, then its child) outlived a SIGKILLed slackctl run"
    finally:
        if proc.poll() is None:
            proc.kill()


def test_the_proxys_leaf_key_is_never_left_on_disk(emulator) -> None:
    with px.SlackProxy(emulator.url) as proxy:
        assert proxy.bundle is not None
        here = proxy.bundle.parent
        assert here.name.startswith(f"{proxycerts.DIR_PREFIX}{os.getpid()}-")
        assert (here.stat().st_mode & 0o777) == 0o700
        names = sorted(p.name for p in here.iterdir())
        assert names == ["ca-bundle.pem", "proxy-ca.pem", "proxy-leaf.pem"]  # no key
        assert all(b"PRIVATE KEY" not in p.read_bytes() for p in here.iterdir())


def test_a_dead_proxys_dir_and_an_old_versions_key_are_removed_on_the_next_start(tmp_path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"{proxycerts.DIR_PREFIX}{dead.pid}-abc123"
    stale.mkdir()
    (stale / "proxy-leaf.pem").write_text("cert")
    live = tmp_path / f"{proxycerts.DIR_PREFIX}{os.getpid()}-def456"
    live.mkdir()
    (live / "ca-bundle.pem").write_text("bundle")
    legacy = tmp_path / f"{proxycerts.DIR_PREFIX}k2j4h5"  # an older slackctl's mkdtemp name: no pid
    legacy.mkdir()
    (legacy / proxycerts.LEGACY_KEY).write_text("-----BEGIN PRIVATE KEY-----")
    (legacy / "ca-bundle.pem").write_text("bundle")
    foreign = tmp_path / f"{proxycerts.DIR_PREFIX}{dead.pid}-nobody"
    foreign.mkdir()
    os.chown(foreign, 65534, 65534)  # another user's: not ours to touch
    proxycerts.remove_stale_dirs(tmp_path)
    assert not stale.exists()
    assert sorted(p.name for p in live.iterdir()) == ["ca-bundle.pem"]
    assert sorted(p.name for p in legacy.iterdir()) == ["ca-bundle.pem"]
    assert foreign.exists()


def test_starting_a_proxy_cleans_the_real_temp_dir(emulator) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = Path(tempfile.gettempdir()) / f"{proxycerts.DIR_PREFIX}{dead.pid}-{time.monotonic_ns()}"
    stale.mkdir(mode=0o700)
    (stale / proxycerts.LEGACY_KEY).write_text("-----BEGIN PRIVATE KEY-----")
    with px.SlackProxy(emulator.url):
        assert not stale.exists()
