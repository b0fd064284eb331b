"""Uploads stream to disk (issue 24 item 10): a 60 MB multipart upload to the upload URL, or multipart to the Web
API, costs the emulator a few chunks of memory, not several copies of the body. Memory is the peak RSS (VmHWM) of
`slackctl emulator start` in its own process; the multipart reader is also checked against tricky bodies."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from slackctl.emulator.multipart import MultipartError, parse

MB = 1024 * 1024
BOUNDARY = "----slackctl-test-boundary"
CTYPE = f"multipart/form-data; boundary={BOUNDARY}"


def vm(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise AssertionError(field)


def multipart_body(size: int, digest: hashlib._Hash) -> Iterator[bytes]:
    yield (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    chunk = os.urandom(MB)
    for _ in range(size // MB):
        digest.update(chunk)
        yield chunk
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


@pytest.fixture
def emulator_process(tmp_path: Path) -> Iterator[tuple[int, str]]:
    env = {**os.environ, "SLACKCTL_CONFIG_DIR": str(tmp_path / "config"), "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "slackctl", "emulator", "start", "--port", "0", "--no-rate-limits"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        yield proc.pid, url
    finally:
        proc.kill()
        proc.wait(10)


def test_a_60_mb_multipart_upload_streams_to_disk(emulator_process: tuple[int, str]) -> None:
    pid, url = emulator_process
    with httpx.Client(base_url=url, timeout=60) as http:
        token = http.post("/_emulator/tokens", json={"kind": "bot", "scopes": ["files:write"]}).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        got = http.post(
            "/api/files.getUploadURLExternal", headers=auth, data={"filename": "big.bin", "length": str(60 * MB)}
        ).json()
        before = vm(pid, "VmRSS")
        digest = hashlib.sha256()
        resp = http.post(got["upload_url"], content=multipart_body(60 * MB, digest), headers={"Content-Type": CTYPE})
        assert resp.status_code == 200 and resp.text == f"OK - {60 * MB}"
        peak = vm(pid, "VmHWM")
        (upload,) = [f for f in http.get("/_emulator/files").json()["files"] if f["file_id"] == got["file_id"]]
    assert (upload["size"], upload["sha256"]) == (60 * MB, digest.hexdigest())  # the file part, unwrapped
    assert peak - before < 40, f"peak {peak:.0f} MB from {before:.0f} MB"


def test_multipart_to_the_web_api_is_streamed_and_still_limited(emulator_process: tuple[int, str]) -> None:
    pid, url = emulator_process
    with httpx.Client(base_url=url, timeout=60) as http:
        http.post("/api/api.test")
        before = vm(pid, "VmRSS")
        answer = http.post(
            "/api/api.test", content=multipart_body(24 * MB, hashlib.sha256()), headers={"Content-Type": CTYPE}
        ).json()
        assert answer["ok"] is True and answer["args"]["note"] == "hello"
        assert answer["args"]["file"] == {"filename": "big.bin", "size": 24 * MB}
        too_big = http.post(
            "/api/api.test", content=multipart_body(40 * MB, hashlib.sha256()), headers={"Content-Type": CTYPE}
        )
        assert too_big.status_code == 413
        peak = vm(pid, "VmHWM")
    assert peak - before < 40, f"peak {peak:.0f} MB from {before:.0f} MB"


def _parse(body: bytes, chunk: int) -> list[tuple[str | None, str | None, bytes]]:
    outs: list[io.BytesIO] = []

    def sink(name: str | None, filename: str | None, ctype: str) -> io.BytesIO:
        outs.append(io.BytesIO())
        return outs[-1]

    parts = parse((body[i : i + chunk] for i in range(0, len(body), chunk)), CTYPE, sink)
    return [(p.name, p.filename, out.getvalue()) for p, out in zip(parts, outs, strict=True)]


@pytest.mark.parametrize("chunk", [1, 3, 7, 64, 65536])
def test_the_reader_finds_boundaries_split_across_chunks(chunk: int) -> None:
    b = BOUNDARY
    body = (
        f'a preamble\r\n--{b}\r\nContent-Disposition: form-data; name="a"\r\n\r\none\r\n-{b}\r\n'
        f'--{b}  \r\nContent-Disposition: form-data; name="f"; filename="x.txt"\r\n\r\n\r\n---'
        f"\r\n--{b}\r\n\r\nno headers\r\n--{b}--\r\nan epilogue"
    ).encode()
    assert _parse(body, chunk) == [
        ("a", None, f"one\r\n-{b}".encode()),
        ("f", "x.txt", b"\r\n---"),
        (None, None, b"no headers"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"--" + BOUNDARY.encode() + b"\r\n\r\nno end",
        b"no boundary at all",
        b"--" + BOUNDARY.encode() + b"\r\n" + b"h" * 20000,
    ],
)
def test_a_truncated_or_malformed_body_is_an_error(body: bytes) -> None:
    with pytest.raises(MultipartError):
        _parse(body, 4096)
