"""`slackctl doctor` against the emulator: a healthy set-up is all ok (exit 0, --json shape); a skewed clock,
an untrusted CA, tokens lacking the manifest's scopes, a revoked token and loose file modes are each one failing
line with its fix (exit 1). The locked keyring is in test_doctor_keyring.py."""

from __future__ import annotations

import json
import os

import pytest


@pytest.fixture
def logged_in(cli, mint):
    token = mint("bot", scopes=["chat:write", "channels:read"])["token"]
    result = cli("auth", "login", "--with-token", input=token + "\n")
    assert result.exit_code == 0, result.stderr
    return token


@pytest.fixture
def project(tmp_path, monkeypatch):
    def _make(bot_scopes):
        root = tmp_path / "app"
        root.mkdir(exist_ok=True)
        (root / "manifest.json").write_text(
            json.dumps({"display_information": {"name": "Doc"}, "oauth_config": {"scopes": {"bot": bot_scopes}}})
        )
        monkeypatch.chdir(root)
        return root

    return _make


def _lines(result):
    return {line.split()[1].rstrip(":"): line for line in result.stdout.splitlines() if line.strip()}


def _by_name(result):
    return {c["name"]: c for c in json.loads(result.stdout)["checks"]}


def test_a_healthy_setup_is_all_ok(cli, logged_in, project):
    project(["chat:write"])
    result = cli("doctor", "--json")
    assert result.exit_code == 0, result.stdout
    data = json.loads(result.stdout)
    assert data["ok"] is True
    checks = {c["name"]: c for c in data["checks"]}
    names = {"python", "slackctl", "config", "keyring", "slack", "clock", "profile emulated-workspace (bot)"}
    assert names <= set(checks)
    assert all(set(c) == {"name", "status", "detail", "fix"} for c in data["checks"])
    assert all(c["status"] in ("ok", "warn") for c in data["checks"]), data
    assert checks["keyring"]["status"] == "ok" and "unlocked" in checks["keyring"]["detail"]
    assert "CAs: none, plain http" in checks["slack"]["detail"] and "direct" in checks["slack"]["detail"]
    assert "scopes match the manifest" in checks["profile emulated-workspace (bot)"]["detail"]


def test_each_check_is_one_line_with_its_status(cli, logged_in):
    result = cli("doctor")
    assert result.exit_code == 0, result.stdout
    lines = result.stdout.splitlines()
    assert all(line.split()[0] in ("ok", "warn", "fail") for line in lines), lines
    assert any(line.startswith("ok   slack: ") for line in lines)


def test_a_skewed_clock_fails_with_the_fix(cli, emulator, logged_in):
    emulator.date_offset = -900
    result = cli("doctor")
    assert result.exit_code == 1
    line = _lines(result)["clock"]
    assert line.startswith("fail") and "fix: sync the clock" in line
    seconds = int(line.split("this clock is ")[1].split("s ahead of Slack's")[0])
    assert 898 <= seconds <= 902


def test_a_small_skew_is_a_warning_only(cli, emulator, logged_in):
    emulator.date_offset = 120
    result = cli("doctor", "--json")
    assert result.exit_code == 0
    assert _by_name(result)["clock"]["status"] == "warn"


def test_an_untrusted_ca_fails_naming_the_cas_and_the_fix(cli, tmp_path):
    from slackctl.emulator import start_emulator

    with start_emulator(tls=True, cert_dir=tmp_path / "certs") as tls_emu:
        result = cli("doctor", env={"SLACKCTL_SLACK_URL": tls_emu.url, "SSL_CERT_FILE": None})
    assert result.exit_code == 1
    line = _lines(result)["slack"]
    assert line.startswith("fail") and "direct; CAs: " in line and "cannot verify the TLS certificate" in line
    assert "fix: " in line and "--ca-bundle" in line


def test_the_ca_in_use_is_named_and_trusted(cli, tmp_path):
    from slackctl.emulator import start_emulator

    with start_emulator(tls=True, cert_dir=tmp_path / "certs") as tls_emu:
        result = cli("--ca-bundle", tls_emu.ca_file, "doctor", env={"SLACKCTL_SLACK_URL": tls_emu.url})
    line = _lines(result)["slack"]
    assert line.startswith("ok") and tls_emu.ca_file in line


def test_a_token_lacking_the_manifests_scopes_fails_with_the_reinstall_command(cli, logged_in, project):
    project(["chat:write", "files:write"])
    result = cli("doctor")
    assert result.exit_code == 1
    line = _lines(result)["profile"]
    assert line.startswith("fail") and "lacks files:write" in line
    assert "slackctl auth login --profile emulated-workspace --scopes chat:write,files:write" in line


def test_a_revoked_token_fails(cli, emulator, logged_in):
    emulator.world.tokens[logged_in]["revoked"] = True
    result = cli("doctor", "--json")
    assert result.exit_code == 1
    check = _by_name(result)["profile emulated-workspace (bot)"]
    assert check["status"] == "fail" and "token_revoked" in check["detail"] and "auth login" in check["fix"]


def test_a_plaintext_store_readable_by_others_fails(cli, mint, slackctl_env):
    token = mint("bot")["token"]
    assert cli("auth", "login", "--with-token", "--insecure-storage", input=token + "\n").exit_code == 0
    plaintext = os.path.join(slackctl_env["SLACKCTL_CONFIG_DIR"], "credentials.insecure.json")
    os.chmod(plaintext, 0o644)
    result = cli("doctor")
    assert result.exit_code == 1
    line = _lines(result)["plaintext"]
    assert line.startswith("fail") and "0644" in line and f"chmod 600 {plaintext}" in line


def test_a_token_from_the_environment_is_checked_as_ci_would_use_it(cli, emulator, mint):
    token = mint("bot")["token"]
    ok = cli("doctor", "--json", env={"SLACK_BOT_TOKEN": token})
    assert ok.exit_code == 0, ok.stdout
    check = _by_name(ok)["token from SLACK_BOT_TOKEN"]
    assert check["status"] == "ok" and "Emulated Workspace" in check["detail"]
    emulator.world.tokens[token]["revoked"] = True
    bad = cli("doctor", "--json", env={"SLACK_BOT_TOKEN": token})
    assert bad.exit_code == 1
    check = _by_name(bad)["token from SLACK_BOT_TOKEN"]
    assert check["status"] == "fail" and "replace SLACK_BOT_TOKEN" in check["fix"]
