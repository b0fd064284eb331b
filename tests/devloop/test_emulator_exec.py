"""`slackctl emulator exec`: unmodified apps (Slack's default URLs) reach the emulator through its HTTPS proxy."""

from __future__ import annotations

import http.server
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

EXEC = [sys.executable, "-m", "slackctl", "emulator", "exec"]


def _script(tmp_path: Path, body: str, name: str = "app.py") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body))
    return path


def test_slack_sdk_with_its_default_url_posts_to_the_emulator(run_slackctl, emulator, tmp_path) -> None:
    app = _script(
        tmp_path,
        """
        import os
        from slack_sdk import WebClient
        client = WebClient(token=os.environ["SLACK_BOT_TOKEN"])   # base URL: https://slack.com/api/
        assert client.base_url == "https://slack.com/api/"
        print(client.auth_test()["team_id"])
        client.chat_postMessage(channel="#general", text="hello from an unmodified app")
    """,
    )
    result = run_slackctl("emulator", "exec", "--", sys.executable, str(app))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == emulator.team["id"]
    assert [m["text"] for m in emulator.messages("general")][-1] == "hello from an unmodified app"
    (post,) = emulator.requests("chat.postMessage")
    assert post["headers"].get("Host") == "slack.com"  # it really went to slack.com, answered by the emulator


def test_bolt_app_with_a_token_only_starts_against_the_emulator(run_slackctl, emulator, tmp_path) -> None:
    app = _script(
        tmp_path,
        """
        import os
        from slack_bolt import App
        app = App(token=os.environ["SLACK_BOT_TOKEN"], signing_secret=os.environ["SLACK_SIGNING_SECRET"])
        app.client.chat_postMessage(channel="#random", text="bolt says hi")
        print(os.environ["SLACK_APP_TOKEN"][:5], len(os.environ["SLACK_SIGNING_SECRET"]) > 10)
    """,
    )
    result = run_slackctl("emulator", "exec", sys.executable, str(app))  # no "--" needed
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == ["xapp-", "True"]
    assert emulator.messages("random")[-1]["text"] == "bolt says hi"
    # Bolt's start-up auth.test went through the proxy too.
    assert all(r["headers"].get("Host") == "slack.com" for r in emulator.requests("auth.test"))


def test_the_childs_exit_status_is_passed_on(run_slackctl, tmp_path) -> None:
    app = _script(tmp_path, "import sys; sys.exit(7)\n")
    assert run_slackctl("emulator", "exec", "--", sys.executable, str(app)).exit_code == 7


