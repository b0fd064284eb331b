"""The manifest's `external_auth_providers.oauth2` block: parsing and validating providers, and deciding between
hosted and local mode (the project itself is core/project.py's)."""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slackctl.core import project as project_mod
from slackctl.core.project import Project
from slackctl.errors import UsageError

LOCAL = "local"
HOSTED = "hosted"

PROVIDER_TYPES = ("CUSTOM", "GOOGLE", "SLACK_PROVIDED")
# Google's well-known endpoints, used when a GOOGLE provider leaves them out (Slack fills them in when hosted).
GOOGLE_DEFAULTS = {
    "provider_name": "Google",
    "authorization_url": "https://accounts.google.com/o/oauth2/v2/auth",
    "token_url": "https://oauth2.googleapis.com/token",
    "revocation_url": "https://oauth2.googleapis.com/revoke",
    "identity_config": {"url": "https://openidconnect.googleapis.com/v1/userinfo", "account_identifier": "$.email"},
}
_KEY_RE = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")
_IDENTIFIER_RE = re.compile(r"^\$\.[A-Za-z0-9_\-]+(\[\d+\])?(\.[A-Za-z0-9_\-]+(\[\d+\])?)*$")
_LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


@dataclass
class Provider:
    key: str
    provider_type: str
    client_id: str
    provider_name: str
    authorization_url: str
    token_url: str
    scope: list[str]
    identity_url: str
    account_identifier: str
    identity_headers: dict[str, str] = field(default_factory=dict)
    authorization_url_extras: dict[str, str] = field(default_factory=dict)
    revocation_url: str = ""
    use_basic_auth: bool = False

    def describe(self) -> dict[str, Any]:
        return {
            "provider": self.key,
            "name": self.provider_name,
            "type": self.provider_type,
            "client_id": self.client_id,
            "scope": list(self.scope),
        }


def find_project(start: Path | None = None, manifest: str | None = None, env: str | None = None) -> Project:
    """The project external-auth works on (core/project.py's finder; --manifest is the way out)."""
    return project_mod.find_project(
        start, manifest=manifest, env=env, hint="cd into your app's directory, or pass --manifest PATH"
    )


def resolve_mode(manifest: dict[str, Any], local: bool, hosted: bool) -> tuple[str, str]:
    """(mode, why): --local/--hosted win; else hosted only when the app runs on Slack's infrastructure."""
    if local and hosted:
        raise UsageError("--local and --hosted cannot be used together", "pick one")
    if local:
        return LOCAL, "--local"
    if hosted:
        return HOSTED, "--hosted"
    found = manifest.get("settings")
    settings: dict[str, Any] = found if isinstance(found, dict) else {}
    if settings.get("function_runtime") == "slack":
        return HOSTED, "the manifest's settings.function_runtime is 'slack'; pass --local to change"
    return LOCAL, "the app does not run on Slack's infrastructure; pass --hosted to change"


# -- providers ------------------------------------------------------------------------------------------------
def provider_blocks(manifest: dict[str, Any]) -> dict[str, Any]:
    block = manifest.get("external_auth_providers")
    if block is None:
        return {}
    where = "external_auth_providers"
    if not isinstance(block, dict):
        raise UsageError(f"manifest field {where} must be an object", "see: slackctl external-auth --help")
    oauth2 = block.get("oauth2", {})
    if not isinstance(oauth2, dict):
        raise UsageError(f"manifest field {where}.oauth2 must be an object", "see: slackctl external-auth --help")
    return oauth2


def parse_providers(manifest: dict[str, Any], *, local: bool = True) -> dict[str, Provider]:
    """Every provider in the manifest, validated; the first problem found is an exit-2 error naming the field."""
    return {key: parse_provider(key, body, local=local) for key, body in provider_blocks(manifest).items()}


def get_provider(manifest: dict[str, Any], key: str, *, local: bool = True) -> Provider:
    blocks = provider_blocks(manifest)
    if key not in blocks:
        known = ", ".join(sorted(blocks)) or "none declared"
        raise UsageError(
            f"no provider '{key}' in the manifest's external_auth_providers.oauth2 (providers: {known})",
            "declare it in manifest.json, or pick one of those with --provider",
        )
    return parse_provider(key, blocks[key], local=local)


