"""config.atomic_write, the one way slackctl replaces a file: old or new contents, never a part, even when the
writer is killed; the mode asked for; no temp files left behind; existing directories keep their mode."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from slackctl.config import atomic_write
from slackctl.errors import FileWriteError

SIZE = 1 << 20  # big enough that a plain write is seen half-done
WRITER = """
import sys
from pathlib import Path
from slackctl.config import atomic_write
path, size = Path(sys.argv[1]), int(sys.argv[2])
print("ready", flush=True)
n = 0
while True:
    atomic_write(path, (b"ab"[n % 2:n % 2 + 1]) * size, mode=0o644)
    n += 1
"""


def _whole(data: bytes) -> bool:
    return len(data) == SIZE and data.count(data[:1]) == SIZE and data[:1] in (b"a", b"b")


def test_a_reader_and_a_killed_writer_only_ever_see_a_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    atomic_write(target, b"a" * SIZE)
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(target), str(SIZE)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdout.readline() == "ready\n"
        seen: set[bytes] = set()
        deadline = time.monotonic() + 20
        while len(seen) < 2 or time.monotonic() < deadline - 18:  # at least both versions, and ~2 s of reads
            data = target.read_bytes()
            assert _whole(data), f"a reader saw {len(data)} bytes starting {data[:8]!r}"
            seen.add(data[:1])
            assert time.monotonic() < deadline, "the writer never replaced the file"
        writer.send_signal(signal.SIGKILL)  # mid-write, most likely: no cleanup runs
        writer.wait(timeout=10)
    finally:
        if writer.poll() is None:
            writer.kill()
    assert _whole(target.read_bytes())
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


@pytest.mark.parametrize("mode", [0o600, 0o644])
def test_the_mode_asked_for_whatever_the_umask(tmp_path: Path, mode: int) -> None:
    target = tmp_path / "f"
    old = os.umask(0o077 if mode == 0o644 else 0o000)
    try:
        atomic_write(target, "x", mode=mode)
        atomic_write(target, "y", mode=mode)  # replacing keeps it too
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == mode and target.read_text() == "y"


def test_an_existing_directory_keeps_its_mode_and_a_missing_one_is_private(tmp_path: Path) -> None:
    shared = tmp_path / "project"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    atomic_write(shared / "creds.json", "{}")  # e.g. deploy --credentials-out creds.json in the current dir
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    atomic_write(tmp_path / "new" / "f", "{}")
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "config.toml"
    atomic_write(target, "a = 1\n")

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(FileWriteError, match="disk is full"):
        atomic_write(target, "a = 2\n")
    assert target.read_text() == "a = 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]


def test_the_temp_file_has_a_fresh_name_so_a_planted_link_is_never_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("untouched")
    (tmp_path / "server.pem.tmp").symlink_to(elsewhere)  # the name the old emulator cert writer used
    atomic_write(tmp_path / "server.pem", "cert")
    assert elsewhere.read_text() == "untouched" and (tmp_path / "server.pem").read_text() == "cert"
