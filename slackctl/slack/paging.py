"""Paging helpers: a page fetched ahead on a helper thread, and merging the pages of a paginated response."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Pending(Generic[T]):
    """One call running on a helper thread; result() returns its value or raises what it raised."""

    def __init__(self, fn: Callable[[], T]) -> None:
        import threading

        self._fn = fn
        self._value: T | None = None
        self._error: BaseException | None = None
        # A daemon thread: Ctrl-C in the main thread must not wait for a page nobody will read.
        self._thread = threading.Thread(target=self._run, name="slackctl-prefetch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer's thread by result()
            self._error = exc

    def result(self) -> T:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._value is not None
        return self._value


def items_key(data: dict[str, Any]) -> str | None:
    """The top-level array a paginated response carries its items in (members, channels, messages, …)."""
    arrays = [(key, value) for key, value in data.items() if isinstance(value, list) and key != "warnings"]
    if not arrays:
        return None
    if len(arrays) == 1:
        return arrays[0][0]
    return max(arrays, key=lambda kv: len(kv[1]))[0]


def merge_page(merged: dict[str, Any], page: dict[str, Any]) -> None:
    """Append a later page's arrays to the first page's, so --paginate prints one response."""
    for key, value in page.items():
        if isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key].extend(value)
        elif key not in merged:
            merged[key] = value


def clear_cursor(data: dict[str, Any]) -> None:
    meta = data.get("response_metadata")
    if isinstance(meta, dict) and "next_cursor" in meta:
        meta["next_cursor"] = ""
    if "next_cursor" in data:
        data["next_cursor"] = ""
