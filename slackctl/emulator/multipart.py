"""multipart/form-data read as it streams in: each part's bytes go to a file-like the caller gives, chunk by chunk,
so a 60 MB upload costs a buffer of one chunk, not the several copies an in-memory parse (email.parser) makes."""

from __future__ import annotations

import email.message
import email.parser
import email.policy
import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

MAX_HEADER_BLOCK = 16 * 1024  # a part's headers; more is not a form
MAX_PARTS = 1000


class MultipartError(ValueError):
    """The body is not multipart/form-data as its Content-Type says."""


@dataclass
class Part:
    name: str | None
    filename: str | None
    content_type: str
    out: IO[bytes]  # where its bytes went (the sink's file)
    size: int = 0
    digest: Any = field(default_factory=hashlib.sha256)

    @property
    def sha256(self) -> str:
        return str(self.digest.hexdigest())


def boundary_of(content_type: str) -> bytes:
    msg = email.message.Message()
    msg["Content-Type"] = content_type
    value = msg.get_param("boundary")
    if not isinstance(value, str) or not value or len(value) > 200:
        raise MultipartError("no boundary in the Content-Type")
    return value.encode("latin-1")


def parse(
    chunks: Iterable[bytes], content_type: str, sink: Callable[[str | None, str | None, str], IO[bytes]]
) -> list[Part]:
    """Read CHUNKS (the body) as multipart/form-data; SINK(name, filename, content_type) gives each part's file.
    Raises MultipartError on a malformed or truncated body."""
    sep = b"\r\n--" + boundary_of(content_type)
    reader = _Reader(iter(chunks))
    try:
        return _parse(reader, sep, sink)
    except MultipartError:
        reader.drain()  # the rest of a malformed body is read and dropped: the connection stays usable
        raise


def _parse(reader: _Reader, sep: bytes, sink: Callable[[str | None, str | None, str], IO[bytes]]) -> list[Part]:
    reader.buf.extend(b"\r\n")  # so the first delimiter looks like every other one
    reader.skip_past(sep, keep_searching=True)
    parts: list[Part] = []
    while True:
        reader.fill(2)
        if reader.buf[:2] == b"--":
            reader.drain()  # the epilogue: read (the connection is kept alive for the next request) and dropped
            return parts
        reader.skip_past(b"\r\n", limit=1024)  # transport padding, then the line end
        if len(parts) >= MAX_PARTS:
            raise MultipartError(f"more than {MAX_PARTS} parts")
        part = _start_part(reader, sink)
        parts.append(part)
        for piece in reader.until(sep):
            part.out.write(piece)
            part.digest.update(piece)
            part.size += len(piece)


def _start_part(reader: _Reader, sink: Callable[[str | None, str | None, str], IO[bytes]]) -> Part:
    reader.fill(2)
    if reader.buf[:2] == b"\r\n":  # no headers at all
        head = b""
        del reader.buf[:2]
    else:
        head = reader.take_through(b"\r\n\r\n", MAX_HEADER_BLOCK)
    headers = email.parser.BytesHeaderParser(policy=email.policy.HTTP).parsebytes(head)
    name = headers.get_param("name", header="content-disposition")
    filename = headers.get_filename()
    ctype = headers.get_content_type() if headers.get("Content-Type") else "text/plain"
    name = name if isinstance(name, str) else None
    return Part(name, filename, ctype, sink(name, filename, ctype))


class _Reader:
    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self.buf = bytearray()

    def more(self) -> bool:
        chunk = next(self._chunks, None)
        if chunk is None:
            return False
        self.buf.extend(chunk)
        return True

    def drain(self) -> None:
        self.buf.clear()
        for _ in self._chunks:
            pass

    def fill(self, n: int) -> None:
        while len(self.buf) < n:
            if not self.more():
                raise MultipartError("the body ends before the closing boundary")

    def take_through(self, marker: bytes, limit: int) -> bytes:
        """The bytes up to MARKER (dropping the marker); at most LIMIT of them."""
        while (i := self.buf.find(marker)) < 0:
            if len(self.buf) > limit or not self.more():
                raise MultipartError("a part's headers are too long or never end")
        data = bytes(self.buf[:i])
        del self.buf[: i + len(marker)]
        return data

    def skip_past(self, marker: bytes, limit: int = 0, keep_searching: bool = False) -> None:
        """Drop everything through MARKER (within LIMIT bytes unless KEEP_SEARCHING: a preamble may be long)."""
        for _ in self.until(marker, limit=None if keep_searching else limit + len(marker)):
            pass

    def until(self, marker: bytes, limit: int | None = None) -> Iterator[bytes]:
        """The bytes before MARKER, as they come (the marker itself is dropped)."""
        seen = 0
        keep = len(marker) - 1
        while True:
            i = self.buf.find(marker)
            if i >= 0:
                if i:
                    yield bytes(self.buf[:i])
                del self.buf[: i + len(marker)]
                return
            if len(self.buf) > keep:
                piece = bytes(self.buf[:-keep]) if keep else bytes(self.buf)
                del self.buf[: len(piece)]
                seen += len(piece)
                if limit is not None and seen > limit:
                    raise MultipartError("malformed multipart body")
                yield piece
            if not self.more():
                raise MultipartError("the body ends before the closing boundary")
