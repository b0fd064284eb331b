"""`slackctl external-auth` in hosted mode: apps.auth.external.* against the emulator, whose own callback keeps
the provider tokens (as Slack does); the browser is an HTTP client started through BROWSER."""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli.commands.external_auth.test_local import BROWSER_SCRIPT, PROVIDER_TOKEN
from tests.conftest import register_secret


class Hosted:
    def __init__(self, emulator: Any, root: Path, app_id: str, token: str, secret: str, log: Path) -> None:
        self.emulator = emulator
        self.root = root
        self.app_id = app_id
        self.token = token
        self.secret = secret
        self.log = log

    def run(self, cli: Any, *args: str, **kwargs: Any) -> Any:
        env = {"SLACK_USER_TOKEN": self.token, **kwargs.pop("env", {})}
        result = cli("external-auth", *args, env=env, **kwargs)
        assert not PROVIDER_TOKEN.search(result.output), result.output
        return result

    def listing(self, cli: Any) -> dict[str, Any]:
        r = self.run(cli, "list", "--json")
        assert r.exit_code == 0, r.stderr
        return json.loads(r.stdout)


def manifest(emulator: Any, client_id: str) -> dict[str, Any]:
    base = emulator.url + "/_emulator/provider"
    return {
        "display_information": {"name": "Hosted Ext"},
        "settings": {"function_runtime": "slack"},
        "external_auth_providers": {
            "oauth2": {
                "acme": {
                    "provider_type": "CUSTOM",
                    "options": {
                        "client_id": client_id,
                        "provider_name": "Acme",
                        "authorization_url": f"{base}/authorize",
                        "token_url": f"{base}/token",
                        "scope": ["read"],
                        "identity_config": {"url": f"{base}/userinfo", "account_identifier": "$.email"},
                    },
                }
            }
        },
    }


@pytest.fixture
def hosted(
    emulator: Any, mint: Any, slackctl_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Hosted:
    client_id = "hosted-client-" + secrets.token_hex(4)
    secret = "hosted-secret-" + secrets.token_hex(16)
    register_secret(secret)
    data = manifest(emulator, client_id)
    # Slack's manifest schema (which apps.manifest.create checks) wants https provider URLs, and the emulator's
    # provider is plain http on loopback: the app goes into the emulator's world directly instead.
    with emulator.world.lock:
        app_id = emulator.world.create_app(name="Hosted Ext", manifest=data)["app_id"]
    root = tmp_path / "hosted-app"
    (root / ".slack").mkdir(parents=True)
    (root / "manifest.json").write_text(json.dumps(data))
    apps = {"environments": {"dev": {emulator.team["id"]: {"app_id": app_id, "team_id": emulator.team["id"]}}}}
    (root / ".slack" / "apps.json").write_text(json.dumps(apps))
    monkeypatch.chdir(root)
    script = tmp_path / "browser.py"
    script.write_text(BROWSER_SCRIPT)
    log = tmp_path / "browser.log"
    monkeypatch.setenv("BROWSER", f"{sys.executable} {script} {log} %s")
    return Hosted(emulator, root, app_id, mint("user")["token"], secret, log)


def test_hosted_flow_secret_authorize_map_and_remove(cli: Any, hosted: Hosted, emulator: Any) -> None:
    listing = hosted.listing(cli)
    assert listing["mode"] == "hosted" and listing["app_id"] == hosted.app_id
    assert listing["providers"][0]["client_secret"] is False and listing["providers"][0]["accounts"] == []

    r = hosted.run(cli, "add-secret", "--provider", "acme", "--verbose", input=hosted.secret + "\n")
    assert r.exit_code == 0, r.stderr
    assert "hosted mode (the manifest's settings.function_runtime is 'slack'" in r.stderr
    assert "apps.auth.external.clientSecret.add" in r.stderr  # --verbose logged the call, secret redacted
    (call,) = emulator.requests("apps.auth.external.clientSecret.add")
    assert hosted.secret not in json.dumps(call)

    r = hosted.run(cli, "add", "--provider", "acme", "--timeout", "30")
    assert r.exit_code == 0, r.stderr
    (visit,) = [json.loads(line) for line in hosted.log.read_text().splitlines()]
    assert visit[-1]["url"].startswith(emulator.url + "/external/auth/callback") and visit[-1]["status"] == 200
    (prov,) = hosted.listing(cli)["providers"]
    assert prov["client_secret"] is True
    (account,) = prov["accounts"]
    user = account["account"]
    assert user.startswith("U") and user in r.stderr and account["id"].startswith("Et")

    r = hosted.run(cli, "select-auth", "--provider", "acme", "--workflow", "Wf0123", "--account", user)
    assert r.exit_code == 0, r.stderr
    (mapping,) = emulator.world.external[hosted.app_id]["mappings"]
    assert mapping["workflow_id"] == "Wf0123" and mapping["provider_key"] == "acme"
    (call,) = emulator.requests("apps.auth.external.authMapping.update")
    assert call["body"]["external_token_id"] == account["id"]

    r = hosted.run(cli, "token", "--provider", "acme")
    assert r.exit_code == 2 and "Slack keeps the tokens" in r.stderr and r.stdout == ""

    r = hosted.run(cli, "remove", "--provider", "acme", "--account", user)
    assert r.exit_code == 0, r.stderr
    assert hosted.listing(cli)["providers"][0]["accounts"] == []


def test_hosted_add_without_secret_is_explained(cli: Any, hosted: Hosted) -> None:
    r = hosted.run(cli, "add", "--provider", "acme", "--timeout", "5")
    assert r.exit_code == 1 and "client_secret_not_found" in r.stderr


def test_hosted_add_times_out_when_no_account_appears(cli: Any, hosted: Hosted) -> None:
    hosted.run(cli, "add-secret", "--provider", "acme", input=hosted.secret)
    r = hosted.run(cli, "add", "--provider", "acme", "--timeout", "0", "--no-browser")
    assert r.exit_code == 4 and "no new acme account appeared" in r.stderr
    assert "/_emulator/provider/authorize?" in r.stderr  # the URL was printed for the user instead


def test_hosted_needs_a_deployed_app(cli: Any, hosted: Hosted) -> None:
    (hosted.root / ".slack" / "apps.json").unlink()
    r = hosted.run(cli, "list")
    assert r.exit_code == 2 and "no deployed app" in r.stderr and "--app" in r.stderr
    r = hosted.run(cli, "list", "--app", hosted.app_id, "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["app_id"] == hosted.app_id


def test_hosted_remove_all(cli: Any, hosted: Hosted) -> None:
    hosted.run(cli, "add-secret", "--provider", "acme", input=hosted.secret)
    assert hosted.run(cli, "add", "--provider", "acme", "--timeout", "30").exit_code == 0
    r = hosted.run(cli, "remove", "--provider", "acme", "--all")
    assert r.exit_code == 0, r.stderr
    assert hosted.listing(cli)["providers"][0]["accounts"] == []
