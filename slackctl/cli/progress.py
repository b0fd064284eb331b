"""Progress of a long paged call on stderr: a live line on a terminal (rich), plain lines with --progress when
piped, nothing otherwise, so `--paginate | jq` in a script stays quiet."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slackctl.cli.io import IO

if TYPE_CHECKING:
    from rich.status import Status


class PageProgress:
    """Told about each page and each retry wait; shows pages, items and the current wait."""

    def __init__(self, io: IO, method: str, *, live: bool, plain: bool) -> None:
        self.io = io
        self.method = method
        self.pages = 0
        self.items = 0
        self.waiting = ""
        self._plain = plain and not live
        self._status: Status | None = None
        if live:
            from rich.console import Console

            console = Console(file=io.stderr, no_color=not io.err_color, highlight=False)
            self._status = console.status(self._text())
            self._status.start()

    @property
    def active(self) -> bool:
        return self._status is not None or self._plain

    def _text(self) -> str:
        text = f"{self.method}: {self.pages} page{'s' if self.pages != 1 else ''}, {self.items} items"
        return text + (f" ({self.waiting})" if self.waiting else "")

    def page(self, data: dict[str, Any]) -> None:
        from slackctl.slack.client import items_key

        key = items_key(data)
        self.pages += 1
        self.items += len(data.get(key) or []) if key else 0
        self.waiting = ""
        if self._status is not None:
            self._status.update(self._text())
        elif self._plain:
            self.io.err(f"… {self._text()}")

    def wait(self, seconds: float, reason: str) -> bool:
        """Show a retry wait; True when shown here (the caller then prints no line of its own)."""
        if self._status is None:
            return False
        self.waiting = f"{reason}: retrying in {seconds:.1f}s"
        self._status.update(self._text())
        return True

    def close(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None


__all__ = ["PageProgress"]
