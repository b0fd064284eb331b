"""Projects whose `.slack/hooks.json` holds only `get-hooks`, as Slack's templates do, run under `slackctl run
--emulator` through the REAL hook packages: `slack-cli-hooks` from PyPI (in the project's .venv) and
`@slack/cli-hooks` from npm. slackctl asks get-hooks, speaks the protocol the SDK prefers (message boundaries),
starts the SDK's start hook with the SDK-managed connection's tokens, and reloads on the paths of config.watch.
Each app answers a mention and a slash command, then answers differently once its file is saved."""

from __future__ import annotations

import hashlib
import json
import signal
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.devloop import npm
from tests.devloop.helpers import control, installed_app, read_line, socket_connections, thread_replies, wait_for

REPO = Path(__file__).resolve().parents[2]
HOOKS_JS = REPO / "tests" / "data" / "slack-cli-hooks-js"
PY_HOOKS = "slack-cli-hooks==0.3.0"  # the version whose protocol these tests were written against

MANIFEST: dict[str, Any] = {
    "display_information": {"name": "Hooks App"},
    "features": {
        "bot_user": {"display_name": "hooks-app"},
        "slash_commands": [{"command": "/echo", "description": "Echo"}],
    },
    "oauth_config": {"scopes": {"bot": ["app_mentions:read", "chat:write", "commands"]}},
    "settings": {"socket_mode_enabled": True, "event_subscriptions": {"bot_events": ["app_mention"]}},
}

APP_PY = """
import os
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

app = App(token=os.environ["SLACK_BOT_TOKEN"])

@app.event("app_mention")
def mention(event, say):
    say(text="GREETING from python", thread_ts=event["ts"])

@app.command("/echo")
def echo(ack, command):
    ack(f"echo: {command['text']}")

if __name__ == "__main__":
    # The SDK-managed connection: Slack's CLI (and slackctl) pass the tokens under both names.
    assert os.environ["SLACK_CLI_XOXB"] == os.environ["SLACK_BOT_TOKEN"]
    SocketModeHandler(app, os.environ["SLACK_CLI_XAPP"]).start()
"""

APP_JS = """
const { App } = require('@slack/bolt');

const app = new App({ token: process.env.SLACK_BOT_TOKEN, appToken: process.env.SLACK_CLI_XAPP, socketMode: true });

app.event('app_mention', async ({ event, say }) => {
  await say({ text: 'GREETING from node', thread_ts: event.ts });
});

app.command('/echo', async ({ ack, command }) => {
  await ack(`echo: ${command.text}`);
});

(async () => { await app.start(); console.log('bolt js is running'); })();
"""


