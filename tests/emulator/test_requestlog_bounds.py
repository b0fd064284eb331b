"""The request log and the Web API against what any web page or client can send (issue 24 item 4): a foreign web
Origin is refused before the body is read; what the log keeps is bounded per entry and in total.

Memory is the emulator's own (`slackctl emulator start` in a subprocess), read from /proc/PID/status."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from slackctl.emulator.requestlog import ENTRY_BYTES, RequestLog

MB = 1024 * 1024
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def proc_status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no {field}")


@pytest.fixture
def emulator_process(tmp_path: Path) -> Iterator[tuple[int, str]]:
    env = {**os.environ, "SLACKCTL_CONFIG_DIR": str(tmp_path / "config"), "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "slackctl", "emulator", "start", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        yield proc.pid, url
    finally:
        proc.kill()
        proc.wait(10)


def test_twenty_mb_form_posts_from_a_foreign_origin_are_refused_unread(emulator_process: tuple[int, str]) -> None:
    pid, url = emulator_process
    body = b"text=" + b"a" * (20 * MB)
    with httpx.Client(base_url=url, timeout=30) as http:
        http.post("/api/api.test")
        before = proc_status_mb(pid, "VmRSS")
        for _ in range(5):
            resp = http.post("/api/chat.postMessage", content=body, headers={**FORM, "Origin": "https://evil.example"})
            assert (resp.status_code, resp.json()) == (403, {"ok": False, "error": "cross_origin_refused"})
        logged = http.get("/_emulator/requests", params={"method": "chat.postMessage"}).json()["requests"]
    assert len(logged) == 5 and all(e["body"] is None and e["status"] == 403 for e in logged)
    assert proc_status_mb(pid, "VmHWM") - before < 40  # drained in 64 KB chunks, never held


def test_big_bodies_without_an_origin_leave_the_log_bounded(emu: Any) -> None:
    body = b"text=" + b"a" * (4 * MB)
    with httpx.Client(base_url=emu.url, timeout=30) as http:
        http.post("/api/api.test")
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            for _ in range(6):  # a script, no token: answered not_authed, and logged
                assert http.post("/api/chat.postMessage", content=body, headers=FORM).json()["error"] == "not_authed"
            gc.collect()
            retained = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
    logged = emu.requests("chat.postMessage")
    assert len(logged) == 6
    for entry in logged:
        assert len(json.dumps(entry)) < ENTRY_BYTES + 1024
        assert entry["body"]["text"].endswith(f"…({4 * MB - 4096} more characters)")
    assert retained < 2 * MB  # the log keeps 6 x 16 KB, not 6 x 4 MB


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "http://localhost.evil.example", "null", "file://", "chrome-extension://abcdef"]
)
def test_a_foreign_web_origin_is_refused(emu: Any, bot: str, origin: str) -> None:
    resp = httpx.post(f"{emu.url}/api/auth.test", data={"token": bot}, headers={"Origin": origin})
    assert (resp.status_code, resp.json()["error"]) == (403, "cross_origin_refused")


@pytest.mark.parametrize("origin", [None, "http://localhost:3000", "http://127.0.0.1:8080", "https://[::1]:8443"])
def test_no_origin_or_a_loopback_page_is_served(emu: Any, bot: str, origin: str | None) -> None:
    headers = {"Origin": origin} if origin else {}
    resp = httpx.post(f"{emu.url}/api/auth.test", data={"token": bot}, headers=headers)
    assert resp.status_code == 200 and resp.json()["ok"] is True


def test_the_log_keeps_a_byte_budget_dropping_the_oldest() -> None:
    log = RequestLog(size=5000, total_bytes=200_000)
    for i in range(100):
        log.add({"method": f"m{i}", "path": "/api/x", "body": {"text": "x" * 100_000, "n": i}})
    kept = log.list()
    assert log.held_bytes() <= 200_000
    assert 10 <= len(kept) < 100 and kept[-1]["method"] == "m99"  # the newest kept, the oldest gone
    assert all(e["body"]["n"] == int(e["method"][1:]) for e in kept)  # cut strings, not fields before them


def test_a_long_dict_or_list_is_cut_with_a_note_of_what_was_left_out() -> None:
    log = RequestLog()
    log.add({"method": "m", "body": {f"k{i}": "v" * 100 for i in range(1000)}, "headers": {}})
    (entry,) = log.list()
    assert len(entry["body"]) < 200 and entry["body"]["…"].endswith("more fields)")
    log.add({"method": "m", "body": ["v" * 100] * 1000})
    assert log.list()[-1]["body"][-1].endswith("more items)")
