"""The Web API client: base URL, bearer auth, 429 and fault retries with a capped wait, ok:false -> SlackApiError.

It imports nothing of slackctl outside this package: requests go through slack/transport.py, errors come from
slack/errors.py with neutral hints, and waits go through an injectable `sleep` (tests pass one that records).
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from slackctl.slack import errors
from slackctl.slack.errors import NetworkError, SlackApiError, transport_error
from slackctl.slack.paging import Pending, clear_cursor, items_key, merge_page
from slackctl.slack.reads import is_read_method
from slackctl.slack.tokens import redact
from slackctl.slack.transport import DEFAULT_MAX_BODY, DEFAULT_TIMEOUT, Headers, Response, Transport, origin_of

DEFAULT_SLACK_URL = "https://slack.com"
DEFAULT_MAX_RETRIES = 5
# Slack asks for waits of seconds, a minute at most: a longer Retry-After is reported rather than slept through.
DEFAULT_MAX_RETRY_WAIT = 120.0

Log = Callable[[str], None]
# on_wait(seconds, reason): called before every wait, so a CLI can say that it is waiting and for how long.
OnWait = Callable[[float, str], None]
Sleep = Callable[[float], None]
# The sleep a client uses when none is given, looked up at each wait (tests replace it to skip real back-off).
SLEEP: Sleep = time.sleep
__all__ = [
    "Prepared",
    "SlackClient",
    "SlackResponse",
    "clear_cursor",
    "items_key",
    "merge_page",
    "parse_response",
    "parse_retry_after",
    "retry_after",
]


def backoff(attempt: int, base: float) -> float:
    """Seconds before retry number `attempt` (1, 2, ...): doubling from `base`, at most 8 s."""
    return min(2 ** (attempt - 1) * base, 8.0)


@dataclass
class SlackResponse:
    method: str
    status_code: int
    headers: Headers
    data: dict[str, Any]
    http_version: str = "HTTP/1.1"
    retries: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    reason: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.data.get("ok"))

    @property
    def scopes(self) -> list[str]:
        raw = self.headers.get("x-oauth-scopes", "") or ""
        return [s.strip() for s in raw.split(",") if s.strip()]

    def next_cursor(self) -> str:
        meta = self.data.get("response_metadata") or {}
        return str(meta.get("next_cursor") or self.data.get("next_cursor") or "")


@dataclass
class Prepared:
    """One Web API request, ready to send (and to log with its secrets redacted)."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None


