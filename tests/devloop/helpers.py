"""Helpers for the development-loop tests: the emulator's control surface over HTTP, a user's messages, and
processes (descendants of a pid, and whether they are gone)."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any


def control(url: str, path: str, body: dict[str, Any] | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        f"{url}/_emulator/{path}",
        data=data,
        method="POST" if data is not None else "GET",
        headers={"Content-Type": "application/json"},
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(req, timeout=10) as resp:
        return json.loads(resp.read())


def web_api(url: str, token: str, method: str, **params: Any) -> dict[str, Any]:
    req = urllib.request.Request(
        f"{url}/api/{method}",
        data=json.dumps(params).encode(),
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "Authorization": f"Bearer {token}"},
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(req, timeout=10) as resp:
        return json.loads(resp.read())


def installed_app(url: str) -> dict[str, Any]:
    info = control(url, "info")
    (app,) = [a for a in control(url, "apps")["apps"] if a["app_id"] != info["default_app"]["app_id"]]
    return app


def wait_for(predicate: Any, timeout: float = 20.0, interval: float = 0.05, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")


def socket_connections(url: str) -> int:
    return int(control(url, "socket-mode", {})["connections"])


def thread_replies(url: str, channel: str, ts: str) -> list[dict[str, Any]]:
    messages = control(url, f"messages?channel={channel}")["messages"]
    return [m for m in messages if m.get("thread_ts") == ts and m.get("ts") != ts]


def descendants(pid: int) -> list[int]:
    """Every live process below PID (children, grandchildren, ...), from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            parents[int(entry.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        for child, parent in parents.items():
            if parent == current:
                found.append(child)
                frontier.append(child)
    return found


def gone(pid: int, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        try:  # a zombie not yet reaped by its (re)parent counts as gone
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                return True
        except (OSError, IndexError):
            return True
        time.sleep(0.05)
    return False


_readers: dict[int, Any] = {}


def read_line(proc: subprocess.Popen[str], timeout: float = 30.0) -> str:
    """The next stdout line of PROC, failing after TIMEOUT rather than hanging the suite. A reader thread per
    process feeds a queue (select() on a buffered pipe misses lines already read into the buffer)."""
    import queue
    import threading

    assert proc.stdout is not None
    lines = _readers.get(id(proc))
    if lines is None:
        lines = _readers[id(proc)] = queue.Queue()
        stdout = proc.stdout

        def pump() -> None:
            for line in stdout:
                lines.put(line)
            lines.put("")

        threading.Thread(target=pump, daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        raise AssertionError(f"no output line within {timeout:g}s") from None
