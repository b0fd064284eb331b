"""The web UI's server side over real HTTP: the page for browsers (the JSON summary for everyone else), its static
files and security headers, who may load it, the secret-free workspace summary, the live event stream, the wheel
shipping the files, and `slackctl emulator open`."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from slackctl.emulator import start_emulator
from tests.conftest import register_secret, require

REPO = Path(__file__).resolve().parents[2]
WEBUI = REPO / "slackctl" / "emulator" / "webui"
MANIFEST = {
    "display_information": {"name": "Helper"},
    "features": {
        "bot_user": {"display_name": "helper"},
        "slash_commands": [{"command": "/deploy", "description": "Ship it", "usage_hint": "[svc]"}],
        "shortcuts": [{"name": "Report", "type": "message", "callback_id": "report", "description": "Report"}],
    },
    "oauth_config": {"scopes": {"bot": ["chat:write", "commands"]}},
    "settings": {"socket_mode_enabled": True, "interactivity": {"is_enabled": True}},
}


def get(emu: Any, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def test_browsers_get_the_page_at_root_and_other_clients_keep_the_json_summary(emu: Any) -> None:
    status, headers, body = get(emu, "/", {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b'<script src="/_ui/app.js"' in body and b"<script>" not in body  # no inline script for CSP to allow
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    status, headers, body = get(emu, "/", {"Accept": "*/*"})
    assert status == 200 and json.loads(body)["emulator"] == "slackctl"
    # the page's own requests stay out of the Web API log (the JSON summary is logged, as before)
    assert [r["headers"].get("Accept") for r in emu.requests()] == ["*/*"]


@pytest.mark.parametrize(
    ("name", "kind"), [("app.js", "text/javascript"), ("blockkit.js", "text/javascript"), ("app.css", "text/css")]
)
def test_static_files_are_served_with_their_type_and_the_csp(emu: Any, name: str, kind: str) -> None:
    status, headers, body = get(emu, f"/_ui/{name}")
    assert status == 200 and headers["content-type"].startswith(kind)
    assert body == (WEBUI / name).read_bytes()
    assert "default-src 'self'" in headers["content-security-policy"]
    assert get(emu, "/_ui/../server.py")[0] == 404 and get(emu, "/_ui/routes.py")[0] == 404


def test_the_script_never_parses_strings_as_html_or_code() -> None:
    scripts = sorted(WEBUI.glob("*.js"))
    assert [p.name for p in scripts] == ["app.js", "blockkit.js"]
    # comments may name the sinks
    source = "".join(re.sub(r"(?m)^\s*//.*$", "", p.read_text()) for p in scripts)
    for sink in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        'setAttribute("style',
        "javascript:",
    ):
        assert sink not in source, sink
    # every external resource is this origin's: no CDN, no web font, no remote image
    for text in (source, (WEBUI / "app.css").read_text(), (WEBUI / "index.html").read_text()):
        assert not re.search(r"(src|href)=\"(https?:)?//", text) and "@import" not in text and "url(" not in text


@pytest.mark.parametrize(
    "headers",
    [
        {"Host": "evil.example:8787"},
        {"Host": "127.0.0.1.nip.io"},
        {"Origin": "http://evil.example"},
        {"Origin": "http://localhost.evil.example"},
        {"Origin": "http://127.0.0.1:1"},
    ],
)
def test_a_foreign_host_or_origin_is_refused(emu: Any, headers: dict[str, str]) -> None:
    for path in ("/_ui/workspace", "/_ui/app.js", "/_ui/events"):
        status, _, body = get(emu, path, headers)
        assert status == 403, path
        assert json.loads(body)["ok"] is False
    assert get(emu, "/", {**headers, "Accept": "text/html"})[0] == 403


def test_same_origin_requests_pass_for_every_loopback_name(emu: Any) -> None:
    for host in (f"127.0.0.1:{emu.port}", f"localhost:{emu.port}", f"[::1]:{emu.port}"):
        origin = f"http://{host}"
        assert get(emu, "/_ui/workspace", {"Host": host, "Origin": origin})[0] == 200, host


def test_the_workspace_summary_lists_what_the_user_sees_and_no_secret() -> None:
    with start_emulator(manifests=[MANIFEST]) as emu:
        for app in emu.apps():
            register_secret(app["bot_token"], app["app_token"], app["signing_secret"], app["client_secret"])
        emu.user("ada").channel("@grace")  # a DM between ada and grace
        ada = json.loads(get(emu, "/_ui/workspace?user=U0EMU00001")[2])
        grace = emu.user("grace").id
        other = json.loads(get(emu, f"/_ui/workspace?user={emu.user('linus').id}")[2])
        raw = get(emu, "/_ui/workspace")[2].decode()
        by_name = json.loads(get(emu, "/_ui/workspace?user=grace")[2])
        secrets = [
            v
            for a in emu.apps()
            for k, v in a.items()
            if k not in ("app_id", "name", "bot_user_id", "client_id", "socket_mode") and v
        ]
        with emu.world.lock:
            secrets += list(emu.world.tokens)
    assert ada["me"] == "U0EMU00001" and json.loads(raw)["me"] == "U0EMU00001"  # ada by default
    assert by_name["me"] == grace  # ?user=grace, as `emulator open --as grace` writes it
    assert [c["name"] for c in ada["channels"]][:2] == ["general", "random"]
    assert [d["name"] for d in ada["dms"]] == ["grace"] and other["dms"] == []
    assert grace in {u["id"] for u in ada["users"]}
    (helper,) = [a for a in ada["apps"] if a["name"] == "Helper"]
    assert helper["commands"] == [{"command": "/deploy", "description": "Ship it", "usage_hint": "[svc]"}]
    assert helper["shortcuts"] == [{"callback_id": "report", "name": "Report", "type": "message"}]
    assert secrets and not [s for s in secrets if s in raw]


def read_event(resp: http.client.HTTPResponse) -> dict[str, Any]:
    """The next `fact` event of an SSE stream (comments and the retry line skipped)."""
    event: dict[str, str] = {}
    while True:
        line = resp.fp.readline().decode()
        assert line, "the stream ended"
        if line in ("\n", "\r\n"):
            if event.get("event") == "fact":
                return json.loads(event["data"])
            event = {}
        elif not line.startswith(":") and ":" in line:
            key, _, value = line.partition(":")
            event[key] = value.strip()


def test_the_event_stream_announces_bus_facts_and_lets_go_when_the_page_goes() -> None:
    with start_emulator() as emu:
        baseline = len(emu.bus._listeners)
        conn = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=10)
        conn.request("GET", "/_ui/events", headers={"Accept": "text/event-stream"})
        resp = conn.getresponse()
        assert resp.status == 200 and resp.getheader("Content-Type").startswith("text/event-stream")
        assert "default-src 'self'" in resp.getheader("Content-Security-Policy")
        assert resp.fp.readline() == b"retry: 1000\n"  # the stream is open and subscribed once this arrives
        msg = emu.user("ada").post("#general", "live <b>news</b>")
        fact = read_event(resp)
        assert fact == {"fact": "message_posted", "channel_id": "C0EMU00001", "ts": msg["ts"]}  # ids, no bodies
        emu.user("grace").react("#general", msg["ts"], "eyes")
        assert read_event(resp)["fact"] == "reaction_added"
        assert len(emu.bus._listeners) == baseline + 1
        resp.close()  # the tab goes away: its socket closes
        conn.close()
        emu.user("ada").post("#general", "after the tab closed")  # a write to the closed socket ends the stream
        emu.user("ada").post("#general", "and once more")

        import time

        deadline = time.monotonic() + 5
        n = 0
        while len(emu.bus._listeners) != baseline and time.monotonic() < deadline:
            n += 1  # each post is a fact the dead stream tries to write, until the write fails
            emu.user("ada").post("#general", f"nudge {n}")
            time.sleep(0.01)  # let the stream's thread run; bounded by the deadline
        assert len(emu.bus._listeners) == baseline, "the stream of a closed page is still subscribed"


def test_a_stopped_emulator_ends_the_event_stream() -> None:
    from slackctl.emulator import Emulator

    emu = Emulator().start()
    conn = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=10)
    conn.request("GET", "/_ui/events")
    resp = conn.getresponse()
    assert resp.fp.readline() == b"retry: 1000\n"
    emu.stop()
    rest = resp.fp.read()  # returns (connection closed) instead of hanging until the timeout
    assert b"event: fact" not in rest
    conn.close()


def test_the_wheel_ships_the_web_ui(tmp_path: Path) -> None:
    require(shutil.which("hatchling", path=str(Path(sys.executable).parent)), "hatchling (the build backend)")
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "slackctl", src / "slackctl", ignore=ignore)
    shutil.copytree(REPO / "templates", src / "templates", ignore=ignore)
    subprocess.run(
        [str(Path(sys.executable).parent / "hatchling"), "build", "-t", "wheel", "-d", str(tmp_path)],
        cwd=src,
        check=True,
        capture_output=True,
        timeout=120,
    )
    with zipfile.ZipFile(next(tmp_path.glob("*.whl"))) as zf:
        names = set(zf.namelist())
        for name in ("index.html", "app.css", "app.js", "blockkit.js", "routes.py"):
            assert f"slackctl/emulator/webui/{name}" in names
            if name != "routes.py":
                assert zf.read(f"slackctl/emulator/webui/{name}") == (WEBUI / name).read_bytes()


# ---- slackctl emulator open ------------------------------------------------------------------------------------
def test_open_print_url_prints_the_page_url(cli: Any, emulator: Any) -> None:
    result = cli("emulator", "open", "--print-url", "--as", "grace", "--channel", "#random")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == f"{emulator.url}/?user=grace&channel=random"
    status, headers, _ = get(emulator, "/?user=grace&channel=random", {"Accept": "text/html"})
    assert status == 200 and headers["content-type"].startswith("text/html")


def test_open_hands_the_url_to_the_browser_command(cli: Any, emulator: Any, tmp_path: Path) -> None:
    seen = tmp_path / "opened.txt"
    opener = tmp_path / "browser.py"
    opener.write_text(f"import sys, pathlib\npathlib.Path({str(seen)!r}).write_text(sys.argv[1])\n")
    result = cli("emulator", "open", env={"BROWSER": f"{sys.executable} {opener} %s"})
    assert result.exit_code == 0, result.stderr
    assert seen.read_text() == f"{emulator.url}/"
    assert result.stdout == "" and f"Opened {emulator.url}/" in result.stderr


def test_open_without_an_emulator_exits_3_with_one_line(cli: Any) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = cli("--slack-url", f"http://127.0.0.1:{port}", "emulator", "open", "--print-url")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert f"no slackctl emulator answers at http://127.0.0.1:{port}" in result.stderr
    assert "slackctl emulator start" in result.stderr