def parse_provider(key: str, body: Any, *, local: bool = True) -> Provider:
    """Validate one provider. Hosted non-CUSTOM providers need only client_id and scope (Slack knows the
    endpoints); everything else needs the endpoints slackctl or Slack will call."""
    base = f"external_auth_providers.oauth2.{key}"
    if not _KEY_RE.match(key):
        raise UsageError(f"manifest: provider key '{key}' may only hold letters, digits, '_' and '-'", f"rename {base}")
    if not isinstance(body, dict):
        raise UsageError(f"manifest field {base} must be an object", "see docs/external-auth.md (Declaring a provider)")
    ptype = body.get("provider_type")
    if ptype is None:
        raise _missing(base, "provider_type")
    if ptype not in PROVIDER_TYPES:
        raise UsageError(
            f"manifest field {base}.provider_type must be one of {', '.join(PROVIDER_TYPES)} (got {ptype!r})",
            f"fix {base}.provider_type in the manifest",
        )
    options = body.get("options")
    if options is None:
        raise _missing(base, "options")
    if not isinstance(options, dict):
        raise UsageError(f"manifest field {base}.options must be an object", f"fix {base}.options")
    opts = dict(options)
    if ptype == "GOOGLE":
        # Google providers may name only client_id and scope: fill in Google's endpoints.
        for name, value in GOOGLE_DEFAULTS.items():
            opts.setdefault(name, value)
    where = f"{base}.options"
    client_id = _string(opts, "client_id", where)
    if ptype != "CUSTOM" and not local and "token_url" not in opts:
        scope = opts.get("scope")
        if not isinstance(scope, list):
            raise _missing(where, "scope")
        return Provider(
            key=key,
            provider_type=ptype,
            client_id=client_id,
            provider_name=str(opts.get("provider_name") or key),
            authorization_url="",
            token_url="",
            scope=[str(s) for s in scope],
            identity_url="",
            account_identifier="",
        )
    provider_name = _string(opts, "provider_name", where)
    authorization_url = _url(opts, "authorization_url", where)
    token_url = _url(opts, "token_url", where)
    scope = opts.get("scope")
    if scope is None:
        raise _missing(where, "scope")
    if not isinstance(scope, list) or not all(isinstance(s, str) and s and " " not in s for s in scope):
        raise UsageError(
            f"manifest field {where}.scope must be a list of scope strings (no spaces)",
            f'fix {where}.scope, e.g. ["openid", "email"]',
        )
    identity = opts.get("identity_config")
    if identity is None:
        raise _missing(where, "identity_config")
    if not isinstance(identity, dict):
        raise UsageError(
            f"manifest field {where}.identity_config must be an object",
            'e.g. {"url": "https://…/userinfo", "account_identifier": "$.email"}',
        )
    identity_url = _url(identity, "url", f"{where}.identity_config")
    account_identifier = _string(identity, "account_identifier", f"{where}.identity_config")
    if not _IDENTIFIER_RE.match(account_identifier):
        raise UsageError(
            f"manifest field {where}.identity_config.account_identifier must be a JSON path like "
            f"$.email or $.data.login (got {account_identifier!r})",
            f"fix {where}.identity_config.account_identifier",
        )
    headers = identity.get("headers", {})
    extras = opts.get("authorization_url_extras", {})
    for name, value in (("identity_config.headers", headers), ("authorization_url_extras", extras)):
        if not isinstance(value, dict) or not all(isinstance(v, (str, int, float, bool)) for v in value.values()):
            raise UsageError(f"manifest field {where}.{name} must be an object of string values", f"fix {where}.{name}")
    token_cfg = opts.get("token_url_config", {})
    if not isinstance(token_cfg, dict):
        raise UsageError(f"manifest field {where}.token_url_config must be an object", f"fix {where}.token_url_config")
    revocation_url = _url(opts, "revocation_url", where) if opts.get("revocation_url") else ""
    return Provider(
        key=key,
        provider_type=ptype,
        client_id=client_id,
        provider_name=provider_name,
        authorization_url=authorization_url,
        token_url=token_url,
        scope=list(scope),
        identity_url=identity_url,
        account_identifier=account_identifier,
        identity_headers={k: _text(v) for k, v in headers.items()},
        authorization_url_extras={k: _text(v) for k, v in extras.items()},
        revocation_url=revocation_url,
        use_basic_auth=bool(token_cfg.get("use_basic_auth_scheme", False)),
    )


def _text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _missing(where: str, name: str) -> UsageError:
    return UsageError(f"manifest is missing {where}.{name}", f"add {name} to {where} in the manifest")


def _string(obj: dict[str, Any], name: str, where: str) -> str:
    value = obj.get(name)
    if value is None or value == "":
        raise _missing(where, name)
    if not isinstance(value, str):
        raise UsageError(f"manifest field {where}.{name} must be a string", f"fix {where}.{name}")
    return value


def _url(obj: dict[str, Any], name: str, where: str) -> str:
    value = _string(obj, name, where)
    parts = urllib.parse.urlsplit(value)
    # Slack requires https; plain http is accepted only on this machine (a local provider or the emulator).
    loopback = parts.scheme == "http" and (parts.hostname or "") in _LOOPBACK_HOSTS
    if not (parts.scheme == "https" or loopback) or not parts.hostname:
        raise UsageError(
            f"manifest field {where}.{name} must be an https:// URL (got {value!r})",
            f"fix {where}.{name}; http:// is allowed only for 127.0.0.1/localhost",
        )
    return value


def read_identifier(data: Any, path: str) -> str | None:
    """Follow a `$.a.b[0]` path into a JSON document; None when it leads nowhere or to a non-scalar."""
    node = data
    for part in path[2:].split("."):
        m = re.fullmatch(r"([A-Za-z0-9_\-]+)(?:\[(\d+)\])?", part)
        if not m or not isinstance(node, dict) or m.group(1) not in node:
            return None
        node = node[m.group(1)]
        if m.group(2) is not None:
            index = int(m.group(2))
            if not isinstance(node, list) or index >= len(node):
                return None
            node = node[index]
    if isinstance(node, bool) or node is None or isinstance(node, (dict, list)):
        return None
    return str(node)
