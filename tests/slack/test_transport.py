"""slack/transport.py against tiny real servers on loopback: size limits before and after gunzip, the response
deadline, redirects, proxies (a real CONNECT proxy) and NO_PROXY as curl reads it."""

from __future__ import annotations

import gzip
import threading
import time
import zlib

import pytest

from slackctl.slack import errors
from slackctl.slack.errors import NetworkError, UsageError
from slackctl.slack.proxy import ProxyRules, parse_proxy
from slackctl.slack.transport import Transport, request
from tests.slack.servers import ConnectProxy, answering, free_port, json_answer


def _endless_chunks(piece: bytes, pause: float = 0.0):
    def answer(head, wfile):
        wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
        while True:
            wfile.write(chunk)
            wfile.flush()
            if pause:
                time.sleep(pause)  # the server's pace, not a wait for readiness

    return answer


def gzip_bomb(inflated: int) -> bytes:
    """`inflated` bytes of zeros, gzipped (about 1000:1)."""
    out = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    parts = [out.compress(block) for _ in range(inflated // len(block))]
    return b"".join(parts) + out.flush()


# -- size limits --------------------------------------------------------------------------------------------
def test_a_content_length_over_the_limit_is_refused_before_reading():
    body = b"x" * 5000
    with answering(json_answer(body)) as url, pytest.raises(NetworkError) as info:
        request("GET", url + "/api/x", max_body=4096, what="x.test")
    assert info.value.kind == errors.TOO_LARGE
    assert "larger than the 4096 bytes limit" in info.value.message and info.value.hint_key == "too_large"


def test_an_endless_chunked_body_stops_at_the_limit():
    with answering(_endless_chunks(b"a" * 65536)) as url, pytest.raises(NetworkError) as info:
        request("GET", url, max_body=1024 * 1024)
    assert info.value.kind == errors.TOO_LARGE and "1 MB limit" in info.value.message


def test_a_gzip_bomb_stops_at_the_same_limit_after_inflating():
    bomb = gzip_bomb(64 * 1024 * 1024)
    assert len(bomb) < 200_000
    with answering(json_answer(bomb, headers={"Content-Encoding": "gzip"})) as url, pytest.raises(NetworkError) as info:
        request("GET", url, max_body=8 * 1024 * 1024)
    assert info.value.kind == errors.TOO_LARGE and "8 MB limit" in info.value.message


def test_gzip_under_the_limit_is_inflated_whole():
    data = b'{"ok":true,"pad":"' + b"z" * 300_000 + b'"}'
    with answering(json_answer(gzip.compress(data), headers={"Content-Encoding": "gzip"})) as url:
        response = request("GET", url, max_body=len(data))
    assert response.content == data and response.json()["ok"] is True


def test_a_body_cut_short_of_its_content_length_is_a_dropped_connection():
    def answer(head, wfile):
        wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + b"{" * 40)

    with answering(answer) as url, pytest.raises(NetworkError) as info:
        request("POST", url, body=b"x=1")
    assert info.value.kind == errors.DROPPED and info.value.may_have_acted


# -- the deadline -------------------------------------------------------------------------------------------
def test_timeout_is_a_deadline_for_the_whole_body_not_each_read():
    with answering(_endless_chunks(b" ", pause=0.05)) as url:
        started = time.monotonic()
        with pytest.raises(NetworkError) as info:
            request("GET", url, timeout=1.0)
        elapsed = time.monotonic() - started
    assert info.value.kind == errors.TIMEOUT and info.value.streaming
    assert "still arriving" in info.value.message
    assert 0.9 < elapsed < 2.5, elapsed


def test_headers_trickled_byte_by_byte_also_end_at_the_deadline():
    def answer(head, wfile):
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"z" * 10_000:
            wfile.write(bytes([byte]))
            wfile.flush()
            time.sleep(0.1)  # the server's pace: each byte well within any per-read timeout

    with answering(answer) as url:
        started = time.monotonic()
        with pytest.raises(NetworkError) as info:
            request("GET", url, timeout=1.0)
        elapsed = time.monotonic() - started
    assert info.value.kind == errors.TIMEOUT and not info.value.streaming
    assert 0.9 < elapsed < 2.0, elapsed


# -- redirects ----------------------------------------------------------------------------------------------
def _recording_server(seen: list[bytes], answer_head: bytes):
    def answer(head, wfile):
        seen.append(head)
        wfile.write(answer_head)

    return answer


def test_redirects_are_not_followed_by_default():
    seen: list[bytes] = []
    with answering(
        _recording_server(seen, b"HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n")
    ) as url:
        response = request("GET", url + "/start", headers={"Authorization": "Bearer xoxb-1"})
    assert response.status_code == 302 and len(seen) == 1


def test_a_redirect_to_another_host_never_carries_authorization():
    other: list[bytes] = []
    with answering(_recording_server(other, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")) as target:
        first: list[bytes] = []
        redirect = f"HTTP/1.1 307 Temporary Redirect\r\nLocation: {target}/landed\r\nContent-Length: 0\r\n\r\n"
        with answering(_recording_server(first, redirect.encode())) as url, Transport() as t:
            response = t.request(
                "GET", url + "/start", {"Authorization": "Bearer xoxb-secret", "X-Keep": "1"}, follow_redirects=2
            )
    assert response.status_code == 200 and response.url == f"{target}/landed"
    assert b"authorization: bearer xoxb-secret" in first[0].lower()
    assert b"authorization" not in other[0].lower() and b"x-keep: 1" in other[0].lower()


def test_a_redirect_on_the_same_origin_keeps_authorization_and_303_becomes_get():
    seen: list[bytes] = []

    def answer(head, wfile):
        seen.append(head)
        if head.startswith(b"POST"):
            # The test server answers one request per connection, so it says so (no keep-alive race on reuse).
            wfile.write(
                b"HTTP/1.1 303 See Other\r\nLocation: /result\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
        else:
            wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")

    with answering(answer) as url:
        response = request("POST", url + "/go", headers={"Authorization": "Bearer t"}, body=b"a=1")
        assert response.status_code == 303  # not followed unless asked
        with Transport() as t:
            response = t.request("POST", url + "/go", {"Authorization": "Bearer t"}, b"a=1", follow_redirects=1)
    assert response.status_code == 200
    assert seen[-1].startswith(b"GET /result ") and b"authorization: bearer t" in seen[-1].lower()


# -- proxies ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("no_proxy", "host", "bypassed"),
    [
        ("*", "slack.com", True),
        ("slack.com", "slack.com", True),
        ("slack.com", "api.slack.com", True),
        ("slack.com", "notslack.com", False),
        (".slack.com", "files.slack.com", True),
        (".slack.com", "slack.com", True),
        ("example.org, slack.com:443", "slack.com", True),
        ("10.0.0.0/8", "10.1.2.3", True),
        ("10.0.0.0/8", "11.1.2.3", False),
        ("127.0.0.1", "127.0.0.1", True),
        ("127.0.0.1", "127.0.0.2", False),
        ("::1", "::1", True),
        ("[::1]:8080", "[::1]", True),
        ("fd00::/8", "fd12::1", True),
        ("", "slack.com", False),
    ],
)
def test_no_proxy_reads_domains_suffixes_ips_cidrs_and_star(no_proxy, host, bypassed):
    rules = ProxyRules({"HTTPS_PROXY": "http://proxy.test:3128", "NO_PROXY": no_proxy})
    assert (rules.for_url("https", host) is None) is bypassed


def test_lower_case_variables_win_and_all_proxy_is_the_fallback():
    env = {"https_proxy": "http://lower:1", "HTTPS_PROXY": "http://upper:2", "ALL_PROXY": "http://all:3"}
    rules = ProxyRules(env)
    https = rules.for_url("https", "slack.com")
    http = rules.for_url("http", "slack.com")
    assert https is not None and (https.host, https.source) == ("lower", "https_proxy")
    assert http is not None and (http.host, http.source) == ("all", "ALL_PROXY")
    lower_no = ProxyRules({"HTTPS_PROXY": "http://p:1", "no_proxy": "slack.com", "NO_PROXY": ""})
    assert lower_no.for_url("https", "slack.com") is None


def test_upper_case_http_proxy_is_ignored_under_cgi():
    assert ProxyRules({"HTTP_PROXY": "http://p:1"}).for_url("http", "h") is not None
    assert ProxyRules({"HTTP_PROXY": "http://p:1", "REQUEST_METHOD": "GET"}).for_url("http", "h") is None
    assert ProxyRules({"http_proxy": "http://p:1", "REQUEST_METHOD": "GET"}).for_url("http", "h") is not None


def test_an_explicit_proxy_replaces_the_environment_but_no_proxy_still_applies():
    rules = ProxyRules({"HTTPS_PROXY": "http://env:1", "NO_PROXY": "internal.test"}, "http://flag:2")
    chosen = rules.for_url("https", "slack.com")
    assert chosen is not None and chosen.host == "flag" and chosen.source == "proxy"
    assert rules.for_url("http", "x.test") is not None and rules.for_url("https", "internal.test") is None


def test_proxy_urls_are_checked_and_never_show_their_password():
    proxy = parse_proxy("user:s3cr%40t@proxy.test:8080", "HTTPS_PROXY")
    assert (proxy.host, proxy.port, proxy.username, proxy.password) == ("proxy.test", 8080, "user", "s3cr@t")
    assert proxy.redacted() == "http://***@proxy.test:8080"
    assert parse_proxy("proxy.test", "x").port == 1080  # curl's default port
    for bad in ("socks5://proxy.test:1080", "https://proxy.test", "http://:80"):
        with pytest.raises(UsageError) as info:
            parse_proxy(bad, "HTTPS_PROXY")
        assert "HTTPS_PROXY" in info.value.message and info.value.hint_key == "proxy_url"


def test_plain_http_goes_through_the_proxy_in_absolute_form():
    with answering(json_answer(b'{"ok":true}')) as url:
        port = int(url.rsplit(":", 1)[1])
        dead = free_port()
        with ConnectProxy({f"origin.test:{dead}": ("127.0.0.1", port)}) as proxy:
            response = request("GET", f"http://origin.test:{dead}/api/a?b=1", proxy=proxy.url)
    assert response.json() == {"ok": True}
    assert proxy.forwarded == [f"http://origin.test:{dead}/api/a?b=1"]


def test_https_is_tunnelled_with_connect_and_the_proxy_credentials(tls_server):
    url, ca_file, port = tls_server
    dead = free_port()
    with ConnectProxy({f"localhost:{dead}": ("127.0.0.1", port)}, credentials="u:p@ss") as proxy:
        with pytest.raises(NetworkError) as info:
            request(
                "GET",
                f"https://localhost:{dead}/api/api.test",
                ca_bundle=ca_file,
                proxy=f"http://u:wrong@{proxy.url[7:]}",
            )
        assert info.value.kind == errors.PROXY and "407" in info.value.message
        assert "wrong" not in info.value.message and "***@" in info.value.message
        response = request(
            "GET", f"https://localhost:{dead}/api/api.test", ca_bundle=ca_file, proxy=f"http://u:p%40ss@{proxy.url[7:]}"
        )
    assert response.status_code == 200 and response.json()["ok"] is True
    assert proxy.tunnels == [f"localhost:{dead}"]


def test_an_unreachable_proxy_is_named_redacted():
    with pytest.raises(NetworkError) as info:
        request("GET", "https://slack.test/api/x", proxy=f"http://me:hunter2@127.0.0.1:{free_port()}")
    assert info.value.kind == errors.PROXY and "cannot reach the proxy http://***@127.0.0.1" in info.value.message
    assert "hunter2" not in info.value.message


@pytest.fixture(scope="module")
def tls_server():
    from slackctl.emulator import start_emulator

    with start_emulator(tls=True) as emu:
        yield emu.url, emu.ca_file, emu.port


def test_trust_env_false_ignores_proxy_variables_for_local_deliveries(monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{free_port()}")  # a proxy that is not there
    with answering(json_answer(b'{"ok":true}')) as url:
        with pytest.raises(NetworkError) as info:
            request("POST", url + "/events", body=b"{}")
        assert info.value.kind == errors.PROXY
        assert request("POST", url + "/events", body=b"{}", trust_env=False).json() == {"ok": True}


def test_ssl_cert_file_and_ssl_cert_dir_are_trusted_without_a_bundle(tls_server, tmp_path, monkeypatch):
    import shutil
    import subprocess

    url, ca_file, _ = tls_server
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    with pytest.raises(NetworkError) as info:
        request("GET", url + "/api/api.test")  # certifi's list does not know the emulator's CA
    assert info.value.kind == errors.TLS_VERIFY
    monkeypatch.setenv("SSL_CERT_FILE", ca_file)
    assert request("GET", url + "/api/api.test").json()["ok"] is True
    monkeypatch.delenv("SSL_CERT_FILE")
    certs = tmp_path / "certs"
    certs.mkdir()
    shutil.copy(ca_file, certs / "emulator-ca.pem")
    openssl = shutil.which("openssl")
    assert openssl, "openssl is needed to hash a CA directory (installed with the system's OpenSSL)"
    subprocess.run([openssl, "rehash", str(certs)], check=True, capture_output=True)
    monkeypatch.setenv("SSL_CERT_DIR", str(certs))
    assert request("GET", url + "/api/api.test").json()["ok"] is True


def test_route_names_the_proxy_and_the_trust_without_sending_anything(tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("")
    env = {"HTTPS_PROXY": "http://ci:s3cret@proxy.test:3128", "NO_PROXY": "internal.test"}
    with Transport(env=env) as t:
        via, trust = t.route("https://slack.com/api/auth.test")
        assert via == "http://***@proxy.test:3128 (from HTTPS_PROXY)" and "certifi" in trust
        assert t.route("https://internal.test/x")[0] is None
    with Transport(env={"SSL_CERT_DIR": "/etc/ssl/certs"}, ca_bundle=str(bundle)) as t:
        assert t.route("https://slack.com")[1] == f"CA bundle {bundle}"
    with Transport(env={"SSL_CERT_DIR": "/etc/ssl/certs"}) as t:
        assert t.route("https://slack.com") == (None, "SSL_CERT_DIR=/etc/ssl/certs")
    assert t.connections_opened == 0


def _drops_second_request_per_connection():
    """A keep-alive server that reads a connection's second request and closes without answering: the reuse
    race (_still_open saw an open connection) made deterministic."""
    import socketserver

    seen: list[str] = []

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            for number in (1, 2):
                head = b""
                while not head.endswith(b"\r\n\r\n"):
                    line = self.rfile.readline()
                    if not line:
                        return
                    head += line
                length = int(
                    next(
                        (h.split(b":")[1] for h in head.split(b"\r\n") if h.lower().startswith(b"content-length")), b"0"
                    )
                )
                self.rfile.read(length)
                seen.append(f"request {number} on {self.client_address[1]}")
                if number == 2:
                    return  # closes the connection with no answer
                self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                self.wfile.flush()

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, seen


def test_retry_stale_resends_once_on_a_fresh_connection_when_a_kept_alive_one_was_closed():
    server, seen = _drops_second_request_per_connection()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        with Transport() as t:
            assert t.request("POST", url, {}, b"{}").status_code == 200
            assert t.request("POST", url, {}, b"{}", retry_stale=True).status_code == 200
        assert [s.split(" on ")[0] for s in seen] == ["request 1", "request 2", "request 1"]
        assert seen[1].split(" on ")[1] == seen[0].split(" on ")[1] != seen[2].split(" on ")[1]
    finally:
        server.shutdown()
        server.server_close()


def test_without_retry_stale_a_write_on_a_dropped_kept_alive_connection_is_not_repeated():
    server, seen = _drops_second_request_per_connection()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        with Transport() as t:
            t.request("POST", url, {}, b"{}")
            with pytest.raises(NetworkError) as err:
                t.request("POST", url, {}, b"{}")
        assert err.value.kind == "dropped" and len(seen) == 2
    finally:
        server.shutdown()
        server.server_close()
