"""`slackctl run --emulator` on a project made by `slackctl create`: the app answers a user, picks up an edited
listener without a manual restart, and Ctrl-C leaves no process behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.devloop.helpers import (
    control,
    descendants,
    gone,
    installed_app,
    read_line,
    socket_connections,
    thread_replies,
    wait_for,
)


@pytest.fixture
def project(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    result = cli("create", "hello-app", "--template", "bolt-python", "--no-git", "--no-install")
    assert result.exit_code == 0, result.stderr
    return tmp_path / "hello-app"


def _start(project: Path, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ)
    env.pop("SLACKCTL_SLACK_URL", None)  # run --emulator makes its own
    # The app's packages (slack_bolt) are in this environment: its python3 first on PATH, as an activated one is.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.Popen(
        [sys.executable, "-m", "slackctl", "run", "--emulator", *args],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _mention(url: str, bot_user: str, text: str) -> str:
    """Post as ada through the emulator's driver, mentioning the bot; the reply the app puts in the thread."""
    answer = control(url, "drive/post", {"channel": "#general", "text": f"<@{bot_user}> {text}"})
    assert answer["ok"], answer
    posted = answer["result"]
    replies = wait_for(lambda: thread_replies(url, posted["channel"], posted["ts"]), timeout=10, what="the app's reply")
    return replies[0]["text"]


def test_run_emulator_answers_reloads_and_leaves_nothing_behind(project: Path) -> None:
    proc = _start(project)
    try:
        url = read_line(proc).strip()
        assert url.startswith("http://127.0.0.1:")  # the first stdout line is the emulator's URL
        app = installed_app(url)
        assert app["name"] == "hello-app"
        wait_for(lambda: socket_connections(url) == 1, what="the app's Socket Mode connection")
        assert _mention(url, app["bot_user_id"], "hi") == "Hi <@U0EMU00001>! I'm hello-app. Try the /hello command."

        listeners = project / "listeners.py"
        listeners.write_text(listeners.read_text().replace('f"Hi {who}!', 'f"Howdy {who}!'))
        # No restart by hand: the new listener answers once the app is back.
        wait_for(
            lambda: _reply_starts(url, app["bot_user_id"], "Howdy"),
            timeout=20,
            interval=0.2,
            what="the edited listener's reply",
        )

        app_processes = descendants(proc.pid)
        assert app_processes, "the app should be running under slackctl run"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 130
    finally:
        if proc.poll() is None:
            proc.kill()
    for pid in app_processes:
        assert gone(pid), f"process {pid} outlived slackctl run"
    stderr = proc.stderr.read() if proc.stderr else ""
    assert "listeners.py changed: restarting the app" in stderr
    assert "interrupted" in stderr
    assert f"bot user {app['bot_user_id']}" in stderr  # what a mention needs, and how to get a config token
    assert "slackctl emulator token --kind config --slack-url http://127.0.0.1:" in stderr


def _reply_starts(url: str, bot_user: str, prefix: str) -> bool:
    try:
        return _mention(url, bot_user, "again").startswith(prefix)
    except AssertionError:  # no reply while the app restarts
        return False


def test_sigterm_stops_the_app_and_exits_0(project: Path) -> None:
    proc = _start(project, "--no-reload")
    try:
        url = read_line(proc).strip()
        wait_for(lambda: socket_connections(url) == 1, what="the app's Socket Mode connection")
        app_processes = descendants(proc.pid)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert all(gone(pid) for pid in app_processes)


def test_a_manifest_change_reinstalls_the_app_in_the_emulator(project: Path) -> None:
    import json

    proc = _start(project)
    try:
        url = read_line(proc).strip()
        app = installed_app(url)
        wait_for(lambda: socket_connections(url) == 1, what="the app's Socket Mode connection")
        refused = control(url, "drive/command", {"name": "/later"})
        assert not refused["ok"]  # not in the manifest yet
        manifest = json.loads((project / "manifest.json").read_text())
        manifest["features"]["slash_commands"].append({"command": "/later", "description": "Later"})
        (project / "manifest.json").write_text(json.dumps(manifest, indent=2))
        wait_for(
            lambda: any(c["command"] == "/later" for c in _commands(url, app["app_id"])),
            timeout=20,
            what="the reinstalled manifest",
        )
        assert installed_app(url)["app_id"] == app["app_id"]  # the same app, updated (tokens kept)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    assert "reinstalled" in (proc.stderr.read() if proc.stderr else "")


def _commands(url: str, app_id: str) -> list[dict]:
    from tests.devloop.helpers import web_api

    token = control(url, "tokens", {"kind": "config"})["token"]
    exported = web_api(url, token, "apps.manifest.export", app_id=app_id)
    return exported.get("manifest", {}).get("features", {}).get("slash_commands", [])


def test_an_invalid_manifest_is_listed_as_manifest_validate_lists_it(project: Path) -> None:
    """Issue 23 item 16: each problem with its pointer and line, then the error; no emulator, no app started."""
    manifest = json.loads((project / "manifest.json").read_text())
    manifest["settings"]["bad_param"] = True
    manifest["features"]["slash_commands"][0]["command"] = "hello"
    (project / "manifest.json").write_text(json.dumps(manifest, indent=2))
    proc = _start(project)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert out == ""  # no emulator URL: nothing was started
    problems = [line for line in err.splitlines() if line.startswith("  /")]
    assert any(line.startswith("  /settings/bad_param (line ") for line in problems), err
    assert any("/features/slash_commands/0/command" in line and "must start with /" in line for line in problems)
    assert "Traceback" not in err
