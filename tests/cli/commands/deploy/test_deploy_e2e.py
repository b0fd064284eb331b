"""The demo's path, as real subprocesses: slackctl create my-app && cd my-app && slackctl deploy, then
slackctl auth login installs the new app with the credentials the deploy stored."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.conftest import register_secret


def test_create_deploy_then_auth_login_installs_the_app(
    run_slackctl, mint, emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))  # no user git identity needed
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Test")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "test@example.com")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Test")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "test@example.com")
    work = tmp_path / "work"
    work.mkdir()
    created = run_slackctl("create", "my-app", "--template", "bolt-python", "--no-install", cwd=work)
    assert created.exit_code == 0, created.stderr
    project = work / "my-app"
    assert (project / "manifest.json").is_file()

    minted = mint("config")
    login = run_slackctl(
        "auth", "login", "--with-token", input=f"{minted['token']}\n{minted['refresh_token']}\n", cwd=project
    )
    assert login.exit_code == 0, login.stderr

    deployed = run_slackctl("deploy", cwd=project)
    assert deployed.exit_code == 0, deployed.stderr
    [record] = json.loads((project / ".slack" / "apps.dev.json").read_text()).values()  # Slack CLI's shape
    app = emulator.world.apps[record["app_id"]]
    register_secret(app["client_secret"], app["signing_secret"], app["verification_token"])
    assert app["name"] == json.loads((project / "manifest.json").read_text())["display_information"]["name"]

    # Install: the client id and secret come from the deploy (no flags, no env vars), the browser is played
    # by following the emulator's authorize page, and the redirect is pasted back.
    proc = subprocess.Popen(
        [sys.executable, "-m", "slackctl", "auth", "login", "--no-browser", "--paste"],
        cwd=project,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None and proc.stdin is not None
    url = None
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if "/oauth/v2/authorize?" in line:
            url = next(word for word in line.split() if "/oauth/v2/authorize?" in word)
            break
    assert url, "".join(seen)
    assert f"client_id={app['client_id']}" in url
    hop = httpx.get(url, follow_redirects=False, timeout=10)
    landed = hop.headers["location"]
    assert "code=" in landed
    out, err = proc.communicate(landed + "\n", timeout=60)
    err = "".join(seen) + err
    assert proc.returncode == 0, err
    for secret in (app["client_secret"], app["signing_secret"]):
        assert secret not in out + err
    [exchange] = emulator.requests("oauth.v2.access")
    assert exchange["headers"].get("authorization", exchange["headers"].get("Authorization", "")).startswith("Basic ")
    tokens = run_slackctl("tokens", "list", "--json", cwd=project)
    kinds = {row["name"].split("/", 1)[1] for row in json.loads(tokens.stdout)}
    assert "bot" in kinds and "client-secret" in kinds
