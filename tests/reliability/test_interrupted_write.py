"""An interrupt (SIGTERM, SIGINT) that arrives while a deploy's write to Slack is in flight: the request is let
finish, then the app it created is recorded (id, credentials in the keyring) or the manifest it changed is put
back, and slackctl exits 130. Real signals on a real `python -m slackctl` against the emulator, whose `slow` fault
holds the write open while the signal is sent.

(Interrupts while the deploy hook runs: tests/reliability/test_interrupted_deploy.py.)"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import keyring
import pytest

from tests.cli.commands.deploy.helpers import MANIFEST, config_login, export_manifest, make_project, the_app, writes
from tests.conftest import assert_no_secrets, register_secret

SLOW = 3.0  # seconds the emulator holds the write open; well inside slackctl's grace for a write


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(tmp_path / "my-app")
    monkeypatch.chdir(root)
    return root


def _default_signals() -> None:
    # The test runner may itself have been started with SIGINT ignored (a background job); slackctl must see it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _interrupt_during(
    emulator, method: str, project: Path, sig: int, args: tuple[str, ...] = ("deploy", "--yes")
) -> tuple[int, str]:
    """Run `slackctl ARGS`; signal it once `method` has reached the emulator (the slow fault was taken, so the
    request is in flight and its answer not yet sent)."""
    emulator.inject_fault(method, "slow", delay=SLOW)
    proc = subprocess.Popen(
        [sys.executable, "-m", "slackctl", *args],
        cwd=project,
        env=dict(os.environ),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_signals,
    )
    try:
        deadline = time.monotonic() + 30
        # The fault queue empties the moment the emulator starts serving `method`.
        while emulator.faults._queue:  # noqa: SLF001 - the emulator object is in this process
            assert proc.poll() is None, "slackctl ended before sending " + method
            assert time.monotonic() < deadline, f"{method} never reached the emulator"
            time.sleep(0.01)
        started = time.monotonic()
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)
        assert time.monotonic() - started < SLOW + 20, "slackctl waited far longer than the write took"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "Traceback" not in err, err
    assert_no_secrets(out + err, "interrupted slackctl deploy")
    return proc.returncode, err


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_interrupt_during_create_records_the_created_app_and_its_secrets(
    cli, mint, project, emulator, slackctl_env, sig
):
    marker = project / "hook-ran"
    make_project(project, hooks={"deploy": f"touch {marker}"})
    config_login(cli, mint)

    code, stderr = _interrupt_during(emulator, "apps.manifest.create", project, sig)

    assert code == 130, stderr
    assert writes(emulator) == ["apps.manifest.create"]  # let finish, not deleted, not repeated
    record = the_app(project)
    app_id = record["app_id"]
    app = emulator.world.apps[app_id]
    register_secret(app["client_secret"], app["signing_secret"], app["verification_token"])
    assert_no_secrets(stderr)
    service = slackctl_env["SLACKCTL_KEYRING_SERVICE"]
    assert keyring.get_password(service, f"app:{app_id}/client-secret") == app["client_secret"]
    assert keyring.get_password(service, f"app:{app_id}/signing-secret") == app["signing_secret"]
    assert keyring.get_password(service, f"app:{app_id}/verification-token") == app["verification_token"]
    assert record["client_id"] == app["client_id"] and record["manifest_hash"].startswith("sha256:")
    assert f"app {app_id} was created and recorded" in stderr
    assert not marker.exists()  # the interrupt stops the deploy before its hook
    # The next deploy knows the app: it updates nothing and creates nothing.
    again = cli("deploy", "--yes")
    assert again.exit_code == 0, again.stderr
    assert "up to date" in again.stderr and writes(emulator) == ["apps.manifest.create"]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupt_during_update_lets_it_finish_then_restores_the_previous_manifest(cli, mint, project, emulator, sig):
    config_login(cli, mint)
    assert cli("deploy").exit_code == 0
    app_id = the_app(project)["app_id"]
    before = export_manifest(emulator, mint, app_id)
    changed = json.loads(json.dumps(MANIFEST))
    changed["display_information"]["name"] = "Half Deployed"
    (project / "manifest.json").write_text(json.dumps(changed))

    code, stderr = _interrupt_during(emulator, "apps.manifest.update", project, sig)

    assert code == 130, stderr
    assert "restored the previous manifest" in stderr
    assert writes(emulator) == ["apps.manifest.create", "apps.manifest.update", "apps.manifest.update"]
    assert export_manifest(emulator, mint, app_id) == before
    # No false drift: the next deploy sees Slack as slackctl left it and offers the same change again.
    dry = cli("deploy", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "changed outside slackctl" not in dry.stderr
    assert "would update" in dry.stderr and "Half Deployed" in dry.stdout


def test_interrupt_during_a_token_refresh_stores_the_new_pair(cli, mint, project, emulator, slackctl_env):
    """The refresh spends the old refresh token at Slack: cut off, the profile would be left unable to refresh."""
    config_login(cli, mint)
    import tomllib

    profile = tomllib.loads((Path(slackctl_env["SLACKCTL_CONFIG_DIR"]) / "config.toml").read_text())["active"]
    service = slackctl_env["SLACKCTL_KEYRING_SERVICE"]
    old_refresh = keyring.get_password(service, f"{profile}/config-refresh")

    code, stderr = _interrupt_during(
        emulator, "tooling.tokens.rotate", project, signal.SIGTERM, ("tokens", "rotate", f"{profile}/config")
    )

    assert code == 130, stderr
    new_refresh = keyring.get_password(service, f"{profile}/config-refresh")
    register_secret(new_refresh, keyring.get_password(service, f"{profile}/config"))
    replaced = bool(new_refresh) and new_refresh != old_refresh  # (a bool, so a failure does not print secrets)
    assert replaced and "refreshed config token" in stderr and "was stored" in stderr
    again = cli("tokens", "rotate", f"{profile}/config")  # the stored refresh token is the live one
    assert again.exit_code == 0, again.stderr
    register_secret(
        keyring.get_password(service, f"{profile}/config-refresh"), keyring.get_password(service, f"{profile}/config")
    )
