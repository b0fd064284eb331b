"""The proxy under load: many short TLS connections to slack.com through it, while other clients talk to the
emulator directly, never mix bytes between connections (a socket is closed only when no thread still uses it)."""

from __future__ import annotations

import http.client
import json
import ssl
import threading
import urllib.parse

from slackctl.emulator.exec.intercept import SlackProxy


def test_parallel_tls_through_the_proxy_and_direct_calls_stay_apart(emulator) -> None:
    token = emulator.mint_token("bot")["token"]
    errors: list[str] = []
    with SlackProxy(emulator.url) as proxy:
        port = int(proxy.url.rsplit(":", 1)[1])
        context = ssl.create_default_context(cafile=str(proxy.bundle))
        direct = urllib.parse.urlsplit(emulator.url)

        def through_proxy() -> None:
            for _ in range(25):
                conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
                conn.set_tunnel("slack.com", 443, headers=proxy.auth_headers)
                conn.request(
                    "POST",
                    "/api/auth.test",
                    headers={"Authorization": f"Bearer {token}", "Connection": "close", "Content-Length": "0"},
                )
                body = conn.getresponse().read()
                conn.close()
                if not json.loads(body).get("ok"):
                    errors.append(f"proxied: {body[:80]!r}")

        def direct_calls() -> None:
            for _ in range(50):
                conn = http.client.HTTPConnection(direct.hostname, direct.port, timeout=10)
                try:
                    conn.request("GET", "/api/api.test")
                    body = conn.getresponse().read()
                    if not json.loads(body).get("ok"):
                        errors.append(f"direct: {body[:80]!r}")
                except (http.client.HTTPException, ValueError) as exc:
                    errors.append(f"direct: {type(exc).__name__}: {exc!s:.80}")
                finally:
                    conn.close()

        threads = [threading.Thread(target=through_proxy) for _ in range(4)]
        threads += [threading.Thread(target=direct_calls) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    assert errors == []
    assert all(r["headers"].get("Host") == "slack.com" for r in emulator.requests("auth.test"))
    assert len(emulator.requests("auth.test")) == 100
