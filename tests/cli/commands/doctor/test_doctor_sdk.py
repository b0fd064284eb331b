"""`slackctl doctor` in a project with Slack's hooks: the hooks it found, the SDK's versions (its doctor hook) and
updates (its check-update hook), and `doctor --upgrade` running the install-update hook. The SDK here is a real
hook program speaking the message-boundaries protocol; the real packages' get-hooks are run in
tests/devloop/test_run_sdk_hooks.py."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

# One program answers every hook: argv[1] says which; the answer goes between the boundaries, with logging around.
SDK = r"""#!/usr/bin/env python3
import json, sys
hook = sys.argv[1]
boundary = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--boundary=")), "")
def respond(data):
    print("sdk log line")
    print(boundary + json.dumps(data) + boundary if boundary else json.dumps(data))
if hook == "get-hooks":
    respond({"hooks": {h: f"./sdk {h}" for h in ("doctor", "check-update", "install-update")},
             "config": {"protocol-version": ["message-boundaries"]}, "runtime": "python"})
elif hook == "doctor":
    respond({"versions": [{"name": "python", "current": "3.11.7"}, {"name": "slack_bolt", "current": "1.18.0"}]})
elif hook == "check-update":
    respond({"name": "Slack Bolt", "releases": [
        {"name": "slack_bolt", "current": "1.18.0", "latest": "2.0.0", "update": True, "breaking": True},
        {"name": "slack_sdk", "current": "3.33.0", "latest": "3.33.0", "update": False, "breaking": False}]})
elif hook == "install-update":
    print("installing slack_bolt 2.0.0")
    open("upgraded", "w").write(" ".join(sys.argv[2:]))
"""


@pytest.fixture
def sdk_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "app"
    (root / ".slack").mkdir(parents=True)
    (root / "sdk").write_text(SDK)
    (root / "sdk").chmod(0o755 | stat.S_IXUSR)
    (root / ".slack" / "hooks.json").write_text(json.dumps({"hooks": {"get-hooks": "./sdk get-hooks"}}))
    (root / "manifest.json").write_text(json.dumps({"display_information": {"name": "Doc"}}))
    monkeypatch.chdir(root)
    return root


def test_doctor_shows_the_project_sdks_versions_and_updates(cli, sdk_project):
    result = cli("doctor", "--json")
    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    assert checks["project hooks"]["status"] == "ok"
    assert "check-update, doctor, get-hooks, install-update" in checks["project hooks"]["detail"]
    assert "protocol message-boundaries" in checks["project hooks"]["detail"]
    assert checks["project sdk"] == {
        "name": "project sdk",
        "status": "ok",
        "detail": "python 3.11.7; slack_bolt 1.18.0",
        "fix": "",
    }
    updates = checks["project sdk updates"]
    assert updates["status"] == "warn"
    assert updates["detail"] == "updates available: slack_bolt 1.18.0 → 2.0.0 (breaking)"
    assert updates["fix"] == "slackctl doctor --upgrade"


def test_doctor_upgrade_runs_the_install_update_hook(cli, sdk_project):
    result = cli("doctor", "--upgrade")
    assert "installing slack_bolt 2.0.0" in result.stderr and "the project's SDK is upgraded" in result.stderr
    # Under the SDK's protocol: the boundary flags were given, and nothing between boundaries was shown.
    assert (sdk_project / "upgraded").read_text().startswith("--protocol=message-boundaries --boundary=")


def test_a_broken_get_hooks_is_a_failing_check_with_its_words(cli, sdk_project):
    (sdk_project / ".slack" / "hooks.json").write_text(json.dumps({"hooks": {"get-hooks": "./missing-sdk"}}))
    result = cli("doctor", "--json")
    assert result.exit_code == 1
    check = {c["name"]: c for c in json.loads(result.stdout)["checks"]}["project hooks"]
    assert check["status"] == "fail" and "the get-hooks hook failed (exit 127" in check["detail"]
