"""Emulator throughput, run by hand: python bench/emulator_bench.py [--seconds N]

Requests/second for auth.test and for paging users.list over 20,000 generated users (limit 200), with one
keep-alive httpx client, over plain HTTP and TLS. A second figure uses http.client, which costs the client
less, to show what the server itself can do.
"""

from __future__ import annotations

import argparse
import http.client
import json
import ssl
import time

import httpx

from slackctl.emulator import start_emulator


def bench_httpx(client: httpx.Client, token: str, seconds: float) -> tuple[float, float]:
    headers = {"Authorization": f"Bearer {token}"}
    n, end = 0, time.perf_counter() + seconds
    start = time.perf_counter()
    while time.perf_counter() < end:
        assert client.post("/api/auth.test", headers=headers).json()["ok"]
        n += 1
    auth_rps = n / (time.perf_counter() - start)
    pages, users = 0, 0
    start = time.perf_counter()
    cursor = ""
    while True:
        body = client.get("/api/users.list", params={"limit": 200, "cursor": cursor}, headers=headers).json()
        pages += 1
        users += len(body["members"])
        cursor = body["response_metadata"]["next_cursor"]
        if not cursor:
            break
    return auth_rps, pages / (time.perf_counter() - start)


def bench_http_client(emu, token: str, seconds: float) -> float:
    host, port = emu.url.split("://")[1].split(":")
    if emu.url.startswith("https"):
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            host, int(port), context=ssl.create_default_context(cafile=emu.ca_file)
        )
    else:
        conn = http.client.HTTPConnection(host, int(port))
    headers = {"Authorization": f"Bearer {token}", "Content-Length": "0"}
    n, end = 0, time.perf_counter() + seconds
    start = time.perf_counter()
    while time.perf_counter() < end:
        conn.request("POST", "/api/auth.test", headers=headers)
        assert json.loads(conn.getresponse().read())["ok"]
        n += 1
    conn.close()
    return n / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="duration of each auth.test run")
    args = parser.parse_args()
    for tls in (False, True):
        with start_emulator(tls=tls, seed={"generate": {"users": 20000}}) as emu:
            token = emu.mint_token("bot")["token"]
            verify = ssl.create_default_context(cafile=emu.ca_file) if tls else True
            with httpx.Client(base_url=emu.url, verify=verify) as client:
                auth_rps, pages_rps = bench_httpx(client, token, args.seconds)
            raw_rps = bench_http_client(emu, token, args.seconds)
            label = "TLS  " if tls else "plain"
            print(f"{label} auth.test (httpx)        {auth_rps:8.0f} req/s")
            print(f"{label} auth.test (http.client)  {raw_rps:8.0f} req/s")
            print(
                f"{label} users.list limit=200     {pages_rps:8.0f} pages/s "
                f"({pages_rps * 200:,.0f} users/s over 20,000 users)"
            )


if __name__ == "__main__":
    main()
