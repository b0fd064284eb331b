"""Which proxy a request goes through: an explicit proxy URL, or the environment as curl reads it.

HTTPS_PROXY / https_proxy for https URLs, HTTP_PROXY / http_proxy for http URLs, ALL_PROXY / all_proxy for
either, NO_PROXY / no_proxy for the hosts that go direct; the lower-case spelling wins when both are set. Like
Python's urllib (and against curl, which ignores HTTP_PROXY entirely), the upper-case HTTP_PROXY is ignored when
REQUEST_METHOD is set, so a CGI request's `Proxy:` header cannot pick our proxy ("httpoxy"). NO_PROXY entries:
`*` (everything), a host name (matches it and its sub-domains; a leading dot means the same), an IP address or a
CIDR block (v4 or v6, `[::1]` allowed), each optionally with `:port` (ignored, as curl does).
An explicit proxy (a CLI's --proxy) replaces the *_PROXY variables for every scheme; NO_PROXY still applies.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from slackctl.slack.errors import UsageError

if TYPE_CHECKING:
    import ipaddress


@dataclass(frozen=True)
class Proxy:
    host: str
    port: int
    username: str = ""
    password: str = ""
    source: str = ""  # where it came from, for --verbose: "HTTPS_PROXY", "--proxy", ...

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.host, self.port, self.username)

    def redacted(self) -> str:
        """The proxy URL for logs and messages: the password (and user name) never appear."""
        cred = "***@" if self.username or self.password else ""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{cred}{host}:{self.port}"

    def authorization(self) -> str | None:
        """Proxy-Authorization header value (Basic), or None without credentials."""
        if not (self.username or self.password):
            return None
        pair = f"{self.username}:{self.password}".encode()
        return "Basic " + base64.b64encode(pair).decode()

    @property
    def secrets(self) -> list[str]:
        return [s for s in (self.password, self.authorization()) if s]


def parse_proxy(url: str, source: str) -> Proxy:
    """http://[user:password@]host[:port]; no scheme means http:// (as curl); other schemes are refused."""
    raw = url.strip()
    if "://" not in raw:
        raw = "http://" + raw
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise UsageError(f"{source}: not a proxy URL", "give it as http://host:port", hint_key="proxy_url") from None
    if parts.scheme.lower() != "http":
        raise UsageError(
            f"{source}: {parts.scheme}:// proxies are not supported",
            "use an http:// proxy (https is tunnelled through it with CONNECT)",
            hint_key="proxy_url",
        )
    if not parts.hostname:
        raise UsageError(f"{source}: the proxy URL has no host", "give it as http://host:port", hint_key="proxy_url")
    return Proxy(parts.hostname, port or 1080, unquote(parts.username or ""), unquote(parts.password or ""), source)


def _env(env: Mapping[str, str], name: str, *, upper: bool = True) -> tuple[str, str] | None:
    """(value, variable name) of the lower-case spelling, else the upper-case one; empty counts as unset."""
    for variable in (name.lower(), name.upper()) if upper else (name.lower(),):
        value = env.get(variable, "").strip()
        if value:
            return value, variable
    return None


class ProxyRules:
    """Decides, per URL, the proxy to use (or None: go direct)."""

    def __init__(self, env: Mapping[str, str], explicit: str | None = None) -> None:
        self._by_scheme: dict[str, Proxy | None] = {}
        if explicit:
            proxy = parse_proxy(explicit, "proxy")
            self._by_scheme = {"http": proxy, "https": proxy}
        else:
            fallback = _env(env, "all_proxy")
            cgi = bool(env.get("REQUEST_METHOD"))
            for scheme in ("http", "https"):
                found = _env(env, f"{scheme}_proxy", upper=not (scheme == "http" and cgi)) or fallback
                self._by_scheme[scheme] = parse_proxy(found[0], found[1]) if found else None
        no_proxy = _env(env, "no_proxy")
        self._no_proxy = _parse_no_proxy(no_proxy[0]) if no_proxy else _NoProxy(False, (), ())

    @property
    def proxies(self) -> list[Proxy]:
        return [proxy for proxy in self._by_scheme.values() if proxy is not None]

    def for_url(self, scheme: str, host: str) -> Proxy | None:
        proxy = self._by_scheme.get(scheme)
        if proxy is None or self._no_proxy.matches(host):
            return None
        return proxy


@dataclass(frozen=True)
class _NoProxy:
    everything: bool
    names: tuple[str, ...]
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]

    def matches(self, host: str) -> bool:
        if self.everything:
            return True
        if not self.names and not self.networks:
            return False
        import ipaddress  # only with a NO_PROXY to check: it is not free to import on a one-shot call

        host = host.strip("[]").lower().rstrip(".")
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return any(host == name or host.endswith("." + name) for name in self.names)
        return any(address.version == net.version and address in net for net in self.networks)


def _parse_no_proxy(value: str) -> _NoProxy:
    import ipaddress

    names: list[str] = []
    networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
    for raw in value.replace(" ", ",").split(","):
        entry = raw.strip().lower()
        if not entry:
            continue
        if entry == "*":
            return _NoProxy(True, (), ())
        if entry.startswith("["):  # [v6]:port or [v6]
            entry = entry[1:].split("]", 1)[0]
        elif entry.count(":") == 1:  # host:port or v4:port
            entry = entry.split(":", 1)[0]
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
            continue
        except ValueError:
            pass
        name = entry.lstrip(".").rstrip(".")
        if name:
            names.append(name)
    return _NoProxy(False, tuple(names), tuple(networks))
