"""The Web API method catalog: verbs, JSON support, arguments, scopes, tiers (data file methods.json beside it)."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slackctl.slack.reads import is_read_method

DOCS_URL = "https://docs.slack.dev/reference/methods/{name}"
CATALOG_FILE = Path(__file__).with_name("methods.json")
# The methods that take an app-level token (Socket Mode's, and the authorizations behind an event); the source data
# lists no scopes for them.
APP_TOKEN_METHODS = frozenset({"apps.connections.open", "apps.event.authorizations.list"})


@dataclass(frozen=True)
class MethodInfo:
    name: str
    http_method: str = "POST"
    json_body: bool = False
    auth: bool = True
    required: dict[str, str] = field(default_factory=dict)
    optional: dict[str, str] = field(default_factory=dict)
    scopes: dict[str, list[str]] = field(default_factory=dict)
    tier: str | None = None
    deprecated: bool = False
    errors: tuple[str, ...] = ()

    @property
    def docs_url(self) -> str:
        return DOCS_URL.format(name=self.name)

    @property
    def group(self) -> str:
        return self.name.rsplit(".", 1)[0]

    @property
    def is_read(self) -> bool:
        """Safe to repeat after a 5xx or a dropped connection (is_read_method)."""
        return is_read_method(self.name)

    @property
    def paginated(self) -> bool:
        return "cursor" in self.optional or "cursor" in self.required

    @property
    def token_preference(self) -> tuple[str, ...]:
        """Which stored token to try first: bot when the method has bot scopes, else user (or config/app)."""
        if self.name in APP_TOKEN_METHODS:
            return ("app",)
        if "bot" in self.scopes:
            return ("bot", "user")
        if "user" in self.scopes:
            return ("user", "bot")
        if "config" in self.scopes:
            return ("config",)
        return ("bot", "user")

    @property
    def tier_label(self) -> str:
        if not self.tier:
            return "-"
        return "Special" if self.tier == "special" else f"Tier {self.tier}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "http_method": self.http_method,
            "json_body": self.json_body,
            "auth": self.auth,
            "required": dict(self.required),
            "optional": dict(self.optional),
            "scopes": {k: list(v) for k, v in self.scopes.items()},
            "rate_tier": self.tier,
            "deprecated": self.deprecated,
            "errors": list(self.errors),
            "docs_url": self.docs_url,
        }


@functools.cache
def _methods() -> dict[str, dict[str, Any]]:
    # Loaded on first use only: `slackctl --help` never pays for parsing it.
    data = json.loads(CATALOG_FILE.read_text(encoding="utf-8"))
    return data["methods"]


def names() -> list[str]:
    return list(_methods())


def get(name: str) -> MethodInfo | None:
    raw = _methods().get(name)
    if raw is None:
        return None
    return MethodInfo(
        name=name,
        http_method=raw.get("http", "POST"),
        json_body=bool(raw.get("json")),
        auth=bool(raw.get("auth")),
        required=dict(raw.get("req") or {}),
        optional=dict(raw.get("opt") or {}),
        scopes={k: list(v) for k, v in (raw.get("scopes") or {}).items()},
        tier=raw.get("tier"),
        deprecated=bool(raw.get("deprecated")),
        errors=tuple(raw.get("errors") or ()),
    )


def unknown(name: str) -> MethodInfo:
    """What to assume about a method the catalog does not know (called with --force)."""
    return MethodInfo(name=name, http_method="POST", json_body=True, auth=True)


def suggest(name: str, n: int = 3) -> list[str]:
    """Close matches for a mistyped method name (did you mean …)."""
    all_names = names()
    import difflib  # only for a misspelt name: kept off `api call`'s start-up

    close = difflib.get_close_matches(name, all_names, n=n, cutoff=0.6)
    if not close:
        # `postMessage` or `chat.post`: match on the last part or the prefix too.
        lowered = name.lower()
        close = [m for m in all_names if m.lower().endswith("." + lowered) or m.lower().startswith(lowered)][:n]
    return close


def in_group(group: str | None) -> list[MethodInfo]:
    """Methods in GROUP ('chat', 'admin.users'), or all of them."""
    out = []
    for name in names():
        if group and not (name == group or name.startswith(group.rstrip(".") + ".")):
            continue
        info = get(name)
        assert info is not None
        out.append(info)
    return out


def groups() -> list[str]:
    return sorted({name.split(".", 1)[0] for name in names()})


def complete(incomplete: str) -> list[str]:
    """Shell completion of method names."""
    return [name for name in names() if name.startswith(incomplete)]
