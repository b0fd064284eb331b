"""`slackctl auth login` end to end: a real slackctl process, the emulator's authorize pages, a test playing the
browser over real HTTP(S), the real keyring. Helpers here are reused by tests/browser and the other oauth tests."""

from __future__ import annotations

import os
import queue
import re
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import Result, assert_no_secrets, register_secret

URL_RE = re.compile(r"(https?://\S+/(?:oauth/v2|openid/connect)/authorize\?\S+)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LoginProcess:
    """`python -m slackctl auth login ...` running in the background; stderr is read line by line as it comes."""

    def __init__(
        self, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, stdin_text: str | None = None
    ) -> None:
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "slackctl", "auth", "login", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=full_env,
            cwd=cwd,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.stderr_lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        if stdin_text is not None:
            self.send(stdin_text, close=True)

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr_lines.append(line)
            self.lines.put(line)
        self.lines.put(None)

    def send(self, text: str, close: bool = True) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text)
        self.proc.stdin.flush()
        if close:
            self.proc.stdin.close()

    def wait_for(self, pattern: str | re.Pattern[str], timeout: float = 30) -> re.Match[str]:
        """The first stderr line matching `pattern` (waits on the process's output, not on a clock)."""
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no line matching {rx.pattern!r} in:\n{''.join(self.stderr_lines)}")
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError(f"slackctl exited before {rx.pattern!r}:\n{''.join(self.stderr_lines)}")
            m = rx.search(line)
            if m:
                return m

    def authorize_url(self) -> str:
        return self.wait_for(URL_RE).group(1)

    def finish(self, timeout: float = 30) -> Result:
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        assert self.proc.stdout is not None
        stdout = self.proc.stdout.read()  # the process has exited: this cannot block
        self._reader.join(10)
        result = Result(self.proc.returncode, stdout, "".join(self.stderr_lines))
        assert_no_secrets(result.output, "slackctl auth login")
        assert "Traceback" not in result.stderr, result.stderr
        return result

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None and not stream.closed:
                stream.close()


@pytest.fixture
def login(slackctl_env: dict[str, str], tmp_path: Path):
    started: list[LoginProcess] = []
    workdir = tmp_path / "work"
    workdir.mkdir()

    def _start(
        *args: str, env: dict[str, str] | None = None, stdin_text: str | None = None, cwd: Path | None = None
    ) -> LoginProcess:
        p = LoginProcess(*map(str, args), env=env, cwd=cwd or workdir, stdin_text=stdin_text)
        started.append(p)
        return p

    yield _start
    for p in started:
        p.kill()


def browse(url: str, *, verify: Any = True) -> httpx.Response:
    """Play the browser: follow the authorize page's redirect to slackctl's loopback listener."""
    return httpx.get(url, follow_redirects=True, timeout=15, verify=verify)


def pkce_app(emulator: Any, port: int, **kw: Any) -> dict[str, Any]:
    app = emulator.create_app(pkce_enabled=True, redirect_urls=[f"http://localhost:{port}/callback"], **kw)
    register_secret(app["client_secret"])
    return app


def confidential_app(emulator: Any, port: int, **kw: Any) -> dict[str, Any]:
    app = emulator.create_app(pkce_enabled=False, redirect_urls=[f"https://localhost:{port}/callback"], **kw)
    register_secret(app["client_secret"])
    return app


def stored(cli: Any, profile: str, kind: str) -> str:
    r = cli("auth", "token", "--kind", kind, "--profile", profile, allow_secrets=True)
    assert r.exit_code == 0, r.stderr
    register_secret(r.stdout.strip())
    return r.stdout.strip()


def config() -> Any:
    from slackctl.config import load_config

    return load_config()


def profile_file_text() -> str:
    return (Path(os.environ["SLACKCTL_CONFIG_DIR"]) / "config.toml").read_text()


def track_tokens(emulator: Any) -> None:
    """Register every token the emulator minted during a login, so the output scans look for them."""
    with emulator.world.lock:
        register_secret(*emulator.world.tokens.keys(), *emulator.world.refresh_tokens.keys())


