"""The loopback listener and PKCE helpers: real sockets on 127.0.0.1, a real HTTP client playing the browser."""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import socket
import ssl
import threading

import httpx
import pytest

from slackctl.errors import AuthError, UsageError
from slackctl.slack import pkce
from slackctl.slack.loopback import AccessDenied, LoopbackListener, LoopbackTimeout, parse_pasted


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, **kw) -> httpx.Response:
    return httpx.get(url, timeout=5, **kw)


# -- pkce ------------------------------------------------------------------------------------------
def test_challenge_matches_rfc7636_appendix_b_example():
    assert (
        pkce.challenge_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )


def test_verifier_is_long_random_and_urlsafe():
    a, b = pkce.new_verifier(), pkce.new_verifier()
    assert a != b and 43 <= len(a) <= 128
    expected = base64.urlsafe_b64encode(hashlib.sha256(a.encode()).digest()).rstrip(b"=").decode()
    assert pkce.challenge_s256(a) == expected


def test_short_verifier_is_refused():
    with pytest.raises(ValueError):
        pkce.challenge_s256("short")


def test_state_and_nonce_are_unique():
    assert len({pkce.new_state() for _ in range(50)}) == 50
    assert pkce.new_nonce() != pkce.new_nonce()
    assert pkce.same("abc", "abc") and not pkce.same("abc", "abd") and not pkce.same("abc", None)


# -- listener --------------------------------------------------------------------------------------
def test_valid_callback_returns_params_and_shows_a_page_without_the_code():
    state = pkce.new_state()
    with LoopbackListener(0, state=state) as lst:
        url = lst.redirect_uri()
        assert url == f"http://localhost:{lst.port}/callback"
        box: dict = {}
        callback = f"{lst.redirect_uri('127.0.0.1')}?code=C0DE123&state={state}"
        t = threading.Thread(target=lambda: box.update(r=get(callback)))
        t.start()
        params = lst.wait(5)
        t.join()
    assert params == {"code": "C0DE123", "state": state}
    page = box["r"]
    assert page.status_code == 200
    assert "You may close this window" in page.text
    assert "C0DE123" not in page.text and state not in page.text
    assert page.headers["cache-control"] == "no-store"


def test_port_is_closed_after_the_callback():
    state = pkce.new_state()
    lst = LoopbackListener(0, state=state)
    lst.start()
    port = lst.port
    threading.Thread(target=lambda: get(f"http://127.0.0.1:{port}/callback?code=x&state={state}")).start()
    lst.wait(5)
    with pytest.raises(httpx.ConnectError):
        get(f"http://127.0.0.1:{port}/callback?code=x&state={state}")


def test_listener_binds_only_loopback_addresses():
    with LoopbackListener(0, state="s") as lst:
        addrs = [ipaddress.ip_address(sock.getsockname()[0]) for sock in lst.sockets()]
        assert addrs and all(a.is_loopback for a in addrs)
        assert {sock.getsockname()[1] for sock in lst.sockets()} == {lst.port}


def test_non_loopback_hostname_is_refused():
    with pytest.raises(ValueError):
        LoopbackListener(0, state="s", hostnames=("0.0.0.0",))


def test_wrong_or_missing_state_and_other_paths_are_ignored_then_the_valid_one_wins():
    state = pkce.new_state()
    with LoopbackListener(0, state=state) as lst:
        base = f"http://127.0.0.1:{lst.port}"
        assert get(f"{base}/favicon.ico").status_code == 404
        assert get(f"{base}/other?code=x&state={state}").status_code == 404
        assert get(f"{base}/callback?code=evil&state=wrong").status_code == 400
        assert get(f"{base}/callback?code=evil").status_code == 400
        assert get(f"{base}/callback?error=access_denied&state=wrong").status_code == 400
        assert get(f"{base}/callback?code=a&code=b&state={state}").status_code == 400
        assert get(f"{base}/callback?state={state}").status_code == 400
        assert get(f"{base}/callback?code=evil&state={state}", headers={"Host": "evil.example:80"}).status_code == 403
        assert httpx.post(f"{base}/callback?code=x&state={state}").status_code == 405
        assert not lst._done.is_set()
        assert get(f"{base}/callback?code=good&state={state}").status_code == 200
        assert lst.wait(5)["code"] == "good"


