"""A locked OS keyring: reads and writes fail with one clear exit-4 line, nothing stored is lost and nothing is
half-written. Runs in a private D-Bus session with its own gnome-keyring, so the suite's keyring stays unlocked.
(Missing and hanging keyrings: tests/foundation/test_config_and_storage.py.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, assert_no_secrets

DRIVER = Path(__file__).with_name("locked_keyring_driver.py")

pytestmark = pytest.mark.usefixtures("needs_keyring_tools")


def test_a_locked_keyring_is_exit_4_with_a_hint_and_loses_nothing(slackctl_env, mint):
    first, second = mint("bot")["token"], mint("bot")["token"]
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SLACKCTL_IN_KEYRING_SESSION", "DBUS_SESSION_BUS_ADDRESS", "GNOME_KEYRING_CONTROL")
    }
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run(
        ["bash", str(ROOT / "scripts" / "with-keyring.sh"), sys.executable, str(DRIVER)],
        input=f"{first}\n{second}\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=90,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["store"]["code"] == 0, report["store"]["stderr"]
    assert report["locked"] is True

    for step in ("call", "login"):
        run = report[step]
        assert run["code"] == 4, run
        lines = [ln for ln in run["stderr"].splitlines() if ln.strip()]
        assert len(lines) == 1 and "Traceback" not in run["stderr"], run["stderr"]
        assert "keyring" in lines[0] and ("locked" in lines[0] or "did not answer" in lines[0]), lines[0]
        assert_no_secrets(run["stdout"] + run["stderr"], f"slackctl {' '.join(run['args'])}")
    assert report["call"]["stdout"] == ""
    # Nothing lost, nothing half-written: the profile file is byte-for-byte unchanged, the stored item remains.
    assert report["config_unchanged"] is True
    assert report["items_kept"] >= 1
