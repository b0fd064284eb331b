"""The fast Secret Service read path (slackctl/secretservice.py): it reads exactly what keyring's SecretService
backend stores, answers None only when it is sure, hands every uncertain case (no bus, locked, hung) back to
KeyringStore, and keeps keyring and cryptography out of the process. Runs against the real gnome-keyring of
scripts/with-keyring.sh; the locked case gets a private D-Bus session of its own."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from slackctl import credentials, secretservice
from slackctl.credentials import KeyringStore
from slackctl.errors import KeyringError
from slackctl.secretservice import FastPathUnavailable, SecretServiceTimeout, read_secret
from tests.conftest import ROOT, assert_no_secrets, register_secret

pytestmark = pytest.mark.usefixtures("needs_dbus_session")

SECRET = "xoxb-fast-päth-✓-秘密-" + os.urandom(6).hex()


def _keyring_backend():
    from keyring.backends import SecretService

    return SecretService.Keyring()


def test_a_secret_stored_by_keyring_store_is_read_back_identically(slackctl_env):
    service = slackctl_env["SLACKCTL_KEYRING_SERVICE"]
    KeyringStore().set("work", "bot", SECRET)
    assert read_secret(service, "work/bot", 5) == SECRET
    # ... and it is what keyring itself returns for the same entry.
    assert _keyring_backend().get_password(service, "work/bot") == SECRET
    assert KeyringStore().get("work", "bot") == SECRET


def test_a_secret_stored_by_keyrings_own_backend_is_read_back_identically(slackctl_env):
    service = slackctl_env["SLACKCTL_KEYRING_SERVICE"]
    odd = 'xoxp-\u00e9\u00df\u4e2d\U0001f511 spaces\ttab"quote\\' + os.urandom(4).hex()
    _keyring_backend().set_password(service, "home/user", odd)
    assert read_secret(service, "home/user", 5) == odd
    # An overwrite (keyring replaces the item) is seen at once.
    _keyring_backend().set_password(service, "home/user", SECRET)
    assert read_secret(service, "home/user", 5) == SECRET


def test_a_missing_item_is_none(slackctl_env):
    service = slackctl_env["SLACKCTL_KEYRING_SERVICE"]
    assert read_secret(service, "nobody/bot", 5) is None
    assert KeyringStore().get("nobody", "bot") is None


def test_items_are_isolated_by_service_and_username(slackctl_env):
    service = slackctl_env["SLACKCTL_KEYRING_SERVICE"]
    other = service + "-other"
    KeyringStore().set("a", "bot", "secret-a-bot")
    KeyringStore().set("a", "user", "secret-a-user")
    KeyringStore(service=other).set("a", "bot", "secret-other-a-bot")
    try:
        assert read_secret(service, "a/bot", 5) == "secret-a-bot"
        assert read_secret(service, "a/user", 5) == "secret-a-user"
        assert read_secret(other, "a/bot", 5) == "secret-other-a-bot"
        assert read_secret(other, "a/user", 5) is None
        assert read_secret(service, "a", 5) is None  # attributes match exactly, not by prefix
        assert read_secret(service[:-1], "a/bot", 5) is None
    finally:
        KeyringStore(service=other).delete("a", "bot")
    # Deleting through keyring is seen by the fast path.
    KeyringStore().delete("a", "user")
    assert read_secret(service, "a/user", 5) is None


def test_keyring_config_path_is_computed_like_keyring_does(monkeypatch, tmp_path):
    import keyring.core

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert credentials._keyring_config_file() == keyring.core._config_path()
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert credentials._keyring_config_file() == keyring.core._config_path()


def test_the_fast_path_is_skipped_when_keyring_is_configured(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    assert credentials._fast_read_applies() is sys.platform.startswith("linux")
    monkeypatch.setenv("KEYRING_PROPERTY_PREFERRED_COLLECTION", "/org/freedesktop/secrets/collection/other")
    assert credentials._fast_read_applies() is False
    monkeypatch.delenv("KEYRING_PROPERTY_PREFERRED_COLLECTION")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    assert credentials._fast_read_applies() is False
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    (tmp_path / "python_keyring").mkdir()
    (tmp_path / "python_keyring" / "keyringrc.cfg").write_text("[backend]\n")
    assert credentials._fast_read_applies() is False


def test_no_session_bus_means_unavailable(monkeypatch):
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS")
    with pytest.raises(FastPathUnavailable, match="DBUS_SESSION_BUS_ADDRESS"):
        read_secret("svc", "p/bot", 5)


def test_a_bus_address_pointing_at_nothing_falls_back_to_keyring(monkeypatch, tmp_path, slackctl_env):
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-such-bus'}")
    started = time.monotonic()
    with pytest.raises(FastPathUnavailable) as caught:
        read_secret("svc", "p/bot", 5)
    assert not isinstance(caught.value, SecretServiceTimeout)
    assert time.monotonic() - started < 2
    # The whole read then takes keyring's way and ends with keyring's own "no keyring" error (a subprocess:
    # keyring picks its backend once per process).
    probe = (
        "from slackctl.credentials import KeyringStore\n"
        "from slackctl.errors import KeyringError\n"
        "try:\n    KeyringStore().get('p', 'bot')\nexcept KeyringError as e:\n    print('ERR', e)\n"
        "import sys; print('keyring' in sys.modules)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 0, proc.stderr
    assert "ERR no usable OS keyring" in proc.stdout, proc.stdout
    assert proc.stdout.strip().endswith("True")  # keyring was really consulted


def test_when_the_fast_path_cannot_answer_keyring_gives_the_result(monkeypatch, slackctl_env):
    # The fast path is replaced here (its real "cannot answer" cases all break keyring too in this session);
    # what is under test is KeyringStore's fallback, which runs for real.
    KeyringStore().set("fb", "bot", SECRET)
    calls: list[str] = []

    def unavailable(service: str, username: str, timeout: float) -> str | None:
        calls.append(username)
        raise FastPathUnavailable("pretend")

    monkeypatch.setattr(secretservice, "read_secret", unavailable)
    assert KeyringStore().get("fb", "bot") == SECRET
    assert KeyringStore().get("fb", "user") is None
    assert calls == ["fb/bot", "fb/user"]


@pytest.fixture
def stalling_bus(tmp_path: Path) -> Iterator[str]:
    """A bus that completes D-Bus authentication and then never answers a message (not even Hello)."""
    path = tmp_path / "stall.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(4)
    server.settimeout(0.2)
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            held.append(conn)
            conn.settimeout(5)
            try:
                buf = b""
                while b"BEGIN\r\n" not in buf:
                    chunk = conn.recv(1024)
                    if not chunk:
                        break
                    if b"AUTH" in chunk:
                        conn.sendall(b"OK 0123456789abcdef0123456789abcdef\r\n")
                    buf += chunk
            except OSError:
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"unix:path={path}"
    stop.set()
    thread.join(2)
    for conn in held:
        conn.close()
    server.close()


def test_a_bus_that_stalls_after_authenticating_times_out_once(monkeypatch, stalling_bus, slackctl_env):
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", stalling_bus)
    outcome: list[BaseException | str | None] = []

    def run() -> None:
        try:
            outcome.append(read_secret("svc", "p/bot", 0.8))
        except BaseException as exc:  # noqa: BLE001 - inspected below
            outcome.append(exc)

    started = time.monotonic()
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "read_secret hung on a bus that never answers"
    assert isinstance(outcome[0], SecretServiceTimeout), outcome
    assert time.monotonic() - started < 3
    # Through KeyringStore: the usual "did not answer" error after one timeout, not a second wait in keyring.
    started = time.monotonic()
    with pytest.raises(KeyringError, match=r"did not answer within 1s \(reading a secret\)"):
        KeyringStore(timeout=1).get("p", "bot")
    assert time.monotonic() - started < 1.8  # one timeout, not two


IMPORT_PROBE = """
import json, sys
expected = sys.stdin.read()
from slackctl.credentials import KeyringStore
store = KeyringStore()
found = store.get("guard", "bot")
missing = store.get("guard", "nothing-here")
print(json.dumps({"same": found == expected, "missing": missing,
                  "loaded": [m for m in ("keyring", "cryptography", "secretstorage") if m in sys.modules],
                  "jeepney": "jeepney" in sys.modules}))