@pytest.fixture(scope="session")
def hooks_venv() -> Path:
    """A virtualenv with slack-cli-hooks (and the slack_bolt it requires) from PyPI, made once per version."""
    root = npm.cache_root()
    done = root / f"py-hooks-{hashlib.sha256(PY_HOOKS.encode()).hexdigest()[:12]}"
    if (done / "bin" / "python").exists() and (done / ".complete").exists():
        return done
    root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="venv-", dir=root))
    subprocess.run([sys.executable, "-m", "venv", str(work)], check=True, timeout=120)
    proc = subprocess.run(
        [str(work / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", PY_HOOKS],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if proc.returncode != 0:
        pytest.fail(f"pip install {PY_HOOKS} failed (is pypi.org reachable?):\n{proc.stderr[-2000:]}", pytrace=False)
    # A venv cannot be moved (its scripts name their path): rebuild it in place at the final path instead.
    if not done.exists():
        subprocess.run([sys.executable, "-m", "venv", str(done)], check=True, timeout=120)
        proc = subprocess.run(
            [str(done / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", PY_HOOKS],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        (done / ".complete").write_text("")
    return done


@pytest.fixture(scope="session")
def hooks_node_modules() -> Path:
    return npm.installed(HOOKS_JS)


def _project(root: Path, hooks: str, files: dict[str, str]) -> Path:
    (root / ".slack").mkdir(parents=True)
    (root / ".slack" / "hooks.json").write_text(json.dumps({"hooks": {"get-hooks": hooks}}, indent=2))
    (root / "manifest.json").write_text(json.dumps(MANIFEST, indent=2))
    for name, text in files.items():
        (root / name).write_text(textwrap.dedent(text))
    return root


@pytest.fixture
def python_project(tmp_path: Path, hooks_venv: Path) -> Path:
    root = _project(tmp_path / "py-app", "python3 -m slack_cli_hooks.hooks.get_hooks", {"app.py": APP_PY})
    (root / ".venv").symlink_to(hooks_venv, target_is_directory=True)
    return root


@pytest.fixture
def node_project(tmp_path: Path, hooks_node_modules: Path) -> Path:
    root = _project(
        tmp_path / "js-app",
        "npx -q --no-install -p @slack/cli-hooks slack-cli-get-hooks",
        {"app.js": APP_JS, "package.json": json.dumps({"name": "js-app", "main": "app.js"})},
    )
    (root / "node_modules").symlink_to(hooks_node_modules, target_is_directory=True)
    return root


@pytest.fixture
def running(request: pytest.FixtureRequest) -> Iterator[tuple[Path, str, subprocess.Popen[str]]]:
    project: Path = request.getfixturevalue(request.param)
    env = npm.npm_env()
    for var in ("SLACKCTL_SLACK_URL", "NODE_OPTIONS", "VIRTUAL_ENV"):
        env.pop(var, None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "slackctl", "run", "--emulator"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = read_line(proc, timeout=60).strip()
        try:
            wait_for(
                lambda: socket_connections(url) >= 1 or proc.poll() is not None,
                timeout=60,
                what="the app's Socket Mode connection",
            )
        except AssertionError:
            proc.send_signal(signal.SIGINT)
            raise AssertionError(f"the app did not connect:\n{proc.communicate(timeout=20)[1][-3000:]}") from None
        assert proc.poll() is None, proc.communicate()[1][-3000:]
        yield project, url, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def _mention(url: str, text: str = "hi") -> str | None:
    bot = installed_app(url)["bot_user_id"]
    answer = control(url, "drive/post", {"channel": "#general", "text": f"<@{bot}> {text}"})
    if not answer["ok"]:
        assert answer["error"] == "not_acknowledged", answer
        return None  # not connected (the app is restarting)
    posted = answer["result"]
    try:
        replies = wait_for(
            lambda: thread_replies(url, posted["channel"], posted["ts"]), timeout=10, what="the app's reply"
        )
    except AssertionError:
        return None  # no reply (the app is restarting)
    return str(replies[0]["text"])


@pytest.mark.parametrize("running", ["python_project", "node_project"], indirect=True)
def test_get_hooks_only_project_answers_and_reloads_on_save(running: tuple[Path, str, Any]) -> None:
    project, url, proc = running
    runtime = "python" if (project / "app.py").exists() else "node"
    assert _mention(url) == f"GREETING from {runtime}"
    answer = control(url, "drive/command", {"name": "/echo", "text": "ping", "channel": "#general"})
    assert answer["ok"] and answer["result"]["response"]["text"] == "echo: ping", answer

    source = project / ("app.py" if runtime == "python" else "app.js")
    source.write_text(source.read_text().replace("GREETING", "Howdy"))
    wait_for(
        lambda: _mention(url, "again") == f"Howdy from {runtime}",
        timeout=40,
        interval=0.5,
        what="the saved file's new reply",
    )

    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=20) == 130
    err = proc.stderr.read()
    assert "the SDK's start hook" in err  # started through get-hooks, not a fallback
    assert f"{source.name} changed: restarting the app" in err


def test_sdk_hooks_answer_with_message_boundaries_and_logs_stay_apart(python_project: Path) -> None:
    """The real slack-cli-hooks prefers protocol v2; its get-manifest answer is read between the boundaries."""
    from slackctl.core import hookprotocol as hp
    from slackctl.core.project import Project

    project = Project(python_project)
    config = project.sdk_config()
    assert config.protocol == hp.PROTOCOL_V2 and config.runtime == "python"
    assert config.sdk_managed_connection and config.watch_app == hp.Watch((".",), "\\.py$")
    assert {"get-manifest", "start", "doctor", "check-update"} <= config.from_sdk
    (python_project / ".slack" / "hooks.json").write_text(
        json.dumps({"hooks": {"get-hooks": "python3 -m slack_cli_hooks.hooks.get_hooks", "doctor": "echo mine"}})
    )
    assert Project(python_project).hook("doctor") == "echo mine"  # hooks.json overrides the SDK's answer
    (python_project / "manifest.json").rename(python_project / "manifest.src")
    (python_project / "sub").mkdir()
    (python_project / "manifest.src").rename(python_project / "sub" / "manifest.json")
    source = Project(python_project).manifest_source
    assert source.data == MANIFEST and source.origin == "get-manifest hook output"
