"""The Web API client: base URL, bearer auth, keep-alive, 429 and fault retries, ok:false -> SlackApiError.

No CLI code here: it returns values or raises SlackctlError subclasses.
"""

from __future__ import annotations

import functools
import json
import os
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from slackctl import __version__, settings
from slackctl.errors import NetworkError, SlackApiError, UsageError
from slackctl.slack import wire
from slackctl.slack.tokens import redact
from slackctl.slack.wire import Headers, WireError, WireResponse

if TYPE_CHECKING:
    import httpx

Log = Callable[[str], None]
# on_wait(seconds, reason): lets the CLI show a progress line while we sleep for a rate limit.
OnWait = Callable[[float, str], None]

# Words in a method name that mean it only reads, so repeating it after a 5xx or a dropped connection is safe.
_READ_VERBS = ("list", "info", "history", "replies", "test", "get", "export", "lookup", "search", "validate")


def is_read_method(method: str) -> bool:
    last = method.rsplit(".", 1)[-1]
    return any(last.startswith(verb) for verb in _READ_VERBS)


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


def ssl_context(ca_bundle: str | None = None) -> ssl.SSLContext:
    """--ca-bundle / SLACKCTL_CA_BUNDLE, else SSL_CERT_FILE, else Mozilla's CA list from certifi (what httpx
    trusted by default before Web API calls moved to http.client; unlike OpenSSL's default paths it is there on
    python.org macOS builds and slim containers), else the system defaults."""
    path = ca_bundle or os.environ.get(settings.ENV_CA_BUNDLE) or os.environ.get("SSL_CERT_FILE")
    if not path:
        try:
            import certifi
        except ImportError:
            return ssl.create_default_context()
        return ssl.create_default_context(cafile=certifi.where())
    try:
        return ssl.create_default_context(cafile=path)
    except (OSError, ssl.SSLError) as exc:
        raise UsageError(f"cannot load CA bundle {path}: {exc}", "pass a PEM file with --ca-bundle") from None


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
        base_url: str = settings.DEFAULT_SLACK_URL,
        token: str | None = None,
        *,
        timeout: float = settings.HTTP_TIMEOUT_SECONDS,
        max_retries: int = settings.MAX_RETRIES,
        ca_bundle: str | None = None,
        log: Log | None = None,
        on_wait: OnWait | None = None,
        secrets: list[str] | None = None,
        json_loads: Callable[[bytes], Any] = json.loads,
    ) -> None:
        bundle = ca_bundle or os.environ.get(settings.ENV_CA_BUNDLE)
        if bundle and not os.path.isfile(bundle):
            # Checked now (cheap); the certificates themselves load on the first https request, because loading
            # CA certificates costs tens of milliseconds and plain http (the emulator) never needs them.
            raise UsageError(f"cannot load CA bundle {bundle}: no such file", "pass a PEM file with --ca-bundle")
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.max_retries = max_retries
        self.log = log
        self.on_wait = on_wait
        self._ca_bundle = ca_bundle
        self._json_loads = json_loads
        # Known secret values to scrub from --verbose output, beyond anything token-shaped.
        self.secrets: list[str] = list(secrets or [])
        if token:
            self.secrets.append(token)
        self._user_agent = f"slackctl/{__version__}"
        self._pool = wire.Pool(timeout=timeout, connect_timeout=min(timeout, 10.0),
                               tls_context=lambda: ssl_context(self._ca_bundle))
        self._http: httpx.Client | None = None

    # -- plumbing ---------------------------------------------------------------------------------
    def close(self) -> None:
        self._pool.close()
        if self._http is not None:
            self._http.close()

    def __enter__(self) -> SlackClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def connections_opened(self) -> int:
        """TCP connections the Web API pool has opened (keep-alive reuses one across pages and retries)."""
        return self._pool.connections_opened

    @property
    def http(self) -> httpx.Client:
        """An httpx client for what is not a Web API call: streamed uploads to a pre-signed URL, signing keys."""
        if self._http is None:
            import sys

            # httpx's package __init__ imports its own command-line tool (rich, pygments, click's machinery);
            # we never use it, so a None entry makes that optional import fail fast.
            if "httpx" not in sys.modules:
                sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
            import httpx

            self._http = httpx.Client(
                timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0)),
                verify=ssl_context(self._ca_bundle),
                headers={"User-Agent": self._user_agent},
                follow_redirects=False,
                trust_env=False,
            )
        return self._http

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
            if name.lower() in ("authorization", "cookie"):
                value = f"{value.split(' ', 1)[0]} [REDACTED]"
            self._log(f"> {name.lower()}: {value}")
        if body and len(body) < 4096:
            self._log(f"> {body.decode('utf-8', 'replace')}")

    def log_response(self, status: int, reason: str, version: str, headers: Any, elapsed: float) -> None:
        if not self.log:
            return
        self._log(f"< {version} {status} {reason} ({elapsed * 1000:.0f} ms)")
        for name in ("content-type", "retry-after", "x-oauth-scopes", "x-accepted-oauth-scopes"):
            if name in headers:
                self._log(f"< {name}: {headers[name]}")

    def _wait(self, seconds: float, reason: str) -> None:
        if self.on_wait:
            self.on_wait(seconds, reason)
        time.sleep(seconds)

    # -- requests ---------------------------------------------------------------------------------
    def send(self, request: Prepared, *, idempotent: bool, method: str) -> tuple[WireResponse, int]:
        """Send with Slack's retry rules: 429 waits Retry-After; 5xx and transport errors retry with backoff
        only when repeating cannot duplicate a write (reads, or the request never reached the server).
        Returns the response and how many retries it took."""
        attempt = 0
        while True:
            self.log_request(request.method, request.url, request.headers, request.body)
            started = time.monotonic()
            try:
                response = self._pool.request(request.method, request.url, request.headers, request.body)
            except WireError as exc:
                if exc.kind == wire.TLS_VERIFY:
                    # Retrying cannot fix trust: say so at once.
                    raise NetworkError(f"cannot verify the TLS certificate of {self.base_url}",
                                       "pass the CA that signed it with --ca-bundle (or SLACKCTL_CA_BUNDLE)") from None
                if exc.kind == wire.CONNECT:
                    # Never reached the server: always safe to try again.
                    if attempt < self.max_retries:
                        attempt += 1
                        self._wait(min(2 ** (attempt - 1) * 0.25, 8.0), "connection failed")
                        continue
                    raise NetworkError(f"cannot reach {self.base_url}: {redact(exc.detail)}",
                                       "check your network, or --slack-url / SLACKCTL_SLACK_URL") from None
                if exc.kind == wire.TIMEOUT:
                    if idempotent and attempt < self.max_retries:
                        attempt += 1
                        self._wait(min(2 ** (attempt - 1) * 0.5, 8.0), "timed out")
                        continue
                    raise NetworkError(
                        f"{method}: no answer from {self.base_url} within the timeout",
                        "retry, or raise it with --timeout" + ("" if idempotent else " (the call may have been made)"),
                    ) from None
                if idempotent and attempt < self.max_retries:
                    attempt += 1
                    self._wait(min(2 ** (attempt - 1) * 0.25, 8.0), "connection dropped")
                    continue
                raise NetworkError(
                    f"{method}: connection to {self.base_url} failed: {exc.detail.split(':', 1)[0]}",
                    "retry; it was not repeated automatically because it may have been carried out"
                    if not idempotent
                    else "check your network and retry",
                ) from None
            self.log_response(response.status_code, response.reason, response.http_version, response.headers,
                              time.monotonic() - started)
            if response.status_code == 429 and attempt < self.max_retries:
                attempt += 1
                self._wait(retry_after(response), f"rate-limited on {method}")
                continue
            if response.status_code >= 500 and idempotent and attempt < self.max_retries:
                attempt += 1
                self._wait(min(2 ** (attempt - 1) * 0.5, 8.0), f"server error {response.status_code}")
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
            idempotent = http_method.upper() == "GET" or is_read_method(method)
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
        pending: _Pending | None = None
        page = self.call(method, params, json_body=json_body, **kwargs)
        while True:
            cursor = page.next_cursor() if page.ok else ""
            if cursor:
                if json_body is not None:
                    json_body = dict(json_body, cursor=cursor)
                else:
                    params = dict(params, cursor=cursor)
                if prefetch:
                    pending = _Pending(functools.partial(self.call, method, params, json_body=json_body, **kwargs))
            yield page
            if not cursor:
                return
            if pending is not None:
                page, pending = pending.result(), None
            else:
                page = self.call(method, params, json_body=json_body, **kwargs)