"""


def test_a_fast_read_imports_neither_keyring_nor_cryptography(slackctl_env):
    register_secret(SECRET)
    KeyringStore().set("guard", "bot", SECRET)
    proc = subprocess.run(
        [sys.executable, "-c", IMPORT_PROBE],
        input=SECRET,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 0, proc.stderr
    assert_no_secrets(proc.stdout + proc.stderr, "import probe")
    report = json.loads(proc.stdout)
    assert report == {"same": True, "missing": None, "loaded": [], "jeepney": True}


LOCKED_DRIVER = """
import json, os, sys, time
from slackctl.credentials import KeyringStore
from slackctl.errors import KeyringError
from slackctl.secretservice import FastPathUnavailable, SecretServiceTimeout, read_secret
from jeepney import DBusAddress, new_method_call
from jeepney.io.blocking import open_dbus_connection

secret = sys.stdin.read()
service = os.environ["SLACKCTL_KEYRING_SERVICE"]
report = {}
KeyringStore().set("locked", "bot", secret)
report["before"] = read_secret(service, "locked/bot", 5) == secret

def outcome(username):
    try:
        return "value" if read_secret(service, username, 5) is not None else "none"
    except SecretServiceTimeout:
        return "timeout"
    except FastPathUnavailable as exc:
        return "unavailable: " + str(exc)

