"""The control surface refuses what a web page could send it: simple (form, text/plain) POSTs, a foreign Origin,
and a Host that is not a loopback name (DNS rebinding); slackctl's own kind of client still gets through.
Real HTTP with raw requests, so the headers are exactly what a browser would send."""

from __future__ import annotations

import http.client
import json

import pytest


def _send(emu, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None):
    port = int(emu.url.rsplit(":", 1)[1])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        headers = {"Host": f"127.0.0.1:{port}", **(headers or {})}
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        resp = conn.getresponse()
        return resp.status, json.loads(resp.read() or b"null")
    finally:
        conn.close()


@pytest.mark.parametrize("ctype", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; b=x", None])
def test_a_simple_cross_site_post_cannot_mint_tokens_or_turn_on_auto_approve(emu, ctype):
    emu.auto_approve = False
    headers = {"Content-Type": ctype} if ctype else {}
    status, body = _send(emu, "POST", "/_emulator/settings", b'{"auto_approve": true}', headers)
    assert status == 415 and body["ok"] is False and "application/json" in body["error"]
    status, body = _send(emu, "POST", "/_emulator/tokens", b'{"kind": "bot"}', headers)
    assert status == 415 and "token" not in body
    assert emu.auto_approve is False


@pytest.mark.parametrize("origin", ["https://evil.example", "null", "http://127.0.0.1:1", "http://localhost.evil"])
def test_a_foreign_origin_is_refused_with_403(emu, origin):
    status, body = _send(
        emu, "POST", "/_emulator/tokens", b'{"kind": "bot"}', {"Content-Type": "application/json", "Origin": origin}
    )
    assert status == 403 and body["ok"] is False and "cross-site" in body["error"]
    status, _ = _send(emu, "GET", "/_emulator/requests", headers={"Origin": origin})
    assert status == 403


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.1.nip.io", ""])
def test_a_rebound_dns_name_in_host_is_refused(emu, host):
    status, body = _send(emu, "GET", "/_emulator/info", headers={"Host": host})
    assert status == 403 and "loopback host" in body["error"]


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "app.localhost"])
def test_loopback_clients_with_json_and_the_emulators_own_origin_are_served(emu, host):
    port = emu.url.rsplit(":", 1)[1]
    status, body = _send(
        emu,
        "POST",
        "/_emulator/tokens",
        b'{"kind": "bot"}',
        {
            "Host": f"{host}:{port}",
            "Content-Type": "application/json; charset=utf-8",
            "Origin": f"http://localhost:{port}",
        },
    )
    assert status == 200 and body["token"].startswith("xoxb-")


def test_the_providers_own_form_endpoints_still_take_forms(emu):
    status, body = _send(
        emu,
        "POST",
        "/_emulator/provider/token",
        b"grant_type=authorization_code&code=x",
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status != 415 and status != 403 and "error" in body  # refused as OAuth (bad code), not by the gate
    status, _ = _send(emu, "POST", "/_emulator/provider/clients", b'{"client_id": "c"}', {"Content-Type": "text/plain"})
    assert status == 415