def test_requests_and_httpx_trust_the_bundle_and_other_hosts_are_tunnelled(run_slackctl, emulator, tmp_path) -> None:
    """A loopback server that is not Slack is reached through a CONNECT tunnel; an unreachable host is refused
    with a message that says why (this machine is offline)."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            hits.append(self.path)
            body = b"not slack"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        app = _script(
            tmp_path,
            f"""
            import base64, http.client, os, urllib.parse, httpx
            proxy = urllib.parse.urlsplit(os.environ["HTTPS_PROXY"])
            auth = {{"Proxy-Authorization": "Basic " + base64.b64encode(
                f"{{proxy.username}}:{{proxy.password}}".encode()).decode()}}
            conn = http.client.HTTPConnection(proxy.hostname, proxy.port, timeout=10)
            conn.set_tunnel("127.0.0.1", {server.server_address[1]}, headers=auth)
            conn.request("GET", "/through-the-tunnel")
            print(conn.getresponse().read().decode())
            print(httpx.post("https://slack.com/api/api.test").json()["ok"])   # SSL_CERT_FILE + HTTPS_PROXY
            conn = http.client.HTTPConnection(proxy.hostname, proxy.port, timeout=10)
            conn.set_tunnel("unreachable.invalid", 443, headers=auth)
            try:
                conn.request("GET", "/")
            except OSError as exc:
                print("refused:", exc)
        """,
        )
        result = run_slackctl("emulator", "exec", "--", sys.executable, str(app))
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "not slack" and hits == ["/through-the-tunnel"]
    assert lines[1] == "True"
    assert lines[2].startswith("refused:") and "502" in lines[2]
    assert "unreachable.invalid:443 is not Slack and cannot be reached" in result.stderr


def test_the_refusal_body_names_the_host_and_says_offline(emulator) -> None:
    import http.client

    from slackctl.emulator.exec.intercept import SlackProxy

    with SlackProxy(emulator.url) as proxy:
        port = int(proxy.url.rsplit(":", 1)[1])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "http://unreachable.invalid/x", headers=proxy.auth_headers)
        resp = conn.getresponse()
        body = resp.read().decode()
    assert resp.status == 502
    assert body.count("\n") == 1 and "cannot reach unreachable.invalid:80" in body and "offline" in body


def test_without_an_emulator_url_it_says_how_to_get_one(run_slackctl) -> None:
    result = run_slackctl("emulator", "exec", "--", "true", env={"SLACKCTL_SLACK_URL": "https://slack.com"})
    assert result.exit_code == 2 and "slackctl emulator start" in result.stderr


def test_an_emulator_that_is_not_running_is_a_network_error(run_slackctl) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = run_slackctl("emulator", "exec", "--", "true", env={"SLACKCTL_SLACK_URL": f"http://127.0.0.1:{port}"})
    assert result.exit_code == 3 and "no slackctl emulator answers" in result.stderr


def test_a_missing_command_is_exit_2(run_slackctl) -> None:
    result = run_slackctl("emulator", "exec", "--", "no-such-program-here")
    assert result.exit_code == 2 and "command not found: no-such-program-here" in result.stderr


def test_ctrl_c_stops_the_child_and_its_children(slackctl_env, emulator, tmp_path) -> None:
    pids = tmp_path / "pids"
    app = _script(
        tmp_path,
        f"""
        import subprocess, sys, time, os
        grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        open({str(pids)!r}, "w").write(f"{{os.getpid()}} {{grandchild.pid}}")
        print("ready", flush=True)
        time.sleep(600)
    """,
    )
    proc = subprocess.Popen(
        [*EXEC, "--", sys.executable, str(app)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        child_pid, grandchild_pid = map(int, pids.read_text().split())
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 130
    finally:
        if proc.poll() is None:
            proc.kill()
    for pid in (child_pid, grandchild_pid):
        assert not _alive(pid), f"process {pid} outlived emulator exec"
    stderr = proc.stderr.read() if proc.stderr else ""
    assert "interrupted" in stderr and "slackctl/" not in stderr  # the app's own KeyboardInterrupt may show


def _alive(pid: int) -> bool:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        try:  # a zombie whose parent (init in a container) has not reaped it yet counts as gone
            state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
        except (OSError, IndexError):
            return False
        if state == "Z":
            return False
        time.sleep(0.05)
    return True


@pytest.mark.parametrize("no_proxy", ["slack.com,example.org", "*.slack.com,.slack.com"])
def test_no_proxy_loses_slack_hosts_and_keeps_others(emulator, no_proxy) -> None:
    from slackctl.emulator.exec.intercept import SlackProxy

    with SlackProxy(emulator.url) as proxy:
        env = proxy.child_environment({"NO_PROXY": no_proxy, "SSL_CERT_DIR": "/etc/ssl/certs"})
        assert env["HTTPS_PROXY"] == env["HTTP_PROXY"] == proxy.url
        assert "slack.com" not in env["NO_PROXY"].replace("example.org", "")
        assert ("example.org" in env["NO_PROXY"]) == ("example.org" in no_proxy)
        assert env["SSL_CERT_FILE"] == env["REQUESTS_CA_BUNDLE"] == env["NODE_EXTRA_CA_CERTS"] == str(proxy.bundle)
        assert "SSL_CERT_DIR" not in env
        bundle = Path(env["SSL_CERT_FILE"]).read_text()
        assert bundle.count("BEGIN CERTIFICATE") > 50  # our CA plus certifi's roots
    assert not Path(env["SSL_CERT_FILE"]).exists()  # removed when the proxy stops


def test_under_exec_the_urls_in_answers_take_slacks_shapes(run_slackctl, emulator, tmp_path) -> None:
    """auth.test's url, permalinks and the upload URL are Slack's (https://DOMAIN.slack.com/…,
    https://files.slack.com/upload/v1/…), and the upload through that URL reaches the emulator via the proxy."""
    app = _script(
        tmp_path,
        """
        import json, os, urllib.request
        from slack_sdk import WebClient
        client = WebClient(token=os.environ["SLACK_BOT_TOKEN"])
        url = client.auth_test()["url"]
        ts = client.chat_postMessage(channel="#general", text="link me")["ts"]
        permalink = client.chat_getPermalink(channel="C0EMU00001", message_ts=ts)["permalink"]
        got = client.files_getUploadURLExternal(filename="a.txt", length=5)
        urllib.request.urlopen(urllib.request.Request(got["upload_url"], data=b"hello", method="POST")).read()
        client.files_completeUploadExternal(files=[{"id": got["file_id"]}], channel_id="C0EMU00001")
        print(json.dumps({"url": url, "permalink": permalink, "upload_url": got["upload_url"], "ts": ts}))
    """,
    )
    result = run_slackctl("emulator", "exec", "--", sys.executable, str(app))
    assert result.exit_code == 0, result.stderr
    import json

    out = json.loads(result.stdout)
    domain = emulator.team["domain"]
    assert out["url"] == f"https://{domain}.slack.com/"
    assert out["permalink"] == f"https://{domain}.slack.com/archives/C0EMU00001/p{out['ts'].replace('.', '')}"
    assert out["upload_url"].startswith("https://files.slack.com/upload/v1/F")
    (upload,) = emulator.files()
    assert upload["size"] == 5 and upload["completed"]


def test_without_exec_the_urls_are_the_emulators(emulator) -> None:
    from slack_sdk import WebClient

    client = WebClient(token=emulator.mint_token("bot")["token"], base_url=emulator.url + "/api/")
    assert client.auth_test()["url"] == emulator.url + "/"
    assert client.files_getUploadURLExternal(filename="a.txt", length=1)["upload_url"].startswith(
        emulator.url + "/_upload/F"
    )


# Real-looking credentials a developer's shell may hold (issue 24 item 9): none may reach the app.
REAL = {
    "SLACK_TOKEN": "xoxb-1111111111-real-shell-token",
    "SLACK_USER_TOKEN": "xoxp-2222222222-real-user-token",
    "SLACK_BOT_TOKEN": "xoxb-3333333333-real-bot-token",
    "SLACK_APP_TOKEN": "xapp-1-A4444-real-app-token",
    "SLACK_CONFIG_TOKEN": "xoxe.xoxp-1-real-config-token",
    "SLACK_CONFIG_REFRESH_TOKEN": "xoxe-1-real-refresh",
    "SLACK_CLIENT_ID": "111.222real",
    "SLACK_CLIENT_SECRET": "realclientsecret0123456789",
    "SLACK_SIGNING_SECRET": "realsigningsecret0123456789",
    "SLACK_BOT_REFRESH_TOKEN": "xoxe-1-real-bot-refresh",
    "SLACK_STATE_SECRET": "realstatesecret0123",
    "SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T/B/real",
}


def test_no_real_slack_credential_reaches_the_app_and_a_slackctl_inside_uses_the_emulators(
    run_slackctl, emulator, tmp_path
) -> None:
    from tests.conftest import register_secret

    register_secret(*REAL.values())
    import hashlib

    digests = sorted(hashlib.sha256(v.encode()).hexdigest() for v in REAL.values())  # the script holds no secret
    app = _script(
        tmp_path,
        f"""
        import hashlib, json, os, subprocess, sys
        seen = {{k: os.environ.get(k) for k in {sorted(REAL)!r}}}
        inner = subprocess.run([sys.executable, "-m", "slackctl", "api", "call", "auth.test", "--jq", ".team_id"],
                               capture_output=True, text=True)
        real = [k for k, v in seen.items() if v and hashlib.sha256(v.encode()).hexdigest() in {digests!r}]
        print(json.dumps({{"real": real, "set": sorted(k for k, v in seen.items() if v),
                          "bot": seen["SLACK_BOT_TOKEN"] and seen["SLACK_BOT_TOKEN"][:5],
                          "inner": inner.stdout.strip(), "inner_err": inner.stderr[-300:]}}))
    """,
    )
    result = run_slackctl("emulator", "exec", "--", sys.executable, str(app), env=REAL)
    assert result.exit_code == 0, result.stderr
    import json

    seen = json.loads(result.stdout)
    assert seen["real"] == []
    # Replaced by the emulator's app's own; the rest removed (a client id and secret would switch Bolt to OAuth).
    assert seen["set"] == ["SLACK_APP_TOKEN", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"]
    assert seen["bot"] == "xoxb-"
    assert seen["inner"] == emulator.team["id"], seen["inner_err"]
