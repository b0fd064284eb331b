"""config.toml robustness, concurrent writers, and where secrets may (not) be stored."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

import pytest


def test_corrupt_config_names_file_and_line_exit_2(cli, slackctl_env, bot_token):
    cfg = Path(slackctl_env["SLACKCTL_CONFIG_DIR"])
    cfg.mkdir(parents=True)
    (cfg / "config.toml").write_text('active = "a"\n[profiles.a]\nteam_id = \n')
    result = cli("auth", "login", "--with-token", input=bot_token)
    assert result.exit_code == 2
    assert "config.toml" in result.stderr and "line 3" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    # Nothing was written over the user's (broken) file.
    assert (cfg / "config.toml").read_text().endswith("team_id = \n")


def test_config_with_wrong_types_is_a_clear_error(cli, slackctl_env):
    cfg = Path(slackctl_env["SLACKCTL_CONFIG_DIR"])
    cfg.mkdir(parents=True)
    (cfg / "config.toml").write_text('profiles = "oops"\n')
    result = cli("auth", "list")
    assert result.exit_code == 2
    assert "profiles" in result.stderr


def test_concurrent_logins_keep_every_profile(slackctl_env, mint):
    tokens = [mint("bot")["token"] for _ in range(6)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "slackctl", "auth", "login", "--with-token", "-p", f"p{i}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(len(tokens))
    ]
    threads = [threading.Thread(target=p.communicate, args=(tok,)) for p, tok in zip(procs, tokens, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert [p.returncode for p in procs] == [0] * len(tokens)
    config = tomllib.loads((Path(slackctl_env["SLACKCTL_CONFIG_DIR"]) / "config.toml").read_text())
    assert sorted(config["profiles"]) == [f"p{i}" for i in range(len(tokens))]


# keyring picks its backend once per process, so the no-keyring cases run slackctl as a subprocess.
def test_no_keyring_refuses_and_offers_insecure_storage(run_slackctl, slackctl_env, bot_token):
    env = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    result = run_slackctl("auth", "login", "--with-token", input=bot_token, env=env)
    assert result.exit_code == 4
    assert "no usable OS keyring" in result.stderr and "--insecure-storage" in result.stderr
    cfg = Path(slackctl_env["SLACKCTL_CONFIG_DIR"])
    assert not (cfg / "config.toml").exists()
    assert not (cfg / "credentials.insecure.json").exists()


def test_insecure_storage_writes_a_0600_file_and_status_says_plaintext(run_slackctl, slackctl_env, bot_token):
    env = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    result = run_slackctl("auth", "login", "--with-token", "--insecure-storage", input=bot_token, env=env)
    assert result.exit_code == 0, result.stderr
    path = Path(slackctl_env["SLACKCTL_CONFIG_DIR"]) / "credentials.insecure.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert bot_token in json.loads(path.read_text()).values()
    assert "plaintext" in result.stderr
    status = run_slackctl("auth", "status", env=env)
    assert status.exit_code == 0
    assert "plaintext file" in status.stdout
    token = run_slackctl("auth", "token", env=env, allow_secrets=True)
    assert token.stdout.strip() == bot_token


@pytest.fixture
def silent_dbus(tmp_path):
    """A D-Bus address whose socket accepts connections and never answers: a hung Secret Service."""
    path = tmp_path / "bus.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                held.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"unix:path={path}"
    stop.set()
    thread.join(2)
    for conn in held:
        conn.close()
    server.close()


def test_a_hanging_keyring_times_out_with_a_clear_error(run_slackctl, slackctl_env, bot_token, silent_dbus):
    env = {"DBUS_SESSION_BUS_ADDRESS": silent_dbus, "SLACKCTL_KEYRING_TIMEOUT": "1.5"}
    result = run_slackctl("auth", "login", "--with-token", input=bot_token, env=env, timeout=30)
    assert result.exit_code == 4, result.stderr
    assert "did not answer" in result.stderr or "keyring" in result.stderr
    assert not (Path(slackctl_env["SLACKCTL_CONFIG_DIR"]) / "config.toml").exists()


def test_atomic_write_leaves_no_temp_files(tmp_path):
    from slackctl.config import atomic_write

    target = tmp_path / "x" / "f.toml"
    atomic_write(target, "a = 1\n")
    atomic_write(target, "a = 2\n")
    assert target.read_text() == "a = 2\n"
    assert [p.name for p in target.parent.iterdir()] == ["f.toml"]
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
