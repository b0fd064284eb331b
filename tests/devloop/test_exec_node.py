"""Node apps under `slackctl emulator exec`: an unmodified Bolt JS Socket Mode app (Slack's default URLs) answers a
message and a slash command through the emulator, by way of the preload (slackctl/emulator/exec/node_proxy.js) that
sends Node's TLS connections to Slack's hosts through the emulator's proxy and leaves every other host alone.

Bolt JS comes from the npm registry, installed once (`npm ci` of tests/data/bolt-js/package-lock.json) into a cache
outside the test's temp dirs, so later runs start at once. No `node`/`npm` is a failure saying how to get them.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from slackctl.emulator.exec import proxycerts
from slackctl.emulator.exec.intercept import NODE_PRELOAD, NODE_PROXY_ENV, ProxyEvent, SlackProxy, node_options
from tests.conftest import register_secret, require
from tests.devloop import npm
from tests.devloop.helpers import socket_connections, wait_for

REPO = Path(__file__).resolve().parents[2]
BOLT_JS = REPO / "tests" / "data" / "bolt-js"

MANIFEST: dict[str, Any] = {
    "display_information": {"name": "Unmodified JS"},
    "features": {
        "bot_user": {"display_name": "unmodified-js"},
        "slash_commands": [{"command": "/echo", "description": "Echo"}],
    },
    "oauth_config": {"scopes": {"bot": ["chat:write", "channels:history", "commands"]}},
    "settings": {"socket_mode_enabled": True, "event_subscriptions": {"bot_events": ["message.channels"]}},
}

# What a developer writes from Bolt JS's Socket Mode sample: tokens from the environment, Slack's default URLs.
APP_JS = """
const { App } = require('@slack/bolt');

const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  appToken: process.env.SLACK_APP_TOKEN,
  socketMode: true,
});

app.message('hello', async ({ message, say }) => {
  await say(`hi <@${message.user}>`);
});

app.command('/echo', async ({ ack, respond, command }) => {
  await ack();
  await respond(`echo: ${command.text}`);
});

