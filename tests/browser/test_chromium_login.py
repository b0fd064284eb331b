"""`slackctl auth login` with real headless Chromium clicking Allow on the emulator's consent page.

Chromium is driven over its DevTools protocol on a pipe (--remote-debugging-pipe: NUL-separated JSON on fds 3/4),
which needs no websocket library. The click is a real mouse press/release at the Allow button's coordinates."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from tests.cli.commands.auth.test_login import LoginProcess, free_port, track_tokens
from tests.conftest import chromium_path, register_secret

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Chromium:
    """A headless Chromium and a minimal DevTools client over --remote-debugging-pipe."""

    def __init__(self, url: str, profile_dir: Path) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def wire_fds() -> None:  # runs in the child: Chromium reads commands on fd 3 and answers on fd 4
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        self.proc = subprocess.Popen(
            [chromium_path(), *FLAGS, f"--user-data-dir={profile_dir}", "--remote-debugging-pipe", url],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire_fds,
            close_fds=False,
            start_new_session=True,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._next_id = 0
        self._replies: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        buf = b""
        while True:
            try:
                chunk = os.read(self._from_chrome, 65536)
            except OSError:
                return
            if not chunk:
                return
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                msg = json.loads(raw)
                if "id" in msg:
                    with self._lock:
                        box = self._replies.get(msg["id"])
                    if box is not None:
                        box.put(msg)

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None, timeout: float = 20
    ) -> dict[str, Any]:
        with self._lock:
            self._next_id += 1
            msg_id = self._next_id
            box: queue.Queue[dict[str, Any]] = queue.Queue()
            self._replies[msg_id] = box
        msg: dict[str, Any] = {"id": msg_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._to_chrome, json.dumps(msg).encode() + b"\0")
        reply = box.get(timeout=timeout)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    def page_session(self) -> str:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            pages = [t for t in self.send("Target.getTargets")["targetInfos"] if t["type"] == "page"]
            if pages:
                return self.send("Target.attachToTarget", {"targetId": pages[0]["targetId"], "flatten": True})[
                    "sessionId"
                ]
        raise AssertionError("Chromium opened no page")

    def evaluate(self, session: str, expression: str, timeout: float = 20) -> Any:
        """Evaluate (awaiting a promise); retried while a navigation replaces the page's context."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                result = self.send(
                    "Runtime.evaluate",
                    {"expression": expression, "awaitPromise": True, "returnByValue": True},
                    session=session,
                    timeout=timeout,
                )
                if "exceptionDetails" not in result:
                    return result["result"].get("value")
            except RuntimeError:
                pass  # "Execution context was destroyed": the page navigated under us
            if time.monotonic() > deadline:
                raise AssertionError(f"could not evaluate {expression[:60]!r}")

    def click(self, session: str, x: float, y: float) -> None:
        for kind in ("mousePressed", "mouseReleased"):
            self.send(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
                session=session,
            )

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except Exception:  # noqa: BLE001 - it may already be gone
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, 9)
            self.proc.wait()
        for fd in (self._to_chrome, self._from_chrome):
            try:
                os.close(fd)
            except OSError:
                pass


WAIT_FOR = """new Promise(resolve => { const tick = () => { %s }; tick(); })"""
FIND_BUTTON = WAIT_FOR % (
    "const b = document.querySelector('#allow'); if (b) { const r = b.getBoundingClientRect();"
    " resolve({x: r.x + r.width / 2, y: r.y + r.height / 2, "
    "scopes: document.querySelector('#scopes').innerText}); } else setTimeout(tick, 50);"
)
DONE_TEXT = WAIT_FOR % (
    "if (location.pathname === '/callback' && document.body && document.body.innerText) "
    "resolve({text: document.body.innerText, url: location.href}); else setTimeout(tick, 50);"
)


def test_chromium_clicks_allow_on_the_consent_page_and_slackctl_logs_in(slackctl_env, tmp_path):
    from slackctl.emulator import start_emulator

    with start_emulator(auto_approve=False) as emu:
        port = free_port()
        app = emu.create_app(pkce_enabled=True, redirect_urls=[f"http://localhost:{port}/callback"])
        register_secret(app["client_secret"])
        login = LoginProcess(
            "--client-id",
            app["client_id"],
            "--port",
            str(port),
            "--no-browser",
            "--user-scopes",
            "chat:write,users:read",
            env={"SLACKCTL_SLACK_URL": emu.url},
            cwd=tmp_path,
        )
        browser = None
        try:
            url = login.authorize_url()
            browser = Chromium(url, tmp_path / "chromium-profile")
            session = browser.page_session()
            button = browser.evaluate(session, FIND_BUTTON)
            assert "chat:write" in button["scopes"]
            assert emu.requests("oauth.v2.access") == []  # nothing happens until the button is clicked
            browser.click(session, button["x"], button["y"])
            landed = browser.evaluate(session, DONE_TEXT)
            assert "You may close this window" in landed["text"]
            assert landed["url"].startswith(f"http://localhost:{port}/callback?code=")
            with emu.world.lock:
                register_secret(*emu.world.tokens.keys())
            result = login.finish(timeout=30)
        finally:
            login.kill()
            if browser is not None:
                browser.close()
        track_tokens(emu)
        assert result.exit_code == 0, result.stderr
        assert "Logged in to Emulated Workspace" in result.stderr
        [exchange] = emu.requests("oauth.v2.access")
        assert "code_verifier" in exchange["body"]