class _Pending:
    """One call running on a helper thread; result() returns its response or raises what it raised."""

    def __init__(self, fn: Callable[[], SlackResponse]) -> None:
        import threading

        self._fn = fn
        self._value: SlackResponse | None = None
        self._error: BaseException | None = None
        # A daemon thread: Ctrl-C in the main thread must not wait for a page nobody will read.
        self._thread = threading.Thread(target=self._run, name="slackctl-prefetch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer's thread by result()
            self._error = exc

    def result(self) -> SlackResponse:
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


def retry_after(response: WireResponse | httpx.Response) -> float:
    try:
        return max(0.0, float(response.headers.get("retry-after", "1") or "1"))
    except ValueError:
        return 1.0


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


def parse_response(method: str, response: WireResponse, retries: int = 0,
                   loads: Callable[[bytes], Any] = json.loads) -> SlackResponse:
    if response.status_code == 429:
        data = _json_or_none(response.content, loads) or {"ok": False, "error": "ratelimited"}
        data.setdefault("error", "ratelimited")
        return SlackResponse(method, 429, response.headers, data, response.http_version, retries,
                             {"retry_after": retry_after(response)}, response.reason)
    body = _json_or_none(response.content, loads)
    if body is None:
        if response.status_code >= 500:
            raise NetworkError(
                f"{method}: Slack answered HTTP {response.status_code}", "Slack may be having trouble; retry later"
            )
        raise NetworkError(
            f"{method}: expected JSON from {urlsplit(response.url).hostname}, got HTTP {response.status_code} "
            f"{response.headers.get('content-type', 'with no content type')}",
            "check --slack-url (it must be the Slack host root, e.g. https://slack.com)",
        )
    return SlackResponse(method, response.status_code, response.headers, body, response.http_version, retries,
                         reason=response.reason)


def _json_or_none(content: bytes, loads: Callable[[bytes], Any] = json.loads) -> dict[str, Any] | None:
    try:
        data = loads(content)
    except ValueError:  # includes UnicodeDecodeError
        return None
    return data if isinstance(data, dict) else None