(async () => {
  await app.start();
  console.log('Bolt app is running');
})();
"""


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """node_modules with @slack/bolt at the locked versions, installed once per lock file."""
    return npm.installed(BOLT_JS)


def _header(request: dict[str, Any], name: str) -> str | None:
    return next((v for k, v in request["headers"].items() if k.lower() == name), None)


def _node(script: Path, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["node", str(script)], env=env, capture_output=True, text=True, timeout=timeout)


# ---- the unmodified Bolt JS app --------------------------------------------------------------------------------
@pytest.fixture
def slack_manifest() -> dict[str, Any]:
    return MANIFEST


@pytest.fixture
def running(slack: Any, slack_app: dict[str, Any], node_modules: Path, tmp_path: Path) -> Iterator[Any]:
    register_secret(slack_app["bot_token"], slack_app["app_token"], slack_app["signing_secret"])
    assert "slackApiUrl" not in APP_JS and "127.0.0.1" not in APP_JS
    (tmp_path / "app.js").write_text(textwrap.dedent(APP_JS))
    (tmp_path / "node_modules").symlink_to(node_modules, target_is_directory=True)
    env = dict(os.environ, SLACKCTL_SLACK_URL=slack.url)
    env.pop("NODE_OPTIONS", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "slackctl", "emulator", "exec", "--", "node", "app.js"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(
            lambda: socket_connections(slack.url) == 1 or proc.poll() is not None,
            timeout=45,
            what="the Bolt JS app to connect",
        )
    except AssertionError:
        out, err = _interrupt(proc)
        raise AssertionError(f"the Bolt JS app did not connect; its output:\n{out}{err[-3000:]}") from None
    if proc.poll() is not None:
        out, err = proc.communicate()
        raise AssertionError(f"emulator exec ended with {proc.returncode}:\n{out}{err[-3000:]}")
    yield slack
    # Ctrl-C: exec stops the app and exits 130, as it does for a Python app.
    out, err = _interrupt(proc)
    assert proc.returncode == 130, err
    assert "Bolt app is running" in out


def _interrupt(proc: subprocess.Popen[str]) -> tuple[str, str]:
    """SIGINT to exec (which stops the app's process group), then whatever the two printed."""
    proc.send_signal(signal.SIGINT)
    try:
        return proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()  # exec is stuck: its app (another process group) is left to the test's failure report
        return proc.communicate()


def test_a_message_gets_a_reply_from_the_bolt_js_app(running: Any) -> None:
    running.user("ada").post("#general", "hello there")
    reply = running.wait_for_message("#general", lambda m: m.get("text") == "hi <@U0EMU00001>")
    assert reply["bot_id"]
    (post,) = running.emu.requests("chat.postMessage")
    assert post["headers"].get("Host") == "slack.com"  # Slack's default URL, answered by the emulator
    assert "@slack:web-api/" in post["headers"].get("User-Agent", "")  # and it was the Node SDK that sent it
    opened = running.emu.requests("apps.connections.open")
    assert opened and all(r["headers"].get("Host") == "slack.com" for r in opened)


def test_a_slash_command_is_answered_with_respond_from_the_bolt_js_app(running: Any) -> None:
    result = running.user("ada").command("/echo", "ping", channel="#random")
    assert result["ack"]["ok"]
    shown = running.wait_for_message("#random", lambda m: m.get("text") == "echo: ping")
    assert shown["ephemeral"] is True  # respond() reached the response_url


# ---- which connections the preload sends through the proxy -----------------------------------------------------
PROBE_JS = """
const fs = require('fs');
const https = require('https');
const tls = require('tls');
const axios = require('axios');
const WebSocket = require('ws');
const { WebClient } = require('@slack/web-api');
const [certFile, keyFile, caFile] = process.argv.slice(2);
const seen = {};

function get(url) {
  return new Promise((resolve, reject) => https.get(url, (res) => {
    let body = '';
    res.on('data', (d) => { body += d; });
    res.on('end', () => resolve(JSON.parse(body)));
  }).on('error', reject));
}

async function main() {
  seen.webClient = (await new WebClient(process.env.SLACK_BOT_TOKEN).auth.test()).ok;  // axios, proxy: false
  seen.globalAgent = (await get('https://slack.com/api/api.test')).ok;
  seen.axios = (await axios.create({ proxy: false }).post('https://slack.com/api/api.test')).data.ok;
  seen.fetch = (await (await fetch('https://slack.com/api/api.test', { method: 'POST' })).json()).ok;
  // ws with a wss:// URL on a Slack host: the TLS handshake succeeds (our CA), then the emulator says 404.
  seen.ws = await new Promise((resolve) => {
    const ws = new WebSocket('wss://wss-primary.slack.com/link/?ticket=probe');
    ws.on('error', (err) => resolve(err.message));
    ws.on('open', () => { ws.close(); resolve('open'); });
  });
  // Another TLS host is connected to directly: a socket of its own to the server's port, no tunnel.
  const server = tls.createServer({ cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) },
                                  (s) => s.end('direct'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;
  seen.other = await new Promise((resolve, reject) => {
    const s = tls.connect({ host: 'localhost', port, ca: fs.readFileSync(caFile) }, () => {
      let data = '';
      s.on('data', (d) => { data += d; });
      s.on('end', () => resolve({ data, remotePort: s.remotePort === port }));
    });
    s.on('error', reject);
  });
  server.close();
  console.log(JSON.stringify(seen));
}
main().catch((err) => { console.error(err); process.exit(1); });
"""


def test_the_preload_sends_slacks_hosts_through_the_proxy_and_nothing_else(
    emulator: Any, bot_token: str, node_modules: Path, tmp_path: Path
) -> None:
    (tmp_path / "probe.js").write_text(textwrap.dedent(PROBE_JS))
    (tmp_path / "node_modules").symlink_to(node_modules, target_is_directory=True)
    ca, leaf, key_pem = proxycerts.make_certificates(tmp_path)  # a certificate for localhost, for the non-Slack server
    key = tmp_path / "server-key.pem"
    key.write_bytes(key_pem)
    events: list[ProxyEvent] = []
    with SlackProxy(emulator.url, on_event=events.append) as proxy:
        env = proxy.child_environment({k: v for k, v in os.environ.items() if k != "NODE_OPTIONS"})
        env["SLACK_BOT_TOKEN"] = bot_token
        proc = subprocess.run(
            ["node", "probe.js", str(leaf), str(key), str(ca)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout)
    assert seen == {
        "webClient": True,
        "globalAgent": True,
        "axios": True,
        "fetch": True,
        "ws": "Unexpected server response: 404",
        "other": {"data": "direct", "remotePort": True},
    }
    hosts = {(e.kind, e.host, e.port) for e in events}
    assert hosts == {("emulator", "slack.com", 443), ("emulator", "wss-primary.slack.com", 443)}
    # https.get, axios and fetch (which sends `host` in lower case): each went to slack.com.
    assert [_header(r, "host") for r in emulator.requests("api.test")] == ["slack.com"] * 3


ESM_JS = """
import { connect } from 'node:tls';
import { WebClient } from '@slack/web-api';

const named = await new Promise((resolve, reject) => {
  const s = connect({ host: 'slack.com', port: 443 }, () => { resolve(s.authorized); s.end(); });
  s.on('error', reject);
});
console.log(JSON.stringify([named, (await new WebClient(process.env.SLACK_BOT_TOKEN).auth.test()).ok]));
"""


def test_an_es_module_app_goes_through_the_proxy_too(
    emulator: Any, bot_token: str, node_modules: Path, tmp_path: Path
) -> None:
    (tmp_path / "app.mjs").write_text(textwrap.dedent(ESM_JS))
    (tmp_path / "node_modules").symlink_to(node_modules, target_is_directory=True)
    events: list[ProxyEvent] = []
    with SlackProxy(emulator.url, on_event=events.append) as proxy:
        env = dict(proxy.child_environment(dict(os.environ)), SLACK_BOT_TOKEN=bot_token)
        proc = _node(tmp_path / "app.mjs", env)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == [True, True]  # `import { connect }` too, and verified against our CA
    assert [(e.kind, e.host) for e in events] == [("emulator", "slack.com")] * 2


def test_a_proxy_that_refuses_or_is_gone_is_an_error_naming_it(tmp_path: Path) -> None:
    """Never a silent fall-back to the real slack.com: the app's request fails, saying what the proxy answered."""
    require(shutil.which("node"), "node (Node.js, to run Bolt JS apps)")
    script = tmp_path / "connect.js"
    script.write_text(
        "const s = require('tls').connect(443, 'api.slack.com', () => process.exit(0));\n"
        "s.on('error', (e) => { console.log(e.code || e.message); process.exit(3); });\n"
    )
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def refuse() -> None:
        conn, _ = listener.accept()
        with conn:
            head = b""
            while b"\r\n\r\n" not in head:
                head += conn.recv(4096)
            seen.append(head.split(b"\r\n")[0])
            conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 9\r\n\r\nno thanks")

    seen: list[bytes] = []
    thread = threading.Thread(target=refuse, daemon=True)
    thread.start()
    env = dict(os.environ, NODE_OPTIONS=node_options(""), **{NODE_PROXY_ENV: f"http://127.0.0.1:{port}"})
    refused = _node(script, env, timeout=30)
    thread.join(timeout=10)
    listener.close()  # now nothing listens there: the proxy is gone
    gone = _node(script, env, timeout=30)
    assert seen == [b"CONNECT api.slack.com:443 HTTP/1.1"]
    assert refused.returncode == 3
    assert refused.stdout.strip() == (
        "slackctl emulator proxy refused CONNECT api.slack.com:443: HTTP/1.1 403 Forbidden (no thanks)"
    )
    assert (gone.returncode, gone.stdout.strip()) == (3, "ECONNREFUSED")


def test_without_the_preload_node_does_not_reach_the_emulator(emulator: Any, tmp_path: Path) -> None:
    """What the preload is for: Node 20 ignores HTTPS_PROXY, so slack.com is looked up and connected to directly."""
    script = tmp_path / "get.js"
    script.write_text(
        "require('https').get('https://slack.com/api/api.test', () => process.exit(0))"
        ".on('error', (e) => { console.log(e.code); process.exit(3); });\n"
    )
    with SlackProxy(emulator.url) as proxy:
        env = proxy.child_environment(dict(os.environ))
        env["NODE_OPTIONS"] = ""
        without = _node(script, env)
        env["NODE_OPTIONS"] = node_options("")
        with_preload = _node(script, env)
    assert (without.returncode, with_preload.returncode) == (3, 0), (without, with_preload)
    assert len(emulator.requests("api.test")) == 1


def test_the_preload_is_required_after_the_users_node_options_and_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require(shutil.which("node"), "node (Node.js, to run Bolt JS apps)")
    spaced = tmp_path / 'a dir with "quotes" and spaces' / "node_proxy.js"
    spaced.parent.mkdir()
    shutil.copy(NODE_PRELOAD, spaced)
    monkeypatch.setattr("slackctl.emulator.exec.intercept.NODE_PRELOAD", spaced)
    options = node_options("--max-http-header-size=20000")
    assert node_options(options) == options  # exec under exec: required once
    script = tmp_path / "show.js"
    script.write_text("console.log(JSON.stringify([require('http').maxHeaderSize, Object.keys(require.cache)]))\n")
    proc = _node(script, dict(os.environ, NODE_OPTIONS=options, **{NODE_PROXY_ENV: "http://127.0.0.1:9"}))
    assert proc.returncode == 0, proc.stderr
    header_size, loaded = json.loads(proc.stdout)
    assert header_size == 20000
    assert str(spaced) in loaded


def test_the_preload_ships_in_the_wheel(tmp_path: Path) -> None:
    require(shutil.which("hatchling", path=str(Path(sys.executable).parent)), "hatchling (the build backend)")
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (REPO / name).exists():
            shutil.copy(REPO / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "slackctl", src / "slackctl", ignore=ignore)
    shutil.copytree(REPO / "templates", src / "templates", ignore=ignore)
    subprocess.run(
        [str(Path(sys.executable).parent / "hatchling"), "build", "-t", "wheel", "-d", str(tmp_path / "dist")],
        cwd=src,
        check=True,
        capture_output=True,
        timeout=120,
    )
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    name = NODE_PRELOAD.relative_to(REPO).as_posix()
    with zipfile.ZipFile(wheel) as zf:
        assert zf.read(name) == NODE_PRELOAD.read_bytes()
