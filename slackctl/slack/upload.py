"""Slack's three-step external file upload: reserve an upload URL, stream the bytes from disk, complete it."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from slackctl.slack import errors
from slackctl.slack.client import SlackClient, SlackResponse, backoff
from slackctl.slack.errors import NetworkError, SlackApiError, UsageError
from slackctl.slack.transport import Response

CHUNK_SIZE = 256 * 1024
# on_start(filename, size) then on_progress(bytes_sent) for each chunk: lets the CLI draw a progress bar.
OnStart = Callable[[str, int], None]
OnProgress = Callable[[int], None]


@dataclass
class UploadSource:
    path: Path
    filename: str
    size: int
    title: str | None = None


def check_file(path: str) -> UploadSource:
    """A local file we can upload, checked before any request is sent."""
    p = Path(path).expanduser()
    try:
        st = p.stat()
    except OSError as exc:
        raise UsageError(f"cannot upload {path}: {exc.strerror or exc}", "check the path") from None
    if not stat.S_ISREG(st.st_mode):
        raise UsageError(f"cannot upload {path}: not a regular file", "pass a file, or - to upload stdin")
    if not os.access(p, os.R_OK):
        raise UsageError(f"cannot upload {path}: permission denied", "check the file's permissions")
    return UploadSource(p, p.name, st.st_size)


@contextmanager
def spooled_stdin(stream: IO[bytes], filename: str) -> Iterator[UploadSource]:
    """Copy stdin to a private temp file chunk by chunk (Slack needs the length up front), then remove it."""
    fd, name = tempfile.mkstemp(prefix="slackctl-upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(stream, out, CHUNK_SIZE)
        yield UploadSource(Path(name), filename, os.path.getsize(name))
    finally:
        try:
            os.unlink(name)
        except OSError:
            pass


def _chunks(path: Path, on_progress: OnProgress | None) -> Iterator[bytes]:
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK_SIZE):
            yield chunk
            if on_progress:
                on_progress(len(chunk))


def send_bytes(
    client: SlackClient,
    url: str,
    source: UploadSource,
    *,
    on_progress: OnProgress | None = None,
    on_restart: Callable[[], None] | None = None,
) -> Response:
    """POST the file to its pre-signed upload URL, streamed from disk (never read whole) through the client's
    transport (same proxy, CA and limits). No token travels here: the URL is its own credential. Re-sending is
    safe (the same slot is overwritten), so 429, 5xx and transport errors are retried with a fresh stream."""
    what = f"upload of {source.filename}"
    headers = {
        "User-Agent": client.user_agent,
        "Content-Length": str(source.size),
        "Content-Type": "application/octet-stream",
    }
    attempt = 0
    while True:
        client.log_request("POST", url, headers, None)  # the body is the file: never logged
        started = time.monotonic()
        try:
            response = client.transport.request(
                "POST", url, headers, _chunks(source.path, on_progress), what=what, repeatable=True
            )
        except NetworkError as exc:
            if exc.kind in (errors.TLS_VERIFY, errors.PROXY, errors.TOO_LARGE) or attempt >= client.max_retries:
                raise
            attempt += 1
            client.wait(backoff(attempt, 0.5), f"{what} failed")
            if on_restart:
                on_restart()
            continue
        client.log_response(
            response.status_code, response.reason, response.http_version, response.headers, time.monotonic() - started
        )
        retryable = response.status_code == 429 or response.status_code >= 500
        if retryable and attempt < client.max_retries:
            attempt += 1
            wait = client.retry_wait(response, what) if response.status_code == 429 else backoff(attempt, 0.5)
            client.wait(wait, f"{what}: HTTP {response.status_code}")
            if on_restart:
                on_restart()
            continue
        if response.status_code >= 300:
            raise NetworkError(
                f"{what} failed: HTTP {response.status_code}",
                "retry; if it keeps failing, check the file size against Slack's limits",
            )
        return response


def upload_files(
    client: SlackClient,
    sources: list[UploadSource],
    *,
    channel: str | None = None,
    comment: str | None = None,
    thread_ts: str | None = None,
    on_start: OnStart | None = None,
    on_progress: OnProgress | None = None,
    on_restart: Callable[[], None] | None = None,
) -> SlackResponse:
    """Reserve, stream and complete every file; one completeUploadExternal shares them all in one message."""
    if not sources:
        raise UsageError("no files to upload", "pass one or more paths, or - for stdin")
    reserved: list[dict[str, Any]] = []
    for source in sources:
        slot = client.call(
            "files.getUploadURLExternal", {"filename": source.filename, "length": source.size}, idempotent=True
        )
        url, file_id = slot.data.get("upload_url"), slot.data.get("file_id")
        if not url or not file_id:
            raise SlackApiError(
                "files.getUploadURLExternal",
                {"ok": False, "error": "no_upload_url"},
                "Slack returned no upload_url; retry later",
            )
        if on_start:
            on_start(source.filename, source.size)
        send_bytes(client, url, source, on_progress=on_progress, on_restart=on_restart)
        reserved.append({"id": file_id, "title": source.title or source.filename})
    body: dict[str, Any] = {"files": reserved}
    if channel:
        body["channel_id"] = channel
    if comment:
        body["initial_comment"] = comment
    if thread_ts:
        body["thread_ts"] = thread_ts
    # Completing twice would post twice: never repeated after a 5xx or a dropped connection.
    return client.call("files.completeUploadExternal", json_body=body, idempotent=False)
