"""JSON for bulk work (`--paginate`, `--jsonl`): orjson, which decodes a page of users ~1.7x and encodes JSON lines
~6x faster than the standard library. Decoding and encoding are most of a paging client's own time; orjson's
import costs ~20 ms, so only the paging paths import this module and a one-shot call never pays for it."""

from __future__ import annotations

import json
from typing import Any

import orjson

_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def loads(data: bytes) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        # orjson refuses integers beyond 64 bits, which the standard library reads; for anything that is not JSON
        # at all, the standard library raises the same ValueError it always did.
        return json.loads(data)


def dumps(obj: Any) -> str:
    """Compact JSON, non-ASCII kept as is: the same text json.dumps(separators=(",", ":"), ensure_ascii=False)
    gives, give or take the spelling of floats."""
    try:
        return orjson.dumps(obj).decode()
    except (TypeError, orjson.JSONEncodeError):  # an integer beyond 64 bits (decoded by the fallback above)
        return _COMPACT.encode(obj)


def dumps_lines(items: list[Any]) -> str:
    """One compact JSON text per item, joined with newlines (no trailing newline)."""
    try:
        return b"\n".join(map(orjson.dumps, items)).decode()
    except (TypeError, orjson.JSONEncodeError):
        return "\n".join(map(_COMPACT.encode, items))