def test_second_callback_is_refused_while_the_first_is_being_handled():
    state = pkce.new_state()
    lst = LoopbackListener(0, state=state)
    lst.start()
    try:
        base = f"http://127.0.0.1:{lst.port}/callback"
        assert get(f"{base}?code=first&state={state}").status_code == 200
        # Not yet closed (wait() not called): a replay of the same or another code is refused.
        assert get(f"{base}?code=first&state={state}").status_code == 409
        assert get(f"{base}?code=second&state={state}").status_code == 409
        assert lst.wait(5)["code"] == "first"
    finally:
        lst.close()


def test_access_denied_raises_auth_error():
    state = pkce.new_state()
    with LoopbackListener(0, state=state) as lst:
        r = get(f"http://localhost:{lst.port}/callback?error=access_denied&state={state}")
        assert r.status_code == 200 and "cancelled or refused" in r.text
        with pytest.raises(AccessDenied) as info:
            lst.wait(5)
    assert info.value.exit_code == 4 and "denied" in info.value.message


def test_timeout_is_a_clear_auth_error_and_frees_the_port():
    lst = LoopbackListener(0, state="s")
    lst.start()
    port = lst.port
    with pytest.raises(LoopbackTimeout) as info:
        lst.wait(0.2)
    assert "no answer from the browser within 0.2 seconds" in info.value.message
    with pytest.raises(httpx.ConnectError):
        get(f"http://127.0.0.1:{port}/callback")


def test_port_in_use_is_a_usage_error_naming_the_port():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(UsageError) as info:
            LoopbackListener(port, state="s").start()
    from slackctl.cli.hints import cli_hint

    # Neutral in the library; slackctl names its flag and the redirect URL to register.
    assert str(port) in info.value.message and "--" not in (info.value.hint or "")
    assert "--port N" in (cli_hint(info.value) or "") and "http://localhost:N/callback" in (cli_hint(info.value) or "")


def test_https_listener_serves_with_the_given_certificate(tmp_path):
    from slackctl.certs import loopback_certificate

    cert, key = loopback_certificate(tmp_path)
    state = pkce.new_state()
    with LoopbackListener(0, state=state, tls=(str(cert), str(key))) as lst:
        assert lst.redirect_uri() == f"https://localhost:{lst.port}/callback"
        with pytest.raises(httpx.ConnectError):  # the browser-side warning: not trusted by default
            get(f"{lst.redirect_uri()}?code=x&state={state}")
        r = get(f"{lst.redirect_uri()}?code=tls-code&state={state}", verify=ssl.create_default_context(cafile=cert))
        assert r.status_code == 200
        assert lst.wait(5)["code"] == "tls-code"


# -- pasted ----------------------------------------------------------------------------------------
def test_parse_pasted_accepts_url_query_or_bare_code():
    assert parse_pasted(" http://localhost:8765/callback?code=abc&state=s1 \n", "s1")["code"] == "abc"
    assert parse_pasted("?code=abc&state=s1", "s1")["code"] == "abc"
    assert parse_pasted("123.456.abcdef", "s1") == {"code": "123.456.abcdef"}


def test_parse_pasted_checks_state_and_errors():
    with pytest.raises(AuthError):
        parse_pasted("https://example.com/cb?code=abc&state=other", "s1")
    with pytest.raises(AccessDenied):
        parse_pasted("https://example.com/cb?error=access_denied&state=s1", "s1")
    with pytest.raises(UsageError):
        parse_pasted("https://example.com/cb?state=s1", "s1")
    with pytest.raises(UsageError):
        parse_pasted("   ", "s1")
