"""Web API method registry, the per-call context handed to handlers, argument helpers and cursor pagination."""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from slackctl.emulator.httpd import Request
    from slackctl.emulator.server import Emulator
    from slackctl.emulator.world.state import World

SLACK_DOMAINS = ("slack.com", "slack-gov.com")  # the hosts `emulator exec`'s proxy answers (exec/proxycerts.py)
MAX_LIMIT = 1000
DEFAULT_LIMIT = 100


class ApiError(Exception):
    """ok:false with `error` and any extra top-level fields (needed/provided, errors, …)."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


@dataclass
class MethodSpec:
    name: str
    handler: Callable[[Call], dict[str, Any]]
    auth: bool = True  # a token is required
    kinds: tuple[str, ...] = ("bot", "user")
    scopes: dict[str, list[str]] = field(default_factory=dict)  # any one of the listed scopes is enough
    body_token: bool = True  # a `token` form field is accepted (apps.connections.open refuses it)


REGISTRY: dict[str, MethodSpec] = {}


def method(
    name: str,
    *,
    auth: bool = True,
    kinds: tuple[str, ...] = ("bot", "user"),
    scopes: dict[str, list[str]] | None = None,
    body_token: bool = True,
) -> Callable:
    def register(fn: Callable[[Call], dict[str, Any]]) -> Callable[[Call], dict[str, Any]]:
        REGISTRY[name] = MethodSpec(name, fn, auth, kinds, scopes or {}, body_token)
        return fn

    return register


class Call:
    """One Web API call: parsed arguments, the caller's token record, and the emulator it runs in."""

    def __init__(
        self, emu: Emulator, req: Request, method: str, params: dict[str, Any], token: dict[str, Any] | None
    ) -> None:
        self.emu = emu
        self.world: World = emu.world
        self.req = req
        self.method = method
        self.params = params
        self.token = token

    # ---- arguments ----------------------------------------------------------------------------------------
    def arg(self, name: str, required: bool = False, error: str | None = None) -> str | None:
        value = self.params.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, ""):
            if required:
                if error:
                    raise ApiError(error)
                raise missing(name)
            return None
        if not isinstance(value, str):
            raise ApiError(
                "invalid_arguments", response_metadata={"messages": [f"[ERROR] expected a string for field: {name}"]}
            )
        return value

    def int_arg(self, name: str, default: int, lo: int | None = None, hi: int | None = None) -> int:
        raw = self.params.get(name)
        if raw in (None, ""):
            return default
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise ApiError(
                "invalid_arguments", response_metadata={"messages": [f"[ERROR] expected an integer for field: {name}"]}
            ) from None
        if lo is not None:
            value = max(lo, value)
        if hi is not None:
            value = min(hi, value)
        return value

    def number_arg(self, name: str, default: float, error: str | None = None) -> float:
        """A finite number such as a ts or a Unix time; anything else is ERROR (or invalid_arguments)."""
        raw = self.arg(name)
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            if error:
                raise ApiError(error)
            raise ApiError(
                "invalid_arguments", response_metadata={"messages": [f"[ERROR] expected a number for field: {name}"]}
            )
        return value

    def bool_arg(self, name: str, default: bool = False) -> bool:
        raw = self.params.get(name)
        if raw in (None, ""):
            return default
        if isinstance(raw, bool):
            return raw
        return str(raw).lower() in ("1", "true", "yes")

    def json_arg(self, name: str, required: bool = False) -> Any:
        """A structured argument: an object in a JSON body, a JSON string in a form."""
        raw = self.params.get(name)
        if raw in (None, ""):
            if required:
                raise missing(name)
            return None
        if isinstance(raw, str):
            try:
                return json.loads(raw)
            except ValueError:
                raise ApiError(
                    "invalid_arguments", response_metadata={"messages": [f"[ERROR] invalid JSON in field: {name}"]}
                ) from None
        return raw

    def list_arg(self, name: str) -> list[str]:
        raw = self.params.get(name)
        if raw in (None, ""):
            return []
        if isinstance(raw, list):
            return [str(x) for x in raw]
        return [part.strip() for part in str(raw).split(",") if part.strip()]

    # ---- helpers ------------------------------------------------------------------------------------------
    def publish(self, kind: str, **data: Any) -> None:
        """Announce a state change on the emulator's bus (see bus.py for the kinds)."""
        bus = getattr(self.emu, "bus", None)
        if bus is not None:
            bus.publish(kind, **data)

    @property
    def kind(self) -> str | None:
        return self.token["kind"] if self.token else None

    @property
    def auth(self) -> dict[str, Any]:
        """The caller's token record, for methods that require one (the dispatcher has already checked it)."""
        if self.token is None:
            raise ApiError("not_authed")
        return self.token

    @property
    def user_id(self) -> str | None:
        return self.token["user_id"] if self.token else None

    # ---- URLs in answers ------------------------------------------------------------------------------------
    @property
    def via_slack_host(self) -> bool:
        """Whether the call was made to one of Slack's hosts (Host: slack.com or *.slack.com): the case of an app
        run under `emulator exec`, whose proxy answers Slack's hosts from the emulator. Such an app gets Slack's
        own URLs (which that proxy serves too); a client of the emulator's address gets the emulator's."""
        host = self.req.header("Host").partition(":")[0].lower().rstrip(".")
        return any(host == d or host.endswith("." + d) for d in SLACK_DOMAINS)

    def workspace_url(self) -> str:
        """The caller's workspace URL with a trailing slash: https://DOMAIN.slack.com/ under exec."""
        if not self.via_slack_host:
            return f"{self.emu.url}/"
        team = self.world.teams.get((self.token or {}).get("team_id") or "") or self.world.team
        return f"https://{team['domain']}.slack.com/"

    def files_url(self) -> str:
        """Where file bytes go and come from: https://files.slack.com under exec, else the emulator."""
        return "https://files.slack.com" if self.via_slack_host else self.emu.url

    def has_scope(self, scope: str) -> bool:
        return self.token is not None and scope in self.token["scopes"]

    def page(self, kind: str, total: int) -> tuple[int, int, str]:
        """Offset paging with an opaque cursor: (start, end, next_cursor)."""
        limit = self.int_arg("limit", DEFAULT_LIMIT, 0, MAX_LIMIT) or DEFAULT_LIMIT
        start = 0
        cursor = self.arg("cursor")
        if cursor:
            start = decode_cursor(cursor, kind)
            if start > total:
                raise ApiError("invalid_cursor")
        end = min(total, start + limit)
        return start, end, encode_cursor(kind, end) if end < total else ""

    def page_of(self, kind: str, items: Iterable[Any]) -> tuple[list[Any], str]:
        """page() over a lazily filtered sequence: (the page's items, next_cursor). Reads items only up to one
        past the page, so paging through n items costs O(n), not O(n²)."""
        limit = self.int_arg("limit", DEFAULT_LIMIT, 0, MAX_LIMIT) or DEFAULT_LIMIT
        cursor = self.arg("cursor")
        start = decode_cursor(cursor, kind) if cursor else 0
        taken = list(itertools.islice(items, start + limit + 1))
        if len(taken) < start:
            raise ApiError("invalid_cursor")
        more = len(taken) > start + limit
        return taken[start : start + limit], encode_cursor(kind, start + limit) if more else ""


def missing(name: str) -> ApiError:
    return ApiError("invalid_arguments", response_metadata={"messages": [f"[ERROR] missing required field: {name}"]})


def encode_cursor(kind: str, value: int | str) -> str:
    return base64.b64encode(f"{kind}:{value}".encode()).decode()


def decode_cursor(cursor: str, kind: str) -> int:
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
        got_kind, _, value = text.partition(":")
        if got_kind != kind:
            raise ValueError(kind)
        number = int(value)
        if number < 0:
            raise ValueError(value)
        return number
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ApiError("invalid_cursor") from None
