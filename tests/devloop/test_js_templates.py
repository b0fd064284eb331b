"""The built-in JavaScript and TypeScript templates (`bolt-js`, `bolt-ts`) with the real @slack/bolt from npm:
`create` installs their dependencies (`npm ci` of the template's lock file, into the test cache's npm cache),
their own test passes against the emulator (`emulator exec -- npm test`: a message, /hello, App Home -> button ->
modal), and `run --emulator` starts them through Slack's hooks (get-hooks of @slack/cli-hooks), answers a message
and /hello, and reloads when a source file is saved."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require
from tests.devloop import npm
from tests.devloop.helpers import control, read_line, socket_connections, wait_for

SOURCE = {"bolt-js": "listeners.js", "bolt-ts": "src/listeners.ts"}


def _env(tmp: Path) -> dict[str, str]:
    env = npm.npm_env()
    env["SLACKCTL_CONFIG_DIR"] = str(tmp / "config")
    for var in ("SLACKCTL_SLACK_URL", "NODE_OPTIONS", "VIRTUAL_ENV"):
        env.pop(var, None)
    return env


@pytest.fixture(scope="module", params=["bolt-js", "bolt-ts"])
def created(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, str]:
    require(os.path.exists("/usr/bin/node") or bool(os.environ.get("PATH")), "node")
    template = request.param
    tmp = tmp_path_factory.mktemp(template)
    proc = subprocess.run(
        [sys.executable, "-m", "slackctl", "create", "demo-app", "--template", template, "--no-git", "-d", "Demo"],
        cwd=tmp,
        env=_env(tmp),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return template, tmp / "demo-app", proc.stderr


def test_create_installs_the_locked_dependencies_with_progress(created: tuple[str, Path, str]) -> None:
    template, root, stderr = created
    assert "Installing dependencies (npm ci)" in stderr
    bolt = json.loads((root / "node_modules" / "@slack" / "bolt" / "package.json").read_text())
    assert bolt["version"] == "4.7.3"
    assert (root / "node_modules" / "@slack" / "cli-hooks").is_dir()
    assert (root / "node_modules" / "slackctl-install.log").is_file()
    hooks = json.loads((root / ".slack" / "hooks.json").read_text())
    assert hooks["hooks"]["get-hooks"] == "npx -q --no-install -p @slack/cli-hooks slack-cli-get-hooks"
    assert json.loads((root / "package.json").read_text())["name"] == "demo-app"


@pytest.fixture
def emulator_for(created: tuple[str, Path, str], tmp_path: Path) -> Iterator[str]:
    _, root, _ = created
    proc = subprocess.Popen(
        [sys.executable, "-m", "slackctl", "emulator", "start", "--port", "0", "--manifest", "manifest.json"],
        cwd=root,
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield read_line(proc).strip()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)


def test_the_templates_own_test_passes_against_the_emulator(
    created: tuple[str, Path, str], emulator_for: str, tmp_path: Path
) -> None:
    _, root, _ = created
    env = _env(tmp_path) | {"SLACKCTL_SLACK_URL": emulator_for}
    proc = subprocess.run(
        [sys.executable, "-m", "slackctl", "emulator", "exec", "--", "npm", "test"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "# pass 3" in proc.stdout and "# fail 0" in proc.stdout


def _messages(url: str) -> list[dict[str, Any]]:
    answer = control(url, "drive/messages", {"channel": "#general"})
    return list(answer["result"]) if answer["ok"] else []


def _reply_to_hello(url: str) -> str | None:
    answer = control(url, "drive/post", {"channel": "#general", "text": "hello app"})
    if not answer["ok"]:
        return None  # the app is restarting: not connected
    ts = answer["result"]["ts"]
    try:
        reply = wait_for(
            lambda: next((m for m in _messages(url) if m.get("thread_ts") == ts and m["ts"] != ts), None),
            timeout=10,
            what="the reply",
        )
    except AssertionError:
        return None
    return str(reply["text"])


def test_run_emulator_answers_and_reloads_on_save(created: tuple[str, Path, str], tmp_path: Path) -> None:
    template, root, _ = created
    proc = subprocess.Popen(
        [sys.executable, "-m", "slackctl", "run", "--emulator"],
        cwd=root,
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    source = root / SOURCE[template]
    original = source.read_text()
    try:
        url = read_line(proc, timeout=60).strip()
        wait_for(
            lambda: socket_connections(url) >= 1 or proc.poll() is not None,
            timeout=90,
            what="the app's Socket Mode connection",
        )
        assert proc.poll() is None, proc.communicate()[1][-3000:]
        assert (_reply_to_hello(url) or "").startswith("Hi <@U0EMU00001>! I'm demo-app.")
        answer = control(url, "drive/command", {"name": "/hello", "text": "Ada", "channel": "#general"})
        assert answer["ok"], answer
        wait_for(
            lambda: any(m.get("text") == "Hello, Ada! :wave:" and m.get("ephemeral") for m in _messages(url)),
            what="the ephemeral answer to /hello",
        )

        source.write_text(original.replace("`Hi <@", "`Howdy <@"))
        wait_for(
            lambda: (_reply_to_hello(url) or "").startswith("Howdy"),
            timeout=90,
            interval=0.5,
            what="the saved listener's reply",
        )
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 130
    finally:
        source.write_text(original)
        if proc.poll() is None:
            proc.kill()
    err = proc.stderr.read() if proc.stderr else ""
    assert "the SDK's start hook" in err or "start hook:" in err
    assert f"{source.name} changed: restarting the app" in err
