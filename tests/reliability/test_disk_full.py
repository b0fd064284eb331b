"""A full disk while slackctl writes its state: one clear line, exit 2, the old config.toml intact, no temp
file left, and the secret a failed login had stored taken out of the keyring again.

The disk is real: a 64 KiB tmpfs mounted for the test (this needs root or CAP_SYS_ADMIN; the failure says so
instead of skipping)."""

from __future__ import annotations

import errno
import os
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "tiny"
    mount.mkdir()
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", str(mount)], capture_output=True, text=True
    )
    assert proc.returncode == 0, (
        "this test mounts a 64 KiB tmpfs to fill a disk for real; run it as root "
        f"(or with CAP_SYS_ADMIN): {proc.stderr.strip()}"
    )
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(directory: Path) -> None:
    fd = os.open(directory / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 512)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)


def test_a_full_disk_during_login_is_one_clear_line_and_changes_nothing(cli, slackctl_env, mint, tiny_disk):
    config_dir = tiny_disk / "slackctl"
    env = {"SLACKCTL_CONFIG_DIR": str(config_dir)}
    bot = mint("bot")["token"]
    assert cli("auth", "login", "--with-token", input=bot + "\n", env=env).exit_code == 0
    config = config_dir / "config.toml"
    before = config.read_bytes()
    _fill(tiny_disk)

    user = mint("user")["token"]
    result = cli("auth", "login", "--with-token", input=user + "\n", env=env)

    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "disk is full" in lines[0] and str(config) in lines[0], result.stderr
    assert "unexpected" not in result.stderr and "free some space" in lines[0]
    assert config.read_bytes() == before
    assert [p.name for p in config_dir.iterdir() if p.name.endswith(".tmp")] == []  # no temp file left
    profile = next(iter(tomllib.loads(before.decode())["profiles"]))
    assert keyring.get_password(slackctl_env["SLACKCTL_KEYRING_SERVICE"], f"{profile}/user") is None
    assert keyring.get_password(slackctl_env["SLACKCTL_KEYRING_SERVICE"], f"{profile}/bot") == bot
    os.unlink(tiny_disk / "filler")
    # With space again, the same login works: nothing was left half-done in between.
    assert cli("auth", "login", "--with-token", input=user + "\n", env=env).exit_code == 0