class SlackClient:
    def __init__(
        self,
        base_url: str = DEFAULT_SLACK_URL,
        token: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        ca_bundle: str | None = None,
        proxy: str | None = None,
        max_body: int = DEFAULT_MAX_BODY,
        max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT,
        log: Log | None = None,
        on_wait: OnWait | None = None,
        sleep: Sleep | None = None,
        waiting: Callable[[], contextlib.AbstractContextManager[None]] = contextlib.nullcontext,
        secrets: list[str] | None = None,
        json_loads: Callable[[bytes], Any] = json.loads,
        user_agent: str = "slackctl",
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_retry_wait = max_retry_wait
        self.log = log
        self.on_wait = on_wait
        self._sleep = sleep
        self._waiting = waiting
        self._json_loads = json_loads
        self.transport = Transport(timeout=timeout, ca_bundle=ca_bundle, proxy=proxy, max_body=max_body, log=self._log)
        # Known secret values to scrub from --verbose output, beyond anything token-shaped.
        self.secrets: list[str] = list(secrets or []) + self.transport.secrets
        if token:
            self.secrets.append(token)
        self._user_agent = user_agent

    # -- plumbing ---------------------------------------------------------------------------------
    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> SlackClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def connections_opened(self) -> int:
        """TCP connections the transport has opened (keep-alive reuses one across pages and retries)."""
        return self.transport.connections_opened

    @property
    def user_agent(self) -> str:
        return self._user_agent

    def api_url(self, method: str) -> str:
        return f"{self.base_url}/api/{method}"

    def _log(self, text: str) -> None:
        if self.log:
            self.log(redact(text, self.secrets))

    def log_request(self, method: str, url: str, headers: dict[str, str], body: bytes | None) -> None:
        """`> ` lines for --verbose; Authorization and Cookie values never appear, bodies only when small."""
        if not self.log:
            return
        self._log(f"> {method} {url}")
        for name, value in headers.items():
            if name.lower() in ("authorization", "cookie", "proxy-authorization"):
                value = f"{value.split(' ', 1)[0]} [REDACTED]"
            self._log(f"> {name.lower()}: {value}")
        if body and len(body) < 4096:
            self._log(f"> {body.decode('utf-8', 'replace')}")

    def log_response(self, status: int, reason: str, version: str, headers: Headers, elapsed: float) -> None:
        if not self.log:
            return
        self._log(f"< {version} {status} {reason} ({elapsed * 1000:.0f} ms)")
        for name in ("content-type", "retry-after", "x-oauth-scopes", "x-accepted-oauth-scopes"):
            if name in headers:
                self._log(f"< {name}: {headers[name]}")

    def wait(self, seconds: float, reason: str) -> None:
        """Tell on_wait, then sleep (through the injected sleep, so tests never wait for real back-off), both inside
        `waiting()`: the caller's mark that nothing is in flight, set before the announcement so an interrupt that
        follows it is never taken for one during a request."""
        with self._waiting():
            if self.on_wait:
                self.on_wait(seconds, reason)
            (self._sleep or SLEEP)(seconds)

    def retry_wait(self, response: Response, what: str) -> float:
        """The Retry-After wait, checked: malformed or beyond max_retry_wait is an error naming the value."""
        raw = response.headers.get("retry-after")
        seconds = parse_retry_after(raw)
        if seconds is None:
            raise transport_error(
                errors.RETRY_AFTER,
                origin="",
                what=what,
                detail=f"rate-limited with a malformed Retry-After: {raw!r:.60}",
            )
        if seconds > self.max_retry_wait:
            raise transport_error(
                errors.RETRY_AFTER,
                origin="",
                what=what,
                detail=f"rate-limited with Retry-After: {raw or seconds:.40} (longer than the "
                f"{self.max_retry_wait:g}s this client waits)",
            )
        return seconds

    # -- requests ---------------------------------------------------------------------------------
    def send(self, request: Prepared, *, idempotent: bool, method: str) -> tuple[Response, int]:
        """Send with Slack's retry rules: 429 waits Retry-After (capped); 5xx and transport errors retry with
        backoff only when repeating cannot duplicate a write (reads, or the request never reached the server).
        Returns the response and how many retries it took."""
        attempt = 0
        while True:
            self.log_request(request.method, request.url, request.headers, request.body)
            started = time.monotonic()
            try:
                response = self.transport.request(
                    request.method, request.url, request.headers, request.body, what=method, repeatable=idempotent
                )
            except NetworkError as exc:
                retry = (
                    attempt < self.max_retries
                    and not exc.streaming
                    and not exc.refused_here
                    and (exc.kind == errors.CONNECT or (idempotent and exc.kind in (errors.TIMEOUT, errors.DROPPED)))
                )
                if not retry:
                    raise
                attempt += 1
                base = 0.5 if exc.kind == errors.TIMEOUT else 0.25
                reason = {errors.CONNECT: "connection failed", errors.TIMEOUT: "timed out"}.get(
                    exc.kind, "connection dropped"
                )
                self.wait(backoff(attempt, base), reason)
                continue
            self.log_response(
                response.status_code,
                response.reason,
                response.http_version,
                response.headers,
                time.monotonic() - started,
            )
            if response.status_code == 429 and attempt < self.max_retries:
                attempt += 1
                self.wait(self.retry_wait(response, method), f"rate-limited on {method}")
                continue
            if response.status_code >= 500 and idempotent and attempt < self.max_retries:
                attempt += 1
                self.wait(backoff(attempt, 0.5), f"server error {response.status_code}")
                continue
            return response, attempt

    def build_request(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        json_body: dict[str, Any] | None = None,
        http_method: str = "POST",
        token: str | None = None,
        auth: tuple[str, str] | None = None,
    ) -> Prepared:
        headers: dict[str, str] = {"User-Agent": self._user_agent, "Accept-Encoding": "gzip"}
        token = token if token is not None else self.token
        if token:
            headers["Authorization"] = f"Bearer {token}"
        elif auth:
            import base64

            pair = f"{auth[0]}:{auth[1]}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
            self.secrets.append(auth[1])
        url = self.api_url(method)
        if http_method.upper() == "GET":
            query = urlencode(_form_values(params or {}))
            return Prepared("GET", url + (f"?{query}" if query else ""), headers, None)
        if json_body is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
            body = json.dumps(json_body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
            return Prepared("POST", url, headers, body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return Prepared("POST", url, headers, urlencode(_form_values(params or {})).encode())

    def call(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        json_body: dict[str, Any] | None = None,
        http_method: str = "POST",
        token: str | None = None,
        auth: tuple[str, str] | None = None,
        idempotent: bool | None = None,
        raise_on_error: bool = True,
    ) -> SlackResponse:
        request = self.build_request(
            method, params, json_body=json_body, http_method=http_method, token=token, auth=auth
        )
        if idempotent is None:
            idempotent = is_read_method(method)
        response, retries = self.send(request, idempotent=idempotent, method=method)
        result = parse_response(method, response, retries, self._json_loads)
        if raise_on_error and not result.ok:
            raise SlackApiError(method, result.data)
        return result

    def paginate(
        self, method: str, params: dict[str, Any] | None = None, *, prefetch: bool = False, **kwargs: Any
    ) -> Iterator[SlackResponse]:
        """Follow response_metadata.next_cursor (or top-level next_cursor) until it is empty.

        Pages are yielded as they arrive and not kept, so memory stays flat however many items there are.
        With raise_on_error=False an ok:false page is yielded and ends the iteration. With prefetch=True (for
        reads, when every page will be wanted) the next page is requested as soon as this one's cursor is known,
        so Slack builds it while the caller handles this one; at most two pages are held."""
        params = dict(params or {})
        json_body = kwargs.pop("json_body", None)
        if json_body is not None:
            json_body = dict(json_body)
        # If the caller stops early (an error page, a closed pipe), a prefetched read just finishes on its
        # daemon thread; nobody waits for it.
        pending: Pending | None = None
        page = self.call(method, params, json_body=json_body, **kwargs)
        while True:
            cursor = page.next_cursor() if page.ok else ""
            if cursor:
                if json_body is not None:
                    json_body = dict(json_body, cursor=cursor)
                else:
                    params = dict(params, cursor=cursor)
                if prefetch:
                    pending = Pending(functools.partial(self.call, method, params, json_body=json_body, **kwargs))
            yield page
            if not cursor:
                return
            if pending is not None:
                page, pending = pending.result(), None
            else:
                page = self.call(method, params, json_body=json_body, **kwargs)


def parse_retry_after(raw: str | None, now: float | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date; absent: 1), or None when it is
    malformed: not a number or date, negative, NaN or infinite."""
    if raw is None or not raw.strip():
        return 1.0
    try:
        seconds = float(raw)
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            seconds = parsedate_to_datetime(raw).timestamp() - (time.time() if now is None else now)
        except (TypeError, ValueError, IndexError):
            return None
        seconds = max(0.0, seconds)  # a date in the past means "now"
    if not math.isfinite(seconds) or seconds < 0:
        return None
    return seconds


def retry_after(response: Response) -> float:
    """The wait a 429 asks for, for display (a malformed value reads as 1 s; SlackClient.retry_wait refuses it)."""
    seconds = parse_retry_after(response.headers.get("retry-after"))
    return 1.0 if seconds is None else seconds


def _form_values(params: dict[str, Any]) -> dict[str, str]:
    """Form fields must be strings: Slack expects JSON text for structured values (blocks, attachments)."""
    out: dict[str, str] = {}
    for key, value in params.items():
        if isinstance(value, str):
            out[key] = value
        elif isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif value is None:
            continue
        elif isinstance(value, (int, float)):
            out[key] = str(value)
        else:
            out[key] = json.dumps(value, separators=(",", ":"))
    return out


def parse_response(
    method: str, response: Response, retries: int = 0, loads: Callable[[bytes], Any] = json.loads
) -> SlackResponse:
    if response.status_code == 429:
        data = _json_or_none(response.content, loads, method, response.url) or {"ok": False, "error": "ratelimited"}
        data.setdefault("error", "ratelimited")
        return SlackResponse(
            method,
            429,
            response.headers,
            data,
            response.http_version,
            retries,
            {"retry_after": retry_after(response)},
            response.reason,
        )
    body = _json_or_none(response.content, loads, method, response.url)
    if body is None:
        if response.status_code >= 500:
            raise NetworkError(
                f"{method}: Slack answered HTTP {response.status_code}", "Slack may be having trouble; retry later"
            )
        raise NetworkError(
            f"{method}: expected JSON from {urlsplit(response.url).hostname}, got HTTP {response.status_code} "
            f"{response.headers.get('content-type', 'with no content type')}",
            "check the Slack URL (it must be the Slack host root, e.g. https://slack.com)",
            kind=errors.MALFORMED,
            hint_key="not_json",
        )
    return SlackResponse(
        method, response.status_code, response.headers, body, response.http_version, retries, reason=response.reason
    )


def _json_or_none(
    content: bytes, loads: Callable[[bytes], Any] = json.loads, method: str = "request", url: str = ""
) -> dict[str, Any] | None:
    try:
        data = loads(content)
    except RecursionError:
        raise _too_deep(method, url) from None
    except ValueError as exc:  # includes UnicodeDecodeError
        if "recursion" in str(exc).lower():  # orjson's words for nesting past its 1024 levels
            raise _too_deep(method, url) from None
        return None
    return data if isinstance(data, dict) else None


def _too_deep(method: str, url: str) -> NetworkError:
    return transport_error(
        errors.MALFORMED, origin=origin_of(url), what=method, detail="its JSON is nested too deeply to read"
    )
