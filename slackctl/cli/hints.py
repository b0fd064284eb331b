"""slackctl's wording of the Slack layer's neutral hints: the same advice, naming slackctl's flags and variables."""

from __future__ import annotations

from typing import Any

from slackctl import settings
from slackctl.errors import SlackApiError, SlackctlError, hint_for

# hint_key (set by slackctl/slack/errors.py) -> the hint slackctl shows.
CLI_HINTS = {
    "connect": f"check your network, or --slack-url / {settings.ENV_SLACK_URL}",
    "connect_refused_here": "nothing listens there on this machine: start the emulator (slackctl emulator start) "
    f"or check --slack-url / {settings.ENV_SLACK_URL}",
    "tls_verify": f"pass the CA that signed it with --ca-bundle (or {settings.ENV_CA_BUNDLE})",
    "ca_bundle": "pass a PEM file with --ca-bundle",
    "proxy": f"check the proxy URL and its credentials (--proxy / {settings.ENV_PROXY}, HTTPS_PROXY, NO_PROXY)",
    "proxy_url": f"give --proxy / {settings.ENV_PROXY} / HTTPS_PROXY as http://[user:password@]host:port",
    "timeout": "retry, or raise it with --timeout",
    "timeout_write": "retry, or raise it with --timeout (the call may have been made)",
    "dropped": "check your network and retry",
    "dropped_write": "retry; it was not repeated automatically because it may have been carried out",
    "too_large": f"if this answer is expected, raise the limit with {settings.ENV_MAX_RESPONSE_MB}=MEGABYTES",
    "retry_after": f"retry later, or allow longer waits with {settings.ENV_MAX_RETRY_WAIT}=SECONDS",
    "malformed": "retry; if it keeps happening, check --slack-url points at Slack",
    "not_json": "check --slack-url (it must be the Slack host root, e.g. https://slack.com)",
    "jwks": "check --slack-url: it must be the Slack host root",
    "id_token": "run the login again; if it keeps failing, check --slack-url (the issuer must match it)",
    "loopback_none": "check the machine's network configuration, or use --paste",
    "loopback_in_use": "stop whatever listens there, or pass --port N (the app must have "
    "{scheme}://localhost:N{path} registered as a redirect URL)",
    "loopback_denied": "use a port above 1023 with --port",
    "loopback_other": "pass another --port",
    "loopback_timeout": "try again (a longer --timeout gives more time; on a remote machine use --paste)",
}


TOKEN_REFUSED = frozenset({"invalid_auth", "token_revoked", "token_expired", "account_inactive", "not_authed"})


def call_hint(
    method: str,
    response: dict[str, Any],
    token_kind: str | None,
    token_source: str | None,
    *,
    other_tokens: dict[str, list[str]] | None = None,
) -> str | None:
    """The hint for a failed call when knowing the token used (its kind, where it came from, the scopes of the
    profile's other tokens: `other_tokens`, kind -> scopes) makes it better than the general one; None leaves it
    to `hint_for`."""
    error = str(response.get("error", ""))
    if error == "missing_scope" and other_tokens:
        needed = str(response.get("needed", ""))
        # Slack's `needed` lists alternatives ("channels:read,groups:read"): any one of them will do.
        for kind, scopes in other_tokens.items():
            if any(scope in scopes for scope in needed.split(",") if scope):
                return (
                    f"the {token_kind} token lacks scope '{needed}' and the profile's {kind} token has it: "
                    f"add --as {kind}"
                )
    if error in TOKEN_REFUSED and token_source and token_source.startswith("env:"):
        variable = token_source[4:]
        why = " (it may be wrong, or used from an IP outside the app's allow-list)" if error == "invalid_auth" else ""
        return (
            f"the token came from {variable}{why}; environment tokens win over stored profiles: "
            f"set {variable} to a valid token, or unset it to use your profile"
        )
    if error == "missing_scope" and token_kind == "user":
        needed = response.get("needed", "?")
        return (
            f"the user token lacks scope '{needed}' (has: {response.get('provided', '?')}); add it to the "
            f"app's user scopes and log in again: slackctl auth login --user-scopes {needed}"
        )
    if error == "invalid_arguments":
        return _arguments_hint(method, response)
    return None


def _arguments_hint(method: str, response: dict[str, Any]) -> str | None:
    """Name the argument Slack complained about and the type the catalog gives it."""
    import re

    from slackctl.slack import catalog

    meta = response.get("response_metadata")
    messages = meta.get("messages") if isinstance(meta, dict) else None
    info = catalog.get(method)
    if not isinstance(messages, list) or info is None:
        return None
    types = {**info.optional, **info.required}
    for message in messages:
        match = re.search(r"(?:field|argument|parameter)[:\s]+`?([A-Za-z_][\w.]*)`?", str(message))
        if match and match.group(1) in types:
            name = match.group(1)
            return (
                f"argument '{name}' of {method} is a {types[name] or 'value of another type'} "
                f"({str(message).strip()}); see: slackctl api describe {method}"
            )
    return None


def cli_hint(exc: SlackctlError) -> str | None:
    """The hint to print for `exc`: slackctl's wording when the error left it to the CLI, else its own."""
    key = exc.hint_key
    if key is None:
        return exc.hint
    if key == "slack_api" and isinstance(exc, SlackApiError):
        return hint_for(exc.error, exc.response, exc.method) or exc.hint
    wording = CLI_HINTS.get(key)
    if wording is None:
        return exc.hint
    try:
        return wording.format(**exc.hint_args)
    except (KeyError, IndexError):
        return exc.hint
