"""`slackctl doctor` with a locked keyring (a private gnome-keyring whose login collection is locked): the
keyring line and the profile's token line fail with the fix, nothing waits for an unlock prompt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, assert_no_secrets

DRIVER = Path(__file__).with_name("locked_doctor_driver.py")

pytestmark = pytest.mark.usefixtures("needs_keyring_tools")


def test_a_locked_keyring_is_a_failing_line_with_the_fix(slackctl_env, mint):
    token = mint("bot")["token"]
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SLACKCTL_IN_KEYRING_SESSION", "DBUS_SESSION_BUS_ADDRESS", "GNOME_KEYRING_CONTROL")
    }
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run(
        ["bash", str(ROOT / "scripts" / "with-keyring.sh"), sys.executable, str(DRIVER)],
        input=token + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["store"]["code"] == 0, report["store"]["stderr"]
    assert report["locked"] is True
    doctor = report["doctor"]
    assert doctor["code"] == 1, doctor
    checks = {c["name"]: c for c in json.loads(doctor["stdout"])["checks"]}
    keyring = checks["keyring"]
    assert keyring["status"] == "fail" and "locked" in keyring["detail"] and "unlock" in keyring["fix"]
    profile = checks["profile emulated-workspace (bot)"]
    assert profile["status"] == "fail" and "keyring" in profile["detail"]
    assert checks["slack"]["status"] == "ok"  # the rest of the checks still ran
    text = report["doctor_text"]["stdout"]
    (line,) = [ln for ln in text.splitlines() if " keyring: " in ln]
    assert line.startswith("fail keyring: ") and "— fix: unlock it" in line
    assert_no_secrets(doctor["stdout"] + doctor["stderr"] + text, "slackctl doctor")
