"""The development-loop examples of the README ("Build an app offline") and of docs/develop.md, run as written (bash,
the real `slackctl` console script), with the emulator standing in for Slack. An example shown in both places is
the same text in both (checked), so it runs once."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, assert_no_secrets, register_secret
from tests.devloop.helpers import socket_connections, wait_for

EXAMPLE = re.compile(r"<!-- devloop-example: ([\w-]+) -->\n```sh\n(.*?)```", re.S)
SOURCES = (ROOT / "README.md", ROOT / "docs" / "develop.md")
FOUND = [
    (path.name, name, body) for path in SOURCES for name, body in EXAMPLE.findall(path.read_text(encoding="utf-8"))
]
EXAMPLES = {name: body for _, name, body in FOUND}
BIN = str(Path(sys.executable).parent)  # slackctl and python3 of this environment

# An HTTP-mode Bolt app on port 3000 (what the README's `python3 app.py &` starts), with Bolt's signature check.
# Its Web API client points at the emulator (Bolt checks its token with auth.test).
HTTP_APP = """
import os
from slack_bolt import App
from slack_sdk import WebClient

client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACKCTL_SLACK_URL"] + "/api/")
app = App(client=client, signing_secret=os.environ["SLACK_SIGNING_SECRET"])

@app.event("app_mention")
def mention(event):
    with open("seen.txt", "a") as f:
        f.write(f"mention: {event['text']}\\n")

@app.command("/hello")
def hello(ack, command):
    ack(f"Hello, {command['text']}!")