# Lock the default collection the way a screen lock does: org.freedesktop.Secret.Service.Lock.
conn = open_dbus_connection()
service_obj = DBusAddress("/org/freedesktop/secrets", bus_name="org.freedesktop.secrets",
                          interface="org.freedesktop.Secret.Service")
conn.send_and_get_reply(new_method_call(service_obj, "Lock", "ao", (["/org/freedesktop/secrets/aliases/default"],)),
                        timeout=5)
conn.close()
report["present"] = outcome("locked/bot")
report["absent"] = outcome("locked/nothing")
started = time.monotonic()
try:
    KeyringStore(timeout=10).get("locked", "bot")
    report["get"] = "no error"
except KeyringError as exc:
    report["get"] = str(exc)
report["get_seconds"] = time.monotonic() - started
print(json.dumps(report))
"""


@pytest.mark.usefixtures("needs_keyring_tools")
def test_a_locked_collection_is_left_to_keyring(slackctl_env):
    register_secret(SECRET)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SLACKCTL_IN_KEYRING_SESSION", "DBUS_SESSION_BUS_ADDRESS", "GNOME_KEYRING_CONTROL")
    }
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run(
        ["bash", str(ROOT / "scripts" / "with-keyring.sh"), sys.executable, "-c", LOCKED_DRIVER],
        input=SECRET,
        capture_output=True,
        text=True,
        env=env,
        timeout=90,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert_no_secrets(proc.stdout + proc.stderr, "locked driver")
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["before"] is True
    # Locked: no value, and not "None" either (keyring would try to unlock first), even for an absent item.
    assert report["present"] == "unavailable: the default collection is locked"
    assert report["absent"] == "unavailable: the default collection is locked"
    # keyring's path then reports the locked keyring in the existing wording.
    assert report["get"].startswith("the OS keyring is locked (reading a secret)") or report["get"].startswith(
        "the OS keyring did not answer"
    ), report
