"""What the transport hands back: case-insensitive headers, a whole response, and incremental gunzip under a limit."""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from typing import Any, overload
from urllib.parse import urlsplit


class Headers:
    """Response headers: case-insensitive look-up, names lower-cased (as HTTP/2 presents them)."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._pairs = [(name.lower(), value) for name, value in pairs]
        self._map: dict[str, str] = {}
        for name, value in self._pairs:
            # Repeated headers join with a comma (RFC 9110 5.3), except Set-Cookie, which we never read.
            self._map[name] = f"{self._map[name]}, {value}" if name in self._map else value

    @overload
    def get(self, name: str) -> str | None: ...

    @overload
    def get(self, name: str, default: str) -> str: ...

    def get(self, name: str, default: str | None = None) -> str | None:
        return self._map.get(name.lower(), default)

    def __getitem__(self, name: str) -> str:
        return self._map[name.lower()]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._map

    def items(self) -> list[tuple[str, str]]:
        return list(self._pairs)


@dataclass
class Response:
    status_code: int
    reason: str
    headers: Headers
    content: bytes
    http_version: str
    url: str

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.content)


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL, without credentials, path or query: what messages may show."""
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname or ''}{port}"


class Gunzip:
    """Incremental gunzip that never inflates more than one byte past the limit (a gzip bomb stops there) and
    reads every member of a multi-member stream (RFC 1952 allows several, one after another)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)

    @property
    def complete(self) -> bool:
        return self._z.eof and not self._z.unused_data

    def feed(self, data: bytes, out: bytearray) -> None:
        """Inflate `data` onto `out`, never past limit + 1 bytes in all (appended piece by piece: no copies)."""
        try:
            while data:
                out += self._z.decompress(data, self.limit - len(out) + 1)
                if len(out) > self.limit:
                    break  # over the limit: the caller stops reading
                if self._z.eof:
                    data = self._z.unused_data
                    if data:
                        self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
                else:
                    data = b""
        except zlib.error:
            raise CorruptGzip from None


class CorruptGzip(Exception):
    pass


def size_label(limit: int) -> str:
    mb = limit / (1024 * 1024)
    return f"{mb:g} MB" if mb >= 1 else f"{limit} bytes"