app.start(port=3000)
"""


def test_every_example_is_found() -> None:
    assert set(EXAMPLES) == {"run", "forward", "sign", "offline", "deploy"}
    assert ("README.md", "offline") in {(source, name) for source, name, _ in FOUND}  # the README's offline path


def test_an_example_shown_twice_is_the_same_text() -> None:
    for source, name, body in FOUND:
        assert body == EXAMPLES[name], f"{source}'s `{name}` example differs from the other copy"


@pytest.fixture
def project(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    assert cli("create", "my-app", "--template", "bolt-python", "--no-git", "--no-install").exit_code == 0
    # What `create` without --no-install makes: a .venv whose python has the app's requirements (Bolt, pytest).
    # Offline, that is this environment's interpreter behind the project's .venv/bin/python.
    venv_bin = tmp_path / "my-app" / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "python").write_text(f'#!/bin/sh\nexec {sys.executable} "$@"\n')
    (venv_bin / "python").chmod(0o755)
    return tmp_path / "my-app"


@pytest.fixture
def slack_manifest(project: Path) -> str:
    return str(project / "manifest.json")


def _bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    full = dict(os.environ, PATH=f"{BIN}:{os.environ.get('PATH', '')}", **env)
    return subprocess.Popen(
        ["bash", "-euc", script],
        cwd=cwd,
        env=full,
        text=True,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _stop(proc: subprocess.Popen[str]) -> tuple[str, str]:
    """SIGINT to the example's whole process group (what Ctrl-C in its terminal does), then SIGTERM for what a
    shell started with `&` (bash runs those with SIGINT ignored, as `kill %1` would be needed in a terminal)."""
    out, err = "", ""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            out, err = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            continue
        deadline = time.monotonic() + 5
        while not _group_gone(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if _group_gone(proc.pid):
            break
    assert _group_gone(proc.pid)  # nothing of the example is left running
    assert_no_secrets(out + err, "the example's output")
    return out, err


def _group_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.secrets_in_files  # the example writes the app's tokens into the project's .env, as documented
def test_socket_mode_with_run(
    slack: Any, slack_app: dict[str, Any], project: Path, mint_config: dict[str, str], slackctl_env: dict[str, str]
) -> None:
    proc = _bash(
        EXAMPLES["run"],
        project.parent,
        {
            "SLACKCTL_SLACK_URL": slack.url,
            "BOT_TOKEN": slack_app["bot_token"],
            "APP_TOKEN": slack_app["app_token"],
            **mint_config,
        },
    )
    try:
        wait_for(
            lambda: socket_connections(slack.url) == 1 or proc.poll() is not None, timeout=30, what="the app to connect"
        )
        assert proc.poll() is None, proc.communicate()
        result = slack.user("ada").command("/hello", "Ada")
        assert result["ack"]["ok"]
        slack.wait_for_message("#general", lambda m: m.get("text") == "Hello, Ada! :wave:")
    finally:
        _, err = _stop(proc)
    assert "deploying the manifest to the dev app" in err  # the manifest went to the dev app first


@pytest.fixture
def mint_config(slack: Any) -> dict[str, str]:
    minted = slack.emu.mint_token("config")
    register_secret(minted["token"], minted["refresh_token"])
    return {"CONFIG_TOKEN": minted["token"], "CONFIG_REFRESH": minted["refresh_token"]}


@pytest.fixture
def http_app(slack_app: dict[str, Any], tmp_path: Path) -> Iterator[Path]:
    register_secret(slack_app["bot_token"], slack_app["app_token"], slack_app["signing_secret"])
    work = tmp_path / "http-app"
    work.mkdir()
    (work / "app.py").write_text(textwrap.dedent(HTTP_APP))
    yield work


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_http_mode_with_events_forward(
    slack: Any, slack_app: dict[str, Any], http_app: Path, slackctl_env: dict[str, str]
) -> None:
    assert not _listening(3000), "port 3000 (the README's) is taken on this machine"
    proc = _bash(
        EXAMPLES["forward"],
        http_app,
        {
            "SLACKCTL_SLACK_URL": slack.url,
            "SLACK_APP_TOKEN": slack_app["app_token"],
            "SLACK_BOT_TOKEN": slack_app["bot_token"],
            "SLACK_SIGNING_SECRET": slack_app["signing_secret"],
        },
    )
    try:
        wait_for(
            lambda: (_listening(3000) and socket_connections(slack.url) == 1) or proc.poll() is not None,
            timeout=30,
            what="the app and events forward",
        )
        assert proc.poll() is None, proc.communicate()
        result = slack.user("ada").command("/hello", "Ada")
        assert result["response"] == {"text": "Hello, Ada!"}  # the app's HTTP answer, through the relay
        slack.user("ada").post("#general", f"<@{slack_app['bot_user_id']}> ping")
        wait_for(lambda: (http_app / "seen.txt").exists(), what="the mention to reach the app")
    finally:
        _, err = _stop(proc)
    assert f"mention: <@{slack_app['bot_user_id']}> ping" in (http_app / "seen.txt").read_text()
    assert re.search(r"slash_commands +/hello +200", err), err


def test_curl_with_events_sign(
    slack: Any, slack_app: dict[str, Any], http_app: Path, slackctl_env: dict[str, str]
) -> None:
    assert not _listening(3000), "port 3000 (the README's) is taken on this machine"
    server = _bash(
        "exec python3 app.py",
        http_app,
        {
            "SLACK_SIGNING_SECRET": slack_app["signing_secret"],
            "SLACK_BOT_TOKEN": slack_app["bot_token"],
            "SLACKCTL_SLACK_URL": slack.url,
        },
    )
    try:
        wait_for(lambda: _listening(3000) or server.poll() is not None, what="the app to listen")
        env = {"SLACK_SIGNING_SECRET": slack_app["signing_secret"]}
        signed = subprocess.run(
            ["bash", "-euc", EXAMPLES["sign"]],
            cwd=http_app,
            capture_output=True,
            text=True,
            env=dict(os.environ, PATH=f"{BIN}:{os.environ['PATH']}", **env),
            timeout=60,
        )
        assert signed.returncode == 0, signed.stderr
        wrong = subprocess.run(
            ["bash", "-euc", EXAMPLES["sign"]],
            cwd=http_app,
            capture_output=True,
            text=True,
            env=dict(os.environ, PATH=f"{BIN}:{os.environ['PATH']}", SLACK_SIGNING_SECRET="f" * 32),
            timeout=60,
        )
        assert wrong.returncode == 0
    finally:
        _stop(server)
    # Bolt's signature check let the signed request in, and refused the one signed with another secret.
    assert (http_app / "seen.txt").read_text() == "mention: hi\n"


@pytest.mark.timeout(200)
def test_fully_offline_with_run_emulator(project: Path, slackctl_env: dict[str, str]) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SLACKCTL_SLACK_URL"}
    proc = subprocess.Popen(
        ["bash", "-euc", EXAMPLES["offline"]],
        cwd=project.parent,
        text=True,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**env, "PATH": f"{BIN}:{env.get('PATH', '')}"},
    )
    deadline = time.monotonic() + 150
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert proc.poll() == 0, "the example did not finish"
    finally:
        out, err = _stop(proc)  # the backgrounded `slackctl run --emulator` is stopped with the group
    lines = [line.replace('":true', '": true') for line in out.splitlines() if line.startswith("{")]
    assert any('"Hello, Ada! :wave:"' in line and '"ephemeral": true' in line for line in lines), out
    # The edit reached the running app (a restart, not a second app), and the project's tests ran and passed.
    assert ":tada:" in (project / "listeners.py").read_text()
    assert re.search(r"\b\d+ passed\b", out) and " failed" not in out, out
    assert not list(project.glob("*.bak"))


@pytest.mark.secrets_in_files  # emulator.log holds what `emulator start` prints: the emulator's own credentials
def test_deploying_to_the_emulator_as_the_readme_shows(project: Path, slackctl_env: dict[str, str]) -> None:
    """The README's deploy path, in the project: an emulator of its own, a configuration token from
    `emulator token`, `deploy --yes` creating the dev app there."""
    env = {k: v for k, v in os.environ.items() if k not in ("SLACKCTL_SLACK_URL", "SLACK_CONFIG_TOKEN")}
    proc = subprocess.Popen(
        ["bash", "-euc", EXAMPLES["deploy"]],
        cwd=project,
        text=True,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**env, "PATH": f"{BIN}:{env.get('PATH', '')}"},
    )
    deadline = time.monotonic() + 90
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert proc.poll() == 0, "the example did not finish"
    finally:
        _, err = _stop(proc)  # the backgrounded emulator is stopped with the group
    listed = subprocess.run(
        [f"{BIN}/slackctl", "app", "list", "--json"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**env, "PATH": f"{BIN}:{env.get('PATH', '')}"},
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    (deployed,) = json.loads(listed.stdout)  # the dev app deploy created in the README's emulator
    assert deployed["env"] == "dev" and deployed["app_id"].startswith("A"), deployed
    assert "created" in err or deployed["app_id"] in err, err