# -- the PKCE flow ---------------------------------------------------------------------------------
def test_pkce_login_stores_user_token_and_sends_no_secret(emulator, login, cli):
    port = free_port()
    app = pkce_app(emulator, port)
    p = login("--client-id", app["client_id"], "--port", port, "--no-browser", "--user-scopes", "chat:write,users:read")
    url = p.authorize_url()
    assert "code_challenge=" in url and "code_challenge_method=S256" in url and app["client_secret"] not in url
    page = browse(url)
    assert page.status_code == 200 and "You may close this window" in page.text
    track_tokens(emulator)
    result = p.finish()
    assert result.exit_code == 0, result.stderr
    assert "Logged in to" in result.stderr and "chat:write" in result.stderr
    assert result.stdout == ""
    # The exchange used the verifier, named the client in a field and sent no secret at all.
    [exchange] = emulator.requests("oauth.v2.access")
    assert "code_verifier" in exchange["body"] and exchange["body"].get("client_id") == app["client_id"]
    assert "client_secret" not in exchange["body"]
    assert (
        "basic"
        not in str(exchange["headers"].get("Authorization", exchange["headers"].get("authorization", ""))).lower()
    )
    profile = config().profiles["emulated-workspace"]  # named after the workspace
    assert profile.kinds == ["user"] and profile.user_id == "U0EMU00001" and profile.team_id
    assert profile.extra["client_id"] == app["client_id"] and profile.extra["pkce"] is True
    assert profile.scopes["user"] == ["chat:write", "users:read"]
    assert stored(cli, "emulated-workspace", "user").startswith("xoxp-")
    assert_no_secrets(profile_file_text(), "config.toml")
    # The loopback port is closed once the login is over.
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/callback", timeout=2)


