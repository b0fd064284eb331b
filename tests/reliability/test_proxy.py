"""Every request path through a real CONNECT proxy that is the only route to a TLS emulator (issue 18 bullet 1).

The emulator serves TLS on a real port but advertises https://localhost:DEAD, a port where nothing listens; only
the proxy knows that localhost:DEAD means the emulator. So a request that did not go through the proxy fails,
and the proxy's own log shows every tunnel. Covered: API calls, uploads, the OAuth code exchange of
`auth login`, token rotation, a third-party provider's token endpoint, --proxy with credentials (never shown),
--verbose naming the proxy redacted, and NO_PROXY going direct.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from tests.conftest import register_secret
from tests.slack.servers import ConnectProxy, free_port


@pytest.fixture(scope="module")
def hidden() -> Any:
    from slackctl.emulator import start_emulator

    with start_emulator(tls=True) as emu:
        emu.real_url = emu.url
        dead = free_port()
        emu.url = f"https://localhost:{dead}"  # what the emulator tells clients (upload URLs, issuer, ...)
        emu.hidden_authority = f"localhost:{dead}"
        yield emu


@pytest.fixture
def proxy(hidden: Any) -> Any:
    hidden.reset()
    with ConnectProxy({hidden.hidden_authority: ("127.0.0.1", hidden.port)}) as p:
        yield p


@pytest.fixture
def via(slackctl_env: dict[str, str], hidden: Any, proxy: Any) -> dict[str, str]:
    """slackctl's environment: the hidden emulator's URL, its CA, and the proxy from HTTPS_PROXY."""
    return {"SLACKCTL_SLACK_URL": hidden.url, "SLACKCTL_CA_BUNDLE": hidden.ca_file, "HTTPS_PROXY": proxy.url}


def _bot(hidden: Any) -> str:
    token = hidden.mint_token("bot")["token"]
    register_secret(token)
    return token


def test_api_call_goes_through_https_proxy_and_fails_without_it(cli, hidden, proxy, via):
    env = dict(via, SLACK_BOT_TOKEN=_bot(hidden))
    result = cli("api", "call", "chat.postMessage", "channel=general", "text=via proxy", env=env)
    assert result.exit_code == 0, result.stderr
    assert proxy.tunnels == [hidden.hidden_authority]
    assert [m["text"] for m in hidden.messages("general")].count("via proxy") == 1
    direct = cli("api", "call", "auth.test", "--max-retries", "0", env=dict(env, HTTPS_PROXY=""))
    assert direct.exit_code == 3 and "cannot reach" in direct.stderr
    assert proxy.tunnels == [hidden.hidden_authority]


def test_lower_case_https_proxy_and_all_proxy_are_read_too(cli, hidden, proxy, via):
    env = dict(via, SLACK_BOT_TOKEN=_bot(hidden), HTTPS_PROXY="", https_proxy=proxy.url)
    assert cli("api", "call", "auth.test", env=env).exit_code == 0
    env = dict(via, SLACK_BOT_TOKEN=_bot(hidden), HTTPS_PROXY="", ALL_PROXY=proxy.url)
    assert cli("api", "call", "auth.test", env=env).exit_code == 0
    assert len(proxy.tunnels) == 2


def test_no_proxy_goes_direct(cli, hidden, proxy, via, instant_waits):
    token = _bot(hidden)
    # The hidden name is bypassed: slackctl connects directly and finds nothing there.
    bypassed = cli("api", "call", "auth.test", env=dict(via, SLACK_BOT_TOKEN=token, NO_PROXY="localhost"))
    assert bypassed.exit_code == 3 and "cannot reach https://localhost" in bypassed.stderr
    # The emulator's real address, bypassed by CIDR: the call works and the proxy sees nothing.
    direct = cli(
        "api",
        "call",
        "auth.test",
        env=dict(via, SLACK_BOT_TOKEN=token, SLACKCTL_SLACK_URL=hidden.real_url, no_proxy="127.0.0.0/8"),
    )
    assert direct.exit_code == 0, direct.stderr
    assert proxy.tunnels == []


def test_proxy_option_with_credentials_is_used_and_never_shown(cli, hidden, via):
    password = "pr0xy-pa55-" + str(free_port())
    register_secret(password)
    with ConnectProxy({hidden.hidden_authority: ("127.0.0.1", hidden.port)}, credentials=f"ci:{password}") as p:
        env = dict(via, SLACK_BOT_TOKEN=_bot(hidden), HTTPS_PROXY="http://127.0.0.1:9")  # the flag wins
        ok = cli("--verbose", "--proxy", f"http://ci:{password}@{p.url[7:]}", "api", "call", "auth.test", env=env)
        assert ok.exit_code == 0, ok.stderr
        assert f"through proxy http://***@{p.url[7:]} (from proxy)" in ok.stderr
        assert f"* TLS: trusting CA bundle {hidden.ca_file}" in ok.stderr
        refused = cli("api", "call", "auth.test", env=dict(env, SLACKCTL_PROXY=f"http://ci:wrong@{p.url[7:]}"))
    assert p.tunnels == [hidden.hidden_authority]
    assert refused.exit_code == 3
    assert "refused the tunnel" in refused.stderr and "407" in refused.stderr
    assert "wrong" not in refused.stderr and "--proxy" in refused.stderr


def test_upload_streams_through_the_proxy(cli, hidden, proxy, via, tmp_path):
    (tmp_path / "report.txt").write_bytes(b"through the tunnel\n" * 1000)
    env = dict(via, SLACK_BOT_TOKEN=_bot(hidden))
    result = cli("api", "upload", str(tmp_path / "report.txt"), "--channel", "general", env=env)
    assert result.exit_code == 0, result.stderr
    # Reserve, bytes and complete: all to the hidden address, all through the proxy.
    assert set(proxy.tunnels) == {hidden.hidden_authority} and len(proxy.heads) >= 1
    assert len(hidden.requests("files.completeUploadExternal")) == 1


def test_token_rotation_goes_through_the_proxy(cli, hidden, proxy, via, monkeypatch):
    from tests.core.test_rotation import confidential, make_profile, token_of

    for key, value in via.items():
        monkeypatch.setenv(key, value)
    app = confidential(hidden)
    old = make_profile(hidden, app, expires_at=time.time() - 30)
    new = token_of(cli)
    assert new != old["token"]
    assert len(hidden.requests("oauth.v2.access")) == 1 and hidden.hidden_authority in proxy.tunnels


def test_oauth_code_exchange_of_auth_login_goes_through_the_proxy(hidden, proxy, via, tmp_path):
    import ssl

    from tests.cli.commands.auth.test_login import LoginProcess, pkce_app, track_tokens

    port = free_port()
    app = pkce_app(hidden, port)
    p = LoginProcess("--client-id", app["client_id"], "--port", str(port), "--paste", env=via, cwd=tmp_path)
    try:
        url = p.authorize_url()
        assert url.startswith(hidden.url)
        p.wait_for("stdin")
        # The browser reaches the authorize page through the same proxy.
        trust = ssl.create_default_context(cafile=hidden.ca_file)
        with httpx.Client(proxy=proxy.url, verify=trust) as browser:
            landed = browser.get(url, follow_redirects=False, timeout=10).headers["location"]
        tunnels_before = len(proxy.tunnels)
        p.send(landed + "\n")
        track_tokens(hidden)
        result = p.finish()
    finally:
        p.kill()
    assert result.exit_code == 0, result.stderr
    assert len(hidden.requests("oauth.v2.access")) == 1
    assert len(proxy.tunnels) > tunnels_before  # slackctl's own exchange came through the proxy


def test_a_provider_token_endpoint_is_reached_through_the_proxy(hidden, proxy, monkeypatch):
    from slackctl.core.extauth.oauth2 import ProviderClient, ProviderError
    from slackctl.core.extauth.providers import Provider

    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    base = f"{hidden.url}/_emulator/provider"
    provider = Provider(
        key="acme",
        provider_type="CUSTOM",
        client_id="cid",
        provider_name="Acme",
        authorization_url=f"{base}/authorize",
        token_url=f"{base}/token",
        scope=["read"],
        identity_url=f"{base}/userinfo",
        account_identifier="$.sub",
    )
    with (
        ProviderClient(provider, client_secret="s3", ca_bundle=hidden.ca_file) as client,
        pytest.raises(ProviderError) as info,
    ):
        client.refresh("not-a-refresh-token")
    # The emulator's provider answered (through the tunnel), refusing the made-up grant.
    assert info.value.status >= 400 and proxy.tunnels == [hidden.hidden_authority]
