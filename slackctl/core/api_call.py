"""One Web API call as slackctl makes it, without any I/O of its own: which method, which verb and encoding
(CallPlan), and every page of a paginated method merged or handed over page by page. The CLI reads fields and
files, prints, and decides exit codes (cli/commands/api/call.py)."""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slackctl.errors import UsageError
from slackctl.slack import catalog
from slackctl.slack.catalog import MethodInfo

if TYPE_CHECKING:
    from slackctl.slack.client import SlackClient, SlackResponse

# Items per page when paginating without a limit= field (Slack suggests 100-200, allows up to 1000).
PAGE_SIZE = 200
_METHOD_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+")
# Called with each page (a slack.client response) before it is used: the CLI shows headers and warnings there
# and raises to stop on ok:false.
OnPage = Callable[["SlackResponse"], None]


@dataclass
class CallPlan:
    """What will be sent, decided before any request: the command line turned into one call, with everything the
    client needs to send it (`send` and `pages` are the only ways it is sent)."""

    info: MethodInfo
    http_method: str
    params: dict[str, Any]
    json_body: dict[str, Any] | None
    anonymous: bool = False  # no Authorization header at all (--no-auth, or a method that takes no token)

    def _send_options(self) -> dict[str, Any]:
        options: dict[str, Any] = {
            "json_body": self.json_body,
            "http_method": self.http_method,
            "idempotent": self.info.is_read,
            "raise_on_error": False,
        }
        if self.anonymous:
            options["token"] = ""  # explicit: the client's own token is not sent either
        return options

    def send(self, client: SlackClient) -> SlackResponse:
        """The one call (an ok:false answer is returned, not raised)."""
        return client.call(self.info.name, self.params, **self._send_options())

    def pages(self, client: SlackClient, *, prefetch: bool) -> Iterator[SlackResponse]:
        return client.paginate(self.info.name, self.params, prefetch=prefetch, **self._send_options())


def lookup(name: str, *, force: bool = False) -> MethodInfo:
    """The catalog's entry for `name`; with `force`, a stand-in for a method the catalog does not know."""
    info = catalog.get(name)
    if info is not None:
        return info
    if not _METHOD_NAME.fullmatch(name):
        raise UsageError(f"'{name}' is not a Web API method name", "method names look like chat.postMessage")
    close = catalog.suggest(name)
    if force:
        return catalog.unknown(name)
    hint = (
        f"did you mean {' or '.join(close)}? " if close else ""
    ) + "list methods with: slackctl api list (or call it anyway with --force)"
    raise UsageError(f"unknown method '{name}'", hint)


# Secret fields a method takes (oauth.v2.access): read from a file, stdin or --input, never from argv.
INLINE_REFUSED = ("client_secret",)


def plan_call(
    info: MethodInfo,
    values: dict[str, Any],
    *,
    structured: bool,
    has_body: bool,
    http_method: str | None,
    json_body: bool,
    paginating: bool,
    limit: int | None,
    warn: Callable[[str], None],
    inline: set[str] | frozenset[str] = frozenset(),
) -> CallPlan:
    """Verb and encoding for `values` (the parsed fields, over an --input body when `has_body`): GET puts them
    in the query string; POST sends JSON when the method takes it and a value is structured (or it is asked
    for), else a form. `warn` hears about a JSON body sent to a method not documented to take one."""
    if "token" in values:
        raise UsageError(
            "tokens are not sent as a field (they would land in logs and shell history)",
            "use --token-stdin, SLACK_TOKEN, or a profile: slackctl auth login",
        )
    for name in sorted(inline & set(INLINE_REFUSED)):  # `inline`: fields whose value was typed in argv
        raise UsageError(
            f"{name} is not typed on the command line (it would land in shell history and ps)",
            f"read it from a file or stdin: {name}=@FILE or {name}=@- (or put it in --input FILE)",
        )
    if paginating and "limit" not in values and ("limit" in info.optional or info.name not in catalog.names()):
        values["limit"] = min(limit or PAGE_SIZE, PAGE_SIZE)
    verb = (http_method or "").upper()
    wants_json = json_body or has_body or structured
    if not verb:
        # A body (--input, --json-body) needs POST even for methods documented as GET.
        verb = "POST" if (json_body or has_body) else info.http_method
    if verb == "GET":
        return CallPlan(info, "GET", values, None)
    if json_body and not info.json_body:
        warn(f"{info.name} is not documented to accept JSON bodies; sending JSON because of --json-body")
    if wants_json and (info.json_body or json_body):
        return CallPlan(info, "POST", {}, values)
    # Form encoding: structured values travel as JSON text, Slack's convention for blocks/attachments.
    return CallPlan(info, "POST", values, None)


def prefetch(plan: CallPlan, limit: int | None) -> bool:
    """Ask for the next page while this one is handled, when every page will be read: never with a limit
    (a page fetched and thrown away would spend rate limit) and never for a method that is not a read."""
    return limit is None and plan.info.is_read


def _pages(client: SlackClient, plan: CallPlan, limit: int | None) -> Iterator[SlackResponse]:
    """The method's pages, stopped with an error when Slack repeats a cursor (core/cursors.py)."""
    from slackctl.core.cursors import checked_pages

    return checked_pages(plan.pages(client, prefetch=prefetch(plan, limit)), plan.info.name)


def merge_pages(client: SlackClient, plan: CallPlan, *, limit: int | None, on_page: OnPage) -> dict[str, Any]:
    """Every page merged into one response (its item list cut to `limit`), cursor cleared."""
    from slackctl.slack.client import clear_cursor, items_key, merge_page

    merged: dict[str, Any] | None = None
    key: str | None = None
    with _gc_paused():
        for page in _pages(client, plan, limit):
            on_page(page)
            if merged is None:
                merged, key = page.data, items_key(page.data)
            else:
                merge_page(merged, page.data)
            if limit is not None and key and len(merged.get(key) or []) >= limit:
                merged[key] = merged[key][:limit]
                break
    assert merged is not None
    clear_cursor(merged)
    return merged


def page_items(client: SlackClient, plan: CallPlan, *, limit: int | None, on_page: OnPage) -> Iterator[list[Any]]:
    """The items of each page as it arrives, `limit` in all; nothing is kept, so memory is flat."""
    from slackctl.slack.client import items_key

    count = 0
    key: str | None = None
    for page in _pages(client, plan, limit):
        on_page(page)
        key = key or items_key(page.data)
        items = page.data.get(key, []) if key else [page.data]
        if limit is not None:
            items = items[: limit - count]
        count += len(items)
        yield items
        if limit is not None and count >= limit:
            return


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Merging pages grows a heap of small containers the cyclic GC would rescan again and again (~15% of a
    20,000-item --paginate); the little cyclic garbage left meanwhile is tiny next to the merged data."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            # Everything allocated meanwhile sits in the youngest generation: re-enabling alone would make the
            # next allocation trigger one pass over all of it (~15 ms for 20,000 users). Frozen objects are
            # still freed by reference counting; only the cyclic collector skips them.
            gc.freeze()
            gc.enable()
