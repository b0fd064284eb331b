"""`slackctl external-auth` in local mode, end to end against the emulator's OAuth2 provider, with the real
keyring; the browser is an HTTP client (or headless Chromium) started through BROWSER."""

from __future__ import annotations

import json
import re
import secrets
import socket
import sys
import time
import tomllib
import urllib.parse
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import chromium_path, register_secret

PROVIDER_TOKEN = re.compile(r"p[ar]t-[A-Za-z0-9_\-]{20,}")

BROWSER_SCRIPT = r"""
import json, sys
import httpx
log, url = sys.argv[1], sys.argv[2]
mode = sys.argv[3] if len(sys.argv) > 3 else "follow"
visited = []
with httpx.Client(follow_redirects=False, timeout=20) as client:
    if mode == "forge":
        # Before the real answer, a forged callback with a wrong state must be turned away.
        redirect = dict(p.split("=", 1) for p in url.split("?", 1)[1].split("&"))["redirect_uri"]
        from urllib.parse import unquote
        forged = unquote(redirect) + "?code=forged&state=wrong"
        visited.append({"url": forged, "status": client.get(forged).status_code})
    if mode == "deny":
        # The user pressed Cancel: the provider sends the browser back with error=access_denied and the state.
        from urllib.parse import parse_qs, urlsplit
        q = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        url = q["redirect_uri"] + "?error=access_denied&state=" + q["state"]
    while url:
        response = client.get(url)
        visited.append({"url": url, "status": response.status_code})
        url = response.headers.get("location") if response.is_redirect else None
with open(log, "a") as fh:
    fh.write(json.dumps(visited) + "\n")
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Setup:
    def __init__(
        self, emulator: Any, root: Path, port: int, client_id: str, secret: str, browser_log: Path, browser: str
    ) -> None:
        self.emulator = emulator
        self.root = root
        self.port = port
        self.client_id = client_id
        self.secret = secret
        self.browser_log = browser_log
        self.browser = browser

    @property
    def provider_url(self) -> str:
        return self.emulator.url + "/_emulator/provider"

    def manifest(self, **options: Any) -> dict[str, Any]:
        opts: dict[str, Any] = {
            "client_id": self.client_id,
            "provider_name": "Acme",
            "authorization_url": f"{self.provider_url}/authorize",
            "token_url": f"{self.provider_url}/token",
            "scope": ["read", "write"],
            "identity_config": {"url": f"{self.provider_url}/userinfo", "account_identifier": "$.email"},
            "authorization_url_extras": {"access_type": "offline"},
            "revocation_url": f"{self.provider_url}/revoke",
        }
        opts.update(options)
        return {
            "display_information": {"name": "Ext"},
            "external_auth_providers": {"oauth2": {"acme": {"provider_type": "CUSTOM", "options": opts}}},
        }

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        (self.root / "manifest.json").write_text(json.dumps(manifest))

    def visits(self) -> list[list[dict[str, Any]]]:
        if not self.browser_log.exists():
            return []
        return [json.loads(line) for line in self.browser_log.read_text().splitlines()]

    def config(self) -> dict[str, Any]:
        path = Path(self.env["SLACKCTL_CONFIG_DIR"]) / "config.toml"
        return tomllib.loads(path.read_text()) if path.exists() else {}

    def keyring_get(self, kind: str) -> str | None:
        import keyring

        return keyring.get_password(self.env["SLACKCTL_KEYRING_SERVICE"], f"external:my-app/{kind}")

    def userinfo(self, token: str) -> int:
        return httpx.get(f"{self.provider_url}/userinfo", headers={"Authorization": f"Bearer {token}"}).status_code


def register_client(emulator: Any, client_id: str, secret: str | None, redirect: str) -> None:
    resp = httpx.post(
        emulator.url + "/_emulator/provider/clients",
        json={"client_id": client_id, "client_secret": secret, "redirect_uris": [redirect]},
    )
    assert resp.status_code == 200, resp.text


@pytest.fixture
def setup(emulator: Any, slackctl_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Setup:
    port = free_port()
    client_id = "acme-client-" + secrets.token_hex(4)
    secret = "acme-secret-" + secrets.token_hex(16)
    register_secret(secret)
    register_client(emulator, client_id, secret, f"http://127.0.0.1:{port}/callback")
    root = tmp_path / "my-app"
    root.mkdir()
    monkeypatch.chdir(root)
    script = tmp_path / "browser.py"
    script.write_text(BROWSER_SCRIPT)
    log = tmp_path / "browser.log"
    browser = f"{sys.executable} {script} {log} %s"
    monkeypatch.setenv("BROWSER", browser)
    s = Setup(emulator, root, port, client_id, secret, log, browser)
    s.env = slackctl_env  # type: ignore[attr-defined]
    s.write_manifest(s.manifest())
    return s


def no_provider_tokens(*texts: str) -> None:
    for text in texts:
        assert not PROVIDER_TOKEN.search(text), f"a provider token leaked: {text[:200]}"


def authorize(cli: Any, setup: Setup, *extra: str, env: dict[str, str] | None = None) -> Any:
    result = cli(
        "external-auth", "add", "--provider", "acme", "--port", str(setup.port), "--timeout", "30", *extra, env=env
    )
    no_provider_tokens(result.stdout, result.stderr)
    return result


# -- the whole local path -------------------------------------------------------------------------------------------
def test_local_flow_authorizes_prints_fresh_token_and_removes_with_revocation(cli: Any, setup: Setup) -> None:
    r = cli("external-auth", "add-secret", "--provider", "acme", input=setup.secret + "\n")
    assert r.exit_code == 0, r.stderr
    assert "local mode" in r.stderr and setup.keyring_get("acme/client-secret") == setup.secret

    r = authorize(cli, setup)
    assert r.exit_code == 0, r.stderr
    assert "ada@provider.example" in r.stderr
    assert r.stdout == ""

    # The authorize request carried PKCE (S256) and state, the redirect went to the loopback listener.
    (visit,) = setup.visits()
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(visit[0]["url"]).query))
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 32 and query["redirect_uri"] == f"http://127.0.0.1:{setup.port}/callback"
    assert query["scope"] == "read write" and query["access_type"] == "offline"
    assert visit[-1]["url"].startswith(f"http://127.0.0.1:{setup.port}/callback?") and visit[-1]["status"] == 200

    r = cli("external-auth", "list", "--json")
    assert r.exit_code == 0, r.stderr
    (prov,) = json.loads(r.stdout)["providers"]
    assert prov["provider"] == "acme" and prov["client_secret"] is True
    assert [a["account"] for a in prov["accounts"]] == ["ada@provider.example"]
    assert prov["accounts"][0]["expires"] > time.time() + 3000

    r = cli("external-auth", "token", "--provider", "acme", allow_secrets=True)
    assert r.exit_code == 0, r.stderr
    token = r.stdout.strip()
    assert token.startswith("pat-") and setup.userinfo(token) == 200
    assert token == setup.keyring_get("acme/ada@provider.example/access")
    refresh = setup.keyring_get("acme/ada@provider.example/refresh")
    assert refresh and refresh.startswith("prt-")
    no_provider_tokens(r.stderr)
    # Nothing secret in config.toml.
    config_text = (Path(setup.env["SLACKCTL_CONFIG_DIR"]) / "config.toml").read_text()
    assert token not in config_text and refresh not in config_text and setup.secret not in config_text

    r = cli("external-auth", "remove", "--provider", "acme")
    assert r.exit_code == 0, r.stderr
    assert "revoked" in r.stderr
    assert setup.userinfo(token) == 401  # revoked at the provider
    assert setup.keyring_get("acme/ada@provider.example/access") is None
    assert setup.keyring_get("acme/ada@provider.example/refresh") is None
    r = cli("external-auth", "list", "--json")
    assert json.loads(r.stdout)["providers"][0]["accounts"] == []


def test_public_client_authorizes_with_pkce_alone(cli: Any, setup: Setup, emulator: Any) -> None:
    # A client without a secret: the emulator's provider then insists on a valid PKCE verifier.
    register_client(emulator, setup.client_id, None, f"http://127.0.0.1:{setup.port}/callback")
    r = authorize(cli, setup, "--verbose")
    assert r.exit_code == 0, r.stderr
    assert f"> POST {setup.provider_url}/token" in r.stderr and "< 200" in r.stderr  # logged, tokens not
    assert "no client secret is set for 'acme'" in r.stderr
    assert setup.keyring_get("acme/ada@provider.example/access")


def test_forged_callback_with_wrong_state_is_ignored(cli: Any, setup: Setup) -> None:
    setup.browser = setup.browser.replace("%s", "%s forge")
    r = cli("external-auth", "add-secret", "--provider", "acme", input=setup.secret)
    r = cli(
        "external-auth",
        "add",
        "--provider",
        "acme",
        "--port",
        str(setup.port),
        "--timeout",
        "30",
        env={"BROWSER": setup.browser},
    )
    assert r.exit_code == 0, r.stderr
    (visit,) = setup.visits()
    assert "state=wrong" in visit[0]["url"] and visit[0]["status"] == 400
    assert visit[-1]["status"] == 200


def test_headless_chromium_completes_the_local_flow(cli: Any, setup: Setup, tmp_path: Path) -> None:
    chromium = chromium_path()
    profile = tmp_path / "chromium-profile"
    browser = (
        f"{chromium} --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking "
        f"--disable-component-update --disable-sync --user-data-dir={profile} --dump-dom %s"
    )
    cli("external-auth", "add-secret", "--provider", "acme", input=setup.secret)
    r = cli(
        "external-auth",
        "add",
        "--provider",
        "acme",
        "--port",
        str(setup.port),
        "--timeout",
        "60",
        env={"BROWSER": browser},
    )
    assert r.exit_code == 0, r.stderr
    assert setup.keyring_get("acme/ada@provider.example/access")


# -- refresh --------------------------------------------------------------------------------------------------------
def _set_expiry(setup: Setup, when: int) -> None:
    import tomli_w

    path = Path(setup.env["SLACKCTL_CONFIG_DIR"]) / "config.toml"
    data = tomllib.loads(path.read_text())
    data["external_auth"]["my-app"]["providers"]["acme"]["accounts"]["ada@provider.example"]["expires"] = when
    path.write_text(tomli_w.dumps(data))


def test_token_is_refreshed_only_when_near_expiry(cli: Any, setup: Setup, emulator: Any) -> None:
    cli("external-auth", "add-secret", "--provider", "acme", input=setup.secret)
    assert authorize(cli, setup).exit_code == 0
    first = cli("external-auth", "token", "--provider", "acme", allow_secrets=True).stdout.strip()
    again = cli("external-auth", "token", "--provider", "acme", allow_secrets=True).stdout.strip()
    assert first == again  # far from expiry: no refresh
    old_refresh = setup.keyring_get("acme/ada@provider.example/refresh")

    _set_expiry(setup, int(time.time()) + 60)  # inside the 5-minute margin
    emulator.advance_time(3600)  # and at the provider the old access token has really expired
    assert setup.userinfo(first) == 401
    r = cli("external-auth", "token", "--provider", "acme", allow_secrets=True)
    assert r.exit_code == 0, r.stderr
    fresh = r.stdout.strip()
    assert fresh != first and setup.userinfo(fresh) == 200
    new_refresh = setup.keyring_get("acme/ada@provider.example/refresh")
    assert new_refresh and new_refresh != old_refresh  # the provider rotated it, and we kept the new one
    facts = setup.config()["external_auth"]["my-app"]["providers"]["acme"]["accounts"]["ada@provider.example"]
    assert facts["expires"] > time.time() + 3000


def test_refused_refresh_is_explained_and_keeps_the_stored_tokens(cli: Any, setup: Setup, emulator: Any) -> None:
    cli("external-auth", "add-secret", "--provider", "acme", input=setup.secret)
    assert authorize(cli, setup).exit_code == 0
    old = setup.keyring_get("acme/ada@provider.example/access")
    refresh = setup.keyring_get("acme/ada@provider.example/refresh")
    httpx.post(setup.provider_url + "/revoke", data={"token": refresh})
    _set_expiry(setup, int(time.time()) + 10)
    r = cli("external-auth", "token", "--provider", "acme")
    assert r.exit_code == 4
    assert "invalid_grant" in r.stderr and "unknown or used refresh token" in r.stderr
    assert "external-auth add --provider acme" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1  # only the error line (token says its mode only with -v)
    assert setup.keyring_get("acme/ada@provider.example/access") == old


# -- provider errors: one line, nothing stored ------------------------------------------------------------------------
def _nothing_stored(setup: Setup) -> None:
    assert setup.keyring_get("acme/ada@provider.example/access") is None
    accounts = setup.config().get("external_auth", {}).get("my-app", {}).get("providers", {}).get("acme", {})
    assert not accounts.get("accounts")


def test_wrong_client_secret_is_invalid_client_and_nothing_is_stored(cli: Any, setup: Setup) -> None:
    wrong = "wrong-secret-" + secrets.token_hex(8)
    register_secret(wrong)
    cli("external-auth", "add-secret", "--provider", "acme", input=wrong)
    r = authorize(cli, setup)
    assert r.exit_code == 4
    line = r.stderr.strip().splitlines()[-1]
    assert "invalid_client" in line and "client authentication failed" in line and "add-secret" in line
    _nothing_stored(setup)


def test_token_url_answering_html_is_explained(cli: Any, setup: Setup) -> None:
    setup.write_manifest(setup.manifest(token_url=f"{setup.provider_url}/authorize"))
    cli("external-auth", "add-secret", "--provider", "acme", input=setup.secret)
    r = authorize(cli, setup)
    assert r.exit_code == 1
    assert "not JSON" in r.stderr and "token_url" in r.stderr
    _nothing_stored(setup)


def test_unreachable_token_url_is_a_network_error(cli: Any, setup: Setup) -> None:
    setup.write_manifest(setup.manifest(token_url=f"http://127.0.0.1:{free_port()}/token"))
    cli("external-auth", "add-secret", "--provider", "acme", input=setup.secret)
    r = authorize(cli, setup)
    assert r.exit_code == 3
    assert "cannot reach Acme" in r.stderr and "options.token_url" in r.stderr
    _nothing_stored(setup)


def test_bad_account_identifier_path_is_explained(cli: Any, setup: Setup) -> None:
    ident = {"url": f"{setup.provider_url}/userinfo", "account_identifier": "$.login"}
    setup.write_manifest(setup.manifest(identity_config=ident))
    cli("external-auth", "add-secret", "--provider", "acme", input=setup.secret)
    r = authorize(cli, setup)
    assert r.exit_code == 1
    assert "$.login" in r.stderr and "email" in r.stderr
    _nothing_stored(setup)


# -- manifest validation ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("field", ["token_url", "authorization_url", "client_id", "scope", "identity_config"])
def test_missing_provider_field_is_exit_2_naming_it(cli: Any, setup: Setup, field: str) -> None:
    manifest = setup.manifest()
    del manifest["external_auth_providers"]["oauth2"]["acme"]["options"][field]
    setup.write_manifest(manifest)
    r = cli("external-auth", "list")
    assert r.exit_code == 2
    assert f"external_auth_providers.oauth2.acme.options.{field}" in r.stderr


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"token_url": "ftp://example.com/token"}, "options.token_url must be an https:// URL"),
        ({"token_url": "http://example.com/token"}, "options.token_url must be an https:// URL"),
        ({"scope": "read write"}, "options.scope must be a list"),
        ({"identity_config": {"url": "https://x.example/me", "account_identifier": "email"}}, "account_identifier"),
        ({"identity_config": {"account_identifier": "$.email"}}, "identity_config.url"),
    ],
)
def test_invalid_provider_fields_are_exit_2(cli: Any, setup: Setup, options: dict[str, Any], needle: str) -> None:
    setup.write_manifest(setup.manifest(**options))
    r = cli("external-auth", "add", "--provider", "acme")
    assert r.exit_code == 2 and needle in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 2


def test_unknown_provider_lists_the_declared_ones(cli: Any, setup: Setup) -> None:
    r = cli("external-auth", "token", "--provider", "github")
    assert r.exit_code == 2 and "providers: acme" in r.stderr


def test_no_manifest_is_exit_2(cli: Any, setup: Setup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    monkeypatch.chdir(empty)
    r = cli("external-auth", "list")
    assert r.exit_code == 2 and "manifest" in r.stderr


# -- modes, secrets input -------------------------------------------------------------------------------------------
def test_mode_follows_function_runtime_and_flags(cli: Any, setup: Setup) -> None:
    r = cli("external-auth", "list")
    assert "local mode" in r.stderr.splitlines()[0]
    manifest = setup.manifest()
    manifest["settings"] = {"function_runtime": "slack"}
    setup.write_manifest(manifest)
    r = cli("external-auth", "list", "--local")
    assert r.exit_code == 0 and "local mode (--local)" in r.stderr
    r = cli("external-auth", "list", "--local", "--hosted")
    assert r.exit_code == 2 and "cannot be used together" in r.stderr


def test_add_secret_needs_stdin_or_a_prompt(cli: Any, setup: Setup) -> None:
    r = cli("external-auth", "add-secret", "--provider", "acme", input="")
    assert r.exit_code == 2 and "no client secret" in r.stderr
    assert setup.keyring_get("acme/client-secret") is None


def test_add_secret_with_insecure_storage_uses_the_plaintext_file(cli: Any, setup: Setup) -> None:
    r = cli("external-auth", "add-secret", "--provider", "acme", "--insecure-storage", input=setup.secret)
    assert r.exit_code == 0 and "plaintext file" in r.stderr
    assert setup.keyring_get("acme/client-secret") is None
    data = json.loads((Path(setup.env["SLACKCTL_CONFIG_DIR"]) / "credentials.insecure.json").read_text())
    assert data["external:my-app/acme/client-secret"] == setup.secret
    r = authorize(cli, setup)  # the secret is found there, and the account's tokens follow it
    assert r.exit_code == 0, r.stderr
    assert "plaintext file" in r.stderr


def test_select_auth_sets_the_default_account(cli: Any, setup: Setup) -> None:
    cli("external-auth", "add-secret", "--provider", "acme", input=setup.secret)
    assert authorize(cli, setup).exit_code == 0
    r = cli("external-auth", "select-auth", "--provider", "acme", "--workflow", "Wf123", "--account", "nobody@x")
    assert r.exit_code == 2 and "ada@provider.example" in r.stderr
    r = cli(
        "external-auth", "select-auth", "--provider", "acme", "--workflow", "Wf123", "--account", "ada@provider.example"
    )
    assert r.exit_code == 0, r.stderr
    facts = setup.config()["external_auth"]["my-app"]["providers"]["acme"]
    assert facts["workflows"] == {"Wf123": "ada@provider.example"} and facts["default"] == "ada@provider.example"


def test_store_functions_for_tokens_list_and_export(cli: Any, setup: Setup) -> None:
    from slackctl.core.extauth import local as store
    from slackctl.core.session import Session

    ctx = Session()
    assert store.list_local_accounts(ctx) == [] and store.export_env(ctx) == {}
    cli("external-auth", "add-secret", "--provider", "acme", input=setup.secret)
    assert authorize(cli, setup).exit_code == 0
    ctx = Session()
    (row,) = store.list_local_accounts(ctx)
    assert row["name"] == "external/acme/ada@provider.example" and row["kind"] == "provider"
    assert row["storage"] == "keyring" and row["expires"] > time.time()
    assert row["masked"] and not PROVIDER_TOKEN.search(row["masked"])
    env = store.export_env(ctx)
    token = setup.keyring_get("acme/ada@provider.example/access")
    assert env == {"SLACK_EXTERNAL_ACME_TOKEN": token, "SLACK_EXTERNAL_ACME_TOKEN_ADA_PROVIDER_EXAMPLE": token}


def test_remove_keep_remote_leaves_the_grant_at_the_provider(cli: Any, setup: Setup) -> None:
    cli("external-auth", "add-secret", "--provider", "acme", input=setup.secret)
    assert authorize(cli, setup).exit_code == 0
    token = setup.keyring_get("acme/ada@provider.example/access")
    r = cli("external-auth", "remove", "--provider", "acme", "--all", "--keep-remote")
    assert r.exit_code == 0 and "revoked" not in r.stderr
    assert setup.userinfo(token) == 200
    assert setup.keyring_get("acme/ada@provider.example/access") is None


def test_paste_flow_accepts_the_address_the_browser_ended_on(cli: Any, setup: Setup) -> None:
    from slackctl.core.extauth import local
    from slackctl.core.extauth.providers import find_project, get_provider
    from slackctl.core.session import Session

    seen: list[str] = []

    def no_browser(url: str, redirect_uri: str) -> None:
        seen.append(url)

    def paste() -> str:
        # The user's browser on another machine: the provider redirects to a loopback address that is not
        # listening there; the user copies that address from the address bar.
        response = httpx.get(seen[0], follow_redirects=False)
        assert response.is_redirect
        return response.headers["location"] + "\n"

    cli("external-auth", "add-secret", "--provider", "acme", input=setup.secret)
    ctx = Session()
    project = find_project()
    result = local.authorize(
        ctx,
        project,
        get_provider(project.manifest, "acme"),
        port=setup.port,
        timeout=5,
        show_url=no_browser,
        paste_line=paste,
    )
    assert result.account == "ada@provider.example"
    assert setup.keyring_get("acme/ada@provider.example/access") == result.tokens.access_token


def test_token_in_a_real_subprocess_for_scripts(cli: Any, run_slackctl: Any, setup: Setup) -> None:
    cli("external-auth", "add-secret", "--provider", "acme", input=setup.secret)
    assert authorize(cli, setup).exit_code == 0
    r = run_slackctl("external-auth", "token", "--provider", "acme", cwd=setup.root, allow_secrets=True)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == setup.keyring_get("acme/ada@provider.example/access") + "\n"
    no_provider_tokens(r.stderr)


def test_insecure_storage_on_add_moves_the_client_secret_along(cli: Any, setup: Setup, emulator: Any) -> None:
    cli("external-auth", "add-secret", "--provider", "acme", input=setup.secret)
    r = authorize(cli, setup, "--insecure-storage")
    assert r.exit_code == 0, r.stderr
    assert setup.keyring_get("acme/client-secret") is None
    data = json.loads((Path(setup.env["SLACKCTL_CONFIG_DIR"]) / "credentials.insecure.json").read_text())
    assert data["external:my-app/acme/client-secret"] == setup.secret
    # A refresh still authenticates with the (moved) client secret.
    _set_expiry(setup, int(time.time()) + 30)
    r = cli("external-auth", "token", "--provider", "acme", allow_secrets=True)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip() != data["external:my-app/acme/ada@provider.example/access"]


def test_tokens_of_a_provider_dropped_from_the_manifest_can_still_be_removed(cli: Any, setup: Setup) -> None:
    cli("external-auth", "add-secret", "--provider", "acme", input=setup.secret)
    assert authorize(cli, setup).exit_code == 0
    setup.write_manifest({"display_information": {"name": "Ext"}})
    r = cli("external-auth", "remove", "--provider", "acme", "--all")
    assert r.exit_code == 0, r.stderr
    assert "no longer in the manifest" in r.stderr
    assert setup.keyring_get("acme/ada@provider.example/access") is None
    assert setup.keyring_get("acme/client-secret") is None
    assert "external_auth" not in setup.config()
    r = cli("external-auth", "remove", "--provider", "acme", "--all")
    assert r.exit_code == 2 and "no provider 'acme'" in r.stderr


def test_tokens_export_and_list_include_local_accounts(cli: Any, setup: Setup) -> None:
    cli("external-auth", "add-secret", "--provider", "acme", input=setup.secret)
    assert authorize(cli, setup).exit_code == 0
    token = setup.keyring_get("acme/ada@provider.example/access")
    r = cli("tokens", "export", "--format", "json", allow_secrets=True)
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["SLACK_EXTERNAL_ACME_TOKEN"] == token
    r = cli("tokens", "list", "--json")
    assert r.exit_code == 0, r.stderr
    assert "external/acme/ada@provider.example" in r.stdout
    no_provider_tokens(r.stdout)


def test_access_denied_in_the_browser_is_exit_4_and_stores_nothing(cli: Any, setup: Setup) -> None:
    cli("external-auth", "add-secret", "--provider", "acme", input=setup.secret)
    r = authorize(cli, setup, env={"BROWSER": setup.browser.replace("%s", "%s deny")})
    assert r.exit_code == 4 and "access was denied" in r.stderr
    _nothing_stored(setup)


def test_no_answer_before_the_timeout_is_exit_4(cli: Any, setup: Setup) -> None:
    r = authorize(cli, setup, "--no-browser", "--timeout", "0")
    assert r.exit_code == 4 and "no answer from the browser" in r.stderr
    assert "/_emulator/provider/authorize?" in r.stderr  # the URL was printed for the user
    _nothing_stored(setup)


def test_port_in_use_is_exit_2_naming_it(cli: Any, setup: Setup) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", setup.port))
        busy.listen(1)
        r = authorize(cli, setup)
    assert r.exit_code == 2 and f"port {setup.port} is already in use" in r.stderr


def test_basic_client_authentication_when_the_manifest_asks_for_it(cli: Any, setup: Setup) -> None:
    setup.write_manifest(setup.manifest(token_url_config={"use_basic_auth_scheme": True}))
    cli("external-auth", "add-secret", "--provider", "acme", input=setup.secret)
    r = authorize(cli, setup)
    assert r.exit_code == 0, r.stderr
    token = setup.keyring_get("acme/ada@provider.example/access")
    r = cli("external-auth", "remove", "--provider", "acme")  # revocation authenticates the same way
    assert r.exit_code == 0 and setup.userinfo(token) == 401


def test_client_credentials_go_in_basic_auth_or_the_form_as_the_manifest_says(setup: Setup) -> None:
    import base64

    from slackctl.core.extauth.oauth2 import ProviderClient
    from slackctl.core.extauth.providers import parse_provider

    body = setup.manifest(token_url_config={"use_basic_auth_scheme": True})["external_auth_providers"]["oauth2"]
    basic = parse_provider("acme", body["acme"])
    with ProviderClient(basic, client_secret="s3cret:x") as client:
        form, headers = client._with_client_auth({"grant_type": "refresh_token"})
    assert "client_secret" not in form and "client_id" not in form
    assert base64.b64decode(headers["Authorization"].split()[1]) == f"{setup.client_id}:s3cret%3Ax".encode()
    post = parse_provider("acme", setup.manifest()["external_auth_providers"]["oauth2"]["acme"])
    with ProviderClient(post, client_secret="s3cret") as client:
        form, headers = client._with_client_auth({})
    assert form == {"client_id": setup.client_id, "client_secret": "s3cret"} and not headers


def test_token_does_not_repeat_the_mode_line_unless_verbose(cli: Any, setup: Setup) -> None:
    # issue 19, item 13: scripts call `token` over and over; the mode line is for the verbs that change things.
    assert cli("external-auth", "add-secret", "--provider", "acme", input=setup.secret + "\n").exit_code == 0
    assert authorize(cli, setup).exit_code == 0
    quiet = cli("external-auth", "token", "--provider", "acme", allow_secrets=True)
    assert quiet.exit_code == 0 and "mode" not in quiet.stderr
    loud = cli("external-auth", "token", "--provider", "acme", "--verbose", allow_secrets=True)
    assert loud.exit_code == 0 and "external-auth: local mode" in loud.stderr
