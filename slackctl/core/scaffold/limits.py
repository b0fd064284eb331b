"""What slackctl holds in memory from a template: bounded reads, and streamed copies (holes kept) for the rest."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from slackctl.errors import UsageError

MIB = 1 << 20
# Files whose placeholders are filled in, and the manifest/package files renamed in plain repositories, are read
# whole; real ones are kilobytes. Everything else is copied in a stream whatever its size.
MAX_RENDERED_BYTES = 10 * MIB
MAX_METADATA_BYTES = 1 * MIB
CHUNK = 1 * MIB
_ZEROS = bytes(CHUNK)


def format_size(size: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", MIB), ("KiB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}".replace(".0 ", " ")
    return f"{size} bytes"


def read_bounded(path: Path, limit: int, rel: str) -> bytes:
    """The whole file, refused (naming it and the limit) when it is larger than `limit`, without reading more."""
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)
        if len(data) > limit:
            size = max(os.fstat(fh.fileno()).st_size, len(data))
            raise UsageError(
                f"template file {rel!r} is {format_size(size)}, more than the {format_size(limit)} "
                "slackctl reads of it",
                "fix the template: this file is never that big in a Slack app",
            )
    return data


def too_big_to_render(rel: str, size: int) -> UsageError:
    return UsageError(
        f"template file {rel!r} is {format_size(size)} and has {{{{ placeholders }}}}; files are "
        f"rendered only up to {format_size(MAX_RENDERED_BYTES)}",
        "shrink it, take the placeholders out, or add it to exclude in slackctl-template.toml",
    )


def copy_stream(src: BinaryIO, out: BinaryIO, prefix: bytes = b"", feed: Callable[[bytes], None] | None = None) -> int:
    """Copy `prefix` then the rest of `src` to `out` in 1 MiB chunks; all-zero chunks become holes (like
    `cp --sparse=auto`), so a sparse file stays sparse. Returns the size."""
    size = 0
    pieces = (prefix[i : i + CHUNK] for i in range(0, len(prefix), CHUNK))
    for chunk in itertools.chain(pieces, iter(lambda: src.read(CHUNK), b"")):
        if feed is not None:
            feed(chunk)
        if len(chunk) == CHUNK and chunk == _ZEROS:
            out.seek(CHUNK, os.SEEK_CUR)
        else:
            out.write(chunk)
        size += len(chunk)
    out.truncate(size)  # a hole at the end is not written by seeking alone
    return size
