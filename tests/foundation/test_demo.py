"""`make demo` runs with port 8765 taken (issue 19, item 12): it picks free ports for the emulator and the login."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_runs_while_8765_is_in_use(needs_dbus_session, tmp_path):
    with socket.socket() as busy:
        busy.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            busy.bind(("127.0.0.1", 8765))
            busy.listen()
        except OSError:
            pass  # already taken by something else: the condition this test wants anyway
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK", "HTTP", "HTTPS", "ALL_PROXY"))}
        env["SLACKCTL_IN_KEYRING_SESSION"] = "1"  # the suite already runs in a private keyring session
        proc = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "demo.py")],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "demo finished" in proc.stdout and "Hello from slackctl" in proc.stdout
    assert "slackctl create my-app" in proc.stdout.split("demo finished")[1]  # ends with the next command to try
    assert "\x1b" not in proc.stdout  # a pipe gets no raw escape codes (issue 23 item 17)


def test_the_demo_ends_with_the_next_command_to_try_and_installs_no_test_tools():
    """Issue 23 item 5: `make demo` installs slackctl alone (no test extras, browser or Node) and says what to do
    next."""
    makefile = (ROOT / "Makefile").read_text()
    demo_rule = makefile[makefile.index("$(DEMO_STAMP): pyproject.toml") : makefile.index("demo: $(DEMO_STAMP)")]
    assert "pip install -q -e .\n" in demo_rule and "[test]" not in demo_rule
    keyring_script = (ROOT / "scripts" / "with-keyring.sh").read_text()
    tools = keyring_script[keyring_script.index('if [ -n "${SLACKCTL_TEST_TOOLS:-}" ]') :]
    assert "chromium" in tools.split("fi", 1)[0] and "nodejs" in tools.split("fi", 1)[0]
    assert "SLACKCTL_TEST_TOOLS=1" in makefile[makefile.index("test: $(STAMP)") :]
