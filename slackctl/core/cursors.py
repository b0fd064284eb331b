"""Stop a paginated read when Slack hands back a cursor it has already given (a server bug that would loop
forever): `--paginate` and `--jsonl` go through `checked_pages`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from slackctl.errors import ExitCode, SlackctlError


class CursorLoop(SlackctlError):
    """The server repeated a next_cursor: following it would fetch the same pages again, forever (exit 1)."""

    exit_code = ExitCode.API_ERROR


def checked_pages(pages: Iterable[Any], method: str) -> Iterator[Any]:
    """Yield `pages` (responses with next_cursor()); after a page whose next cursor was already followed, raise
    CursorLoop instead of asking for it again. Remembers one short string per page."""
    followed: set[str] = set()
    for number, page in enumerate(pages, start=1):
        cursor = page.next_cursor() if page.ok else ""
        yield page  # its items are new: it answered a cursor asked for the first time
        if cursor in followed:
            raise CursorLoop(
                f"{method}: page {number} gave a next_cursor that was already followed; following "
                "it again would repeat the same pages forever",
                "the server's pagination is broken; use --limit to take fewer items, or report "
                "it to whoever runs the server",
            )
        followed.add(cursor)
