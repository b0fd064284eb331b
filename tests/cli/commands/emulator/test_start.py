"""`slackctl emulator start` as a real subprocess: URL first on stdout, clean exit on SIGTERM and Ctrl-C."""

from __future__ import annotations

import os
import queue
import signal
import socket
import ssl
import subprocess
import sys
import threading

import httpx
import pytest

from tests.emulator.conftest import call


def _start(*args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-m", "slackctl", "emulator", "start", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


_readers: dict[int, queue.Queue] = {}


def _readline(proc: subprocess.Popen, timeout: float = 20) -> str:
    """The next stdout line, waiting at most `timeout` (a reader thread, since pipes buffer ahead)."""
    lines = _readers.get(proc.pid)
    if lines is None:
        lines = _readers[proc.pid] = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    try:
        return lines.get(timeout=timeout).strip()
    except queue.Empty:
        proc.kill()
        pytest.fail(f"no output within {timeout}s; stderr: {proc.stderr.read()}")


def _stop(proc: subprocess.Popen, sig: int) -> str:
    """Signal the emulator, wait for it to exit, and return its stderr (small, so the pipe never fills)."""
    proc.send_signal(sig)
    proc.wait(timeout=20)
    return proc.stderr.read()


def test_start_prints_url_first_and_stops_cleanly_on_sigterm():
    proc = _start("--port", "0", "--auto-approve")
    try:
        url = _readline(proc)
        assert url.startswith("http://127.0.0.1:")
        with httpx.Client(base_url=url) as client:
            assert client.get("/").json()["ok"] is True
            token = client.post("/_emulator/tokens", json={"kind": "bot"}).json()["token"]
            assert call(client, "auth.test", token)["ok"] is True
        err = _stop(proc, signal.SIGTERM)
    finally:
        proc.kill()
    assert proc.returncode == 0
    assert "client secret 5ec7e75ec7e75ec7e75ec7e75ec7e700" in err
    assert "xoxb-" in err and "xoxp-" in err and "Traceback" not in err
    assert "Slack emulator stopped." in err


def test_ctrl_c_exits_130():
    proc = _start("--port", "0")
    try:
        _readline(proc)
        err = _stop(proc, signal.SIGINT)
    finally:
        proc.kill()
    assert proc.returncode == 130 and "Traceback" not in err


def test_tls_prints_the_ca_file_on_the_second_line(tmp_path):
    proc = _start("--port", "0", "--tls", "--cert-dir", str(tmp_path))
    try:
        url, ca_file = _readline(proc), _readline(proc)
        assert url.startswith("https://") and ca_file == str(tmp_path / "ca.pem")
        with httpx.Client(verify=ssl.create_default_context(cafile=ca_file)) as client:
            assert client.get(url + "/").status_code == 200
        _stop(proc, signal.SIGTERM)
    finally:
        proc.kill()
    assert proc.returncode == 0


def test_port_in_use_is_a_usage_error():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "slackctl", "emulator", "start", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 2
    assert "already in use" in result.stderr and "--port 0" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_missing_seed_file_is_a_usage_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "slackctl", "emulator", "start", "--port", "0", "--seed", str(tmp_path / "nope.json")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2 and "nope.json" in result.stderr


def test_state_file_is_written_on_shutdown(tmp_path):
    state = tmp_path / "state.json"
    proc = _start("--port", "0", "--state", str(state))
    try:
        _readline(proc)
        _stop(proc, signal.SIGTERM)
    finally:
        proc.kill()
    assert proc.returncode == 0 and state.exists()


def test_typer_app_help_lists_the_options(cli):
    result = cli("emulator", "start", "--help")
    assert result.exit_code == 0
    for flag in (
        "--host",
        "--port",
        "--tls",
        "--state",
        "--auto-approve",
        "--seed",
        "--no-rate-limits",
        "--time-scale",
    ):
        assert flag in result.output


def test_non_loopback_hosts_are_recognised_for_the_warning():
    from slackctl.slack.httpserver import is_loopback_host

    assert is_loopback_host("127.0.0.1") and is_loopback_host("localhost") and is_loopback_host("::1")
    assert is_loopback_host("127.0.0.2")
    assert not is_loopback_host("0.0.0.0") and not is_loopback_host("192.168.1.10")


def test_date_offset_skews_the_date_header_of_every_answer():
    import email.utils
    import time

    proc = _start("--port", "0", "--date-offset", "-600")
    try:
        url = _readline(proc)
        with httpx.Client(base_url=url) as client:
            date = client.get("/").headers["date"]
            assert -605 < email.utils.parsedate_to_datetime(date).timestamp() - time.time() < -595
            client.post("/_emulator/reset", json={})  # reset keeps the start-up offset
            date = client.get("/api/api.test").headers["date"]
            assert -605 < email.utils.parsedate_to_datetime(date).timestamp() - time.time() < -595
        _stop(proc, signal.SIGTERM)
    finally:
        proc.kill()
    assert proc.returncode == 0


def test_grid_starts_an_org_of_two_workspaces_and_says_so():
    proc = _start("--port", "0", "--grid")
    try:
        url = _readline(proc)
        with httpx.Client(base_url=url) as client:
            token = client.post("/_emulator/tokens", json={"kind": "user", "team": "T0EMU0002"}).json()["token"]
            assert call(client, "auth.test", token)["enterprise_id"] == "E0EMU0001"
            org_admin = client.post("/_emulator/tokens", json={"kind": "user"}).json()["token"]
            teams = call(client, "admin.teams.list", org_admin)["teams"]
        err = _stop(proc, signal.SIGTERM)
    finally:
        proc.kill()
    assert [t["id"] for t in teams] == ["T0EMU0001", "T0EMU0002"]
    assert "org            Emulated Org (E0EMU0001, Enterprise Grid; org admin U0EMU00001)" in err
    assert "Emulated Workspace Two (T0EMU0002" in err