def test_pkce_refuses_bot_scopes_up_front(emulator, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = cli(
        "auth",
        "login",
        "--client-id",
        emulator.default_app["client_id"],
        "--pkce",
        "--scopes",
        "chat:write",
        "--no-browser",
    )
    assert r.exit_code == 2
    assert "bot scopes cannot be requested with PKCE" in r.stderr and "--no-pkce" in r.stderr
    assert emulator.requests("oauth.v2.access") == []


def auth_header(entry: dict[str, Any]) -> str:
    return next((v for k, v in entry["headers"].items() if k.lower() == "authorization"), "")


# -- the confidential flow -------------------------------------------------------------------------
def test_confidential_login_uses_basic_auth_https_loopback_and_stores_rotation_secrets(emulator, login, cli):
    port = free_port()
    app = confidential_app(emulator, port, token_rotation=True)
    p = login(
        "--client-id",
        app["client_id"],
        "--no-pkce",
        "--port",
        port,
        "--no-browser",
        "-v",
        "--scopes",
        "chat:write,channels:read",
        "--user-scopes",
        "users:read,search:read",
        env={"SLACK_CLIENT_SECRET": app["client_secret"]},
    )
    url = p.authorize_url()
    assert f"redirect_uri=https%3A%2F%2Flocalhost%3A{port}%2Fcallback" in url and "code_challenge" not in url
    cert = Path(os.environ["SLACKCTL_CONFIG_DIR"]) / "loopback-cert.pem"
    key = cert.with_name("loopback-key.pem")
    assert cert.is_file() and (key.stat().st_mode & 0o777) == 0o600
    with pytest.raises(httpx.ConnectError):  # an untrusted certificate, as the browser's warning says
        browse(url)
    page = browse(url, verify=ssl.create_default_context(cafile=str(cert)))
    assert page.status_code == 200 and "You may close this window" in page.text
    track_tokens(emulator)
    result = p.finish()
    assert result.exit_code == 0, result.stderr
    assert "self-signed" in result.stderr and "SHA-256 fingerprint" in result.stderr
    assert "bot user:" in result.stderr and "rotating" in result.stderr
    # --verbose shows the exchange with the Basic credentials, code and tokens redacted (scanned above too).
    assert "> POST " in result.stderr and "authorization: Basic [REDACTED]" in result.stderr
    assert "code=[REDACTED]" in result.stderr
    [exchange] = emulator.requests("oauth.v2.access")
    assert auth_header(exchange).startswith("Basic ")
    assert "client_secret" not in exchange["body"] and "code_verifier" not in exchange["body"]
    profile = config().profiles["emulated-workspace"]
    assert sorted(profile.kinds) == ["bot", "bot-refresh", "client-secret", "user", "user-refresh"]
    assert set(profile.expires) == {"bot", "user"} and all(t > time.time() + 3600 for t in profile.expires.values())
    assert profile.extra["pkce"] is False and profile.bot_user_id == app["bot_user_id"]
    assert stored(cli, "emulated-workspace", "bot").startswith("xoxe.xoxb-")
    assert_no_secrets(profile_file_text(), "config.toml")
    assert app["client_secret"] not in profile_file_text()


def test_second_login_reuses_the_certificate_without_the_first_time_warning(emulator, login):
    port = free_port()
    app = confidential_app(emulator, port)
    env = {"SLACK_CLIENT_SECRET": app["client_secret"]}
    for first in (True, False):
        p = login(
            "--client-id",
            app["client_id"],
            "--no-pkce",
            "--port",
            port,
            "--no-browser",
            "--scopes",
            "chat:write",
            env=env,
        )
        url = p.authorize_url()
        cert = Path(os.environ["SLACKCTL_CONFIG_DIR"]) / "loopback-cert.pem"
        browse(url, verify=ssl.create_default_context(cafile=str(cert)))
        track_tokens(emulator)
        result = p.finish()
        assert result.exit_code == 0, result.stderr
        assert ("created a self-signed certificate" in result.stderr) is first


@pytest.mark.parametrize(("scopes", "shown"), [("chat:write,users:read", "as ada;"), ("chat:write", "as U0EMU00001;")])
def test_a_bot_only_login_names_the_installing_user_as_pkce_does_when_the_bot_may_read_users(
    emulator, login, scopes, shown
):
    # issue 19 item 13: a confidential login said "as U0EMU00001" where PKCE says "as ada". With users:read the
    # bot looks its installer up; without it the id is shown and the login still succeeds.
    port = free_port()
    app = confidential_app(emulator, port)
    p = login(
        "--client-id",
        app["client_id"],
        "--no-pkce",
        "--port",
        port,
        "--no-browser",
        "--scopes",
        scopes,
        env={"SLACK_CLIENT_SECRET": app["client_secret"]},
    )
    url = p.authorize_url()
    cert = Path(os.environ["SLACKCTL_CONFIG_DIR"]) / "loopback-cert.pem"
    browse(url, verify=ssl.create_default_context(cafile=str(cert)))
    track_tokens(emulator)
    result = p.finish()
    assert result.exit_code == 0, result.stderr
    assert shown in result.stderr


# -- what the listener refuses, and how it ends ----------------------------------------------------
def _query(url: str) -> dict[str, str]:
    from urllib.parse import parse_qsl, urlsplit

    return dict(parse_qsl(urlsplit(url).query))


def test_wrong_state_is_ignored_and_the_real_callback_still_logs_in(emulator, login):
    port = free_port()
    app = pkce_app(emulator, port)
    p = login("--client-id", app["client_id"], "--port", port, "--no-browser")
    url = p.authorize_url()
    forged = httpx.get(f"http://localhost:{port}/callback?code=forged&state=not-the-state", timeout=5)
    assert forged.status_code == 400 and "forged" not in forged.text
    assert httpx.get(f"http://localhost:{port}/favicon.ico", timeout=5).status_code == 404
    assert browse(url).status_code == 200
    track_tokens(emulator)
    assert p.finish().exit_code == 0
    [exchange] = emulator.requests("oauth.v2.access")  # the forged code was never exchanged
    assert exchange["body"]["code"] != "forged"


def test_access_denied_is_exit_4_with_a_clear_message(emulator, login, cli):
    port = free_port()
    app = pkce_app(emulator, port)
    p = login("--client-id", app["client_id"], "--port", port, "--no-browser")
    state = _query(p.authorize_url())["state"]
    page = httpx.get(f"http://localhost:{port}/callback?error=access_denied&state={state}", timeout=5)
    assert page.status_code == 200
    result = p.finish()
    assert result.exit_code == 4
    assert "access was denied in the browser" in result.stderr and "choose Allow" in result.stderr
    assert emulator.requests("oauth.v2.access") == [] and config().profiles == {}


def test_timeout_is_exit_4_and_frees_the_port(emulator, login):
    port = free_port()
    app = pkce_app(emulator, port)
    p = login("--client-id", app["client_id"], "--port", port, "--no-browser", "--timeout", "0.5")
    result = p.finish()
    assert result.exit_code == 4 and "no answer from the browser within 0.5 seconds" in result.stderr
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/callback", timeout=2)


def test_port_in_use_is_exit_2_naming_the_port(emulator, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = cli(
            "auth", "login", "--client-id", emulator.default_app["client_id"], "--pkce", "--port", port, "--no-browser"
        )
    assert r.exit_code == 2 and f"port {port} is already in use" in r.stderr and "--port" in r.stderr


def test_pasted_redirect_on_stdin_logs_in_without_a_listener(emulator, login):
    port = free_port()
    app = pkce_app(emulator, port)
    p = login("--client-id", app["client_id"], "--port", port, "--paste")
    url = p.authorize_url()
    p.wait_for("stdin")
    # The remote browser ends on a localhost address nobody listens on; the user copies it from the address bar.
    hop = httpx.get(url, follow_redirects=False, timeout=10)
    landed = hop.headers["location"]
    assert landed.startswith(f"http://localhost:{port}/callback?code=")
    with pytest.raises(httpx.ConnectError):
        httpx.get(landed, timeout=2)
    p.send(landed + "\n")
    track_tokens(emulator)
    result = p.finish()
    assert result.exit_code == 0, result.stderr


def test_pasted_address_from_another_attempt_is_refused(emulator, login):
    port = free_port()
    app = pkce_app(emulator, port)
    p = login("--client-id", app["client_id"], "--port", port, "--paste")
    p.authorize_url()
    p.send(f"http://localhost:{port}/callback?code=123.456.abc&state=someone-elses\n")
    result = p.finish()
    assert result.exit_code == 4 and "state does not match" in result.stderr


def test_non_interactive_without_client_id_is_exit_2_listing_flag_and_env(emulator, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # Not the emulator: a loopback emulator would offer its default app (tests/cli/commands/auth/test_login_order.py).
    r = cli("auth", "login", "--no-browser", env={"SLACKCTL_SLACK_URL": "https://slack.invalid"})
    assert r.exit_code == 2 and "--client-id" in r.stderr and "SLACK_CLIENT_ID" in r.stderr


def test_non_interactive_confidential_without_secret_is_exit_2(emulator, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = cli("auth", "login", "--client-id", "123.456", "--no-pkce", "--scopes", "chat:write", "--no-browser")
    assert r.exit_code == 2 and "SLACK_CLIENT_SECRET" in r.stderr and "never on the command line" in r.stderr


def test_client_secret_option_does_not_exist(emulator, cli):
    r = cli("auth", "login", "--client-secret", "abc")
    assert r.exit_code == 2 and "No such option" in r.stderr


def test_project_manifest_decides_flow_and_scopes(emulator, login, tmp_path):
    import json

    project = tmp_path / "proj"
    (project / "src").mkdir(parents=True)
    (project / "manifest.json").write_text(
        json.dumps(
            {
                "display_information": {"name": "x"},
                "oauth_config": {
                    "pkce_enabled": False,
                    "scopes": {"bot": ["chat:write", "commands"], "user": ["search:read"]},
                },
            }
        )
    )
    p = login(
        "--client-id",
        "123.456",
        "--no-browser",
        "--port",
        free_port(),
        cwd=project / "src",
        env={"SLACK_CLIENT_SECRET": "s3cret-value-for-the-test"},
    )
    q = _query(p.authorize_url())
    assert q["scope"] == "chat:write,commands" and q["user_scope"] == "search:read"
    assert q["redirect_uri"].startswith("https://localhost:") and "code_challenge" not in q
    p.kill()


def test_project_manifest_is_found_as_deploy_finds_it(emulator, login, tmp_path):
    """auth login reads the one project finder: manifest.yaml counts, not only JSON (a get-manifest hook is never
    run by auth login: tests/reliability/test_foreign_project.py)."""
    project = tmp_path / "proj"
    (project / "src").mkdir(parents=True)
    (project / "manifest.yaml").write_text(
        "display_information:\n  name: x\noauth_config:\n  pkce_enabled: true\n"
        "  scopes:\n    user: [search:read, users:read]\n"
    )
    p = login("--client-id", "123.456", "--no-browser", "--port", free_port(), cwd=project / "src")
    q = _query(p.authorize_url())
    assert q["user_scope"] == "search:read,users:read" and "code_challenge" in q
    p.kill()


def test_browser_env_is_used_to_open_the_authorize_url(emulator, login, tmp_path):
    port = free_port()
    app = pkce_app(emulator, port)
    seen = tmp_path / "browser-saw.txt"
    wrapper = tmp_path / "fake-browser"
    wrapper.write_text(f"#!/bin/sh\nprintf '%s' \"$1\" > {seen}\n")
    wrapper.chmod(0o755)
    p = login("--client-id", app["client_id"], "--port", port, env={"BROWSER": str(wrapper)})
    url = p.authorize_url()
    p.wait_for("Waiting for the browser")
    assert seen.read_text() == url
    browse(url)
    track_tokens(emulator)
    assert p.finish().exit_code == 0


# -- Sign in with Slack ----------------------------------------------------------------------------
def test_openid_login_validates_the_id_token_and_whoami_shows_the_identity(emulator, login, cli):
    port = free_port()
    app = pkce_app(emulator, port)
    p = login("--client-id", app["client_id"], "--port", port, "--no-browser", "--openid")
    url = p.authorize_url()
    q = _query(url)
    assert "/openid/connect/authorize?" in url and q["scope"] == "openid,email,profile" and q["nonce"]
    browse(url)
    track_tokens(emulator)
    result = p.finish()
    assert result.exit_code == 0, result.stderr
    assert "identity: Ada Lovelace" in result.stderr
    assert [e["method"] for e in emulator.requests() if e["method"].startswith("/openid/connect/keys")]
    profile = config().profiles["emulated"]
    assert profile.extra["identity"]["sub"] == "U0EMU00001" and "@" in profile.extra["identity"]["email"]
    who = cli("auth", "whoami", "--json")
    assert who.exit_code == 0, who.stderr
    import json

    data = json.loads(who.stdout)
    assert data["sub"] == "U0EMU00001" and data["email"] == profile.extra["identity"]["email"]


def test_openid_refuses_other_scopes(emulator, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = cli("auth", "login", "--client-id", "1.2", "--openid", "--user-scopes", "chat:write", "--no-browser")
    assert r.exit_code == 2 and "openid, email and profile" in r.stderr


def test_whoami_without_an_openid_login_says_what_to_run(emulator, cli, mint):
    r = cli("auth", "login", "--with-token", input=mint("user", scopes=["chat:write"])["token"])
    assert r.exit_code == 0, r.stderr
    who = cli("auth", "whoami")
    assert who.exit_code == 4 and "slackctl auth login --openid" in who.stderr


def test_interactive_prompts_for_client_id_and_hidden_secret(emulator, slackctl_env, tmp_path):
    import pexpect

    port = free_port()
    app = confidential_app(emulator, port)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "slackctl", "auth", "login", "--no-pkce", "--no-browser", "--port", str(port), "--scopes", "chat:write"],
        env=env,
        cwd=str(tmp_path),
        encoding="utf-8",
        timeout=30,
    )
    import io

    child.logfile_read = seen = io.StringIO()  # everything the terminal showed
    try:
        child.expect("App client id")
        child.expect(emulator.default_app["client_id"][-12:])  # offered as the answer (the line may wrap)
        child.sendline("\x15" + app["client_id"])  # clear it, type another app's
        child.expect(r"client secret \(input hidden\)")
        child.sendline(app["client_secret"])
        child.expect(URL_RE)
        url = child.match.group(1)
        cert = Path(os.environ["SLACKCTL_CONFIG_DIR"]) / "loopback-cert.pem"
        assert browse(url, verify=ssl.create_default_context(cafile=str(cert))).status_code == 200
        child.expect(pexpect.EOF)
    finally:
        child.close()
    track_tokens(emulator)
    assert child.exitstatus == 0, child.before
    transcript = seen.getvalue()
    assert app["client_id"] in transcript and "Logged in to" in transcript
    assert_no_secrets(transcript, "terminal")
    assert app["client_secret"] not in transcript


def test_registered_web_redirect_with_paste_logs_in_confidentially(emulator, login):
    app = emulator.create_app(pkce_enabled=False, redirect_urls=["https://example.com/slack/oauth"])
    register_secret(app["client_secret"])
    p = login(
        "--client-id",
        app["client_id"],
        "--no-pkce",
        "--redirect-uri",
        "https://example.com/slack/oauth",
        "--paste",
        "--scopes",
        "chat:write",
        env={"SLACK_CLIENT_SECRET": app["client_secret"]},
    )
    url = p.authorize_url()
    landed = httpx.get(url, follow_redirects=False, timeout=10).headers["location"]
    assert landed.startswith("https://example.com/slack/oauth?code=")
    p.send(landed + "\n")
    track_tokens(emulator)
    result = p.finish()
    assert result.exit_code == 0, result.stderr
    assert auth_header(emulator.requests("oauth.v2.access")[0]).startswith("Basic ")


def test_remote_redirect_without_paste_is_exit_2(emulator, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "not-used-here-secret")
    r = cli(
        "auth",
        "login",
        "--client-id",
        "1.2",
        "--no-pkce",
        "--redirect-uri",
        "https://example.com/cb",
        "--scopes",
        "chat:write",
    )
    assert r.exit_code == 2 and "--paste" in r.stderr


def test_login_against_an_emulator_that_is_not_running_says_it_cannot_reach_it(cli, slackctl_env):
    """Issue 23 item 15: before, "the app's client id is needed" for an emulator that was simply not started."""
    url = f"http://127.0.0.1:{free_port()}"
    result = cli("auth", "login", env={"SLACKCTL_SLACK_URL": url}, can_prompt=False)
    assert result.exit_code == 3, result.stderr
    assert f"cannot reach the emulator at {url}" in result.stderr and "slackctl emulator start" in result.stderr
    assert "client id" not in result.stderr
