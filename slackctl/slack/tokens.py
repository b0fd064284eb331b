"""Slack token facts: what a token is by its prefix, how to show one masked, how to scrub secrets from text."""

from __future__ import annotations

import re

# Credential kinds as stored per profile (the "KIND" of PROFILE/KIND).
BOT = "bot"
USER = "user"
APP = "app"
CONFIG = "config"
BOT_REFRESH = "bot-refresh"
USER_REFRESH = "user-refresh"
CONFIG_REFRESH = "config-refresh"
CLIENT_ID = "client-id"
CLIENT_SECRET = "client-secret"
SIGNING_SECRET = "signing-secret"
VERIFICATION_TOKEN = "verification-token"
REFRESH_OF = {BOT: BOT_REFRESH, USER: USER_REFRESH, CONFIG: CONFIG_REFRESH}


def guess_kind(token: str) -> str | None:
    """The credential kind a token's prefix says, or None when unknown. xoxe.xoxp- is ambiguous (rotating
    user token or configuration token); callers let the user override with --kind."""
    if token.startswith("xoxe.xoxb-"):
        return BOT
    if token.startswith("xoxe.xoxp-"):
        return CONFIG
    if token.startswith("xoxb-"):
        return BOT
    if token.startswith("xoxp-"):
        return USER
    if token.startswith("xapp-"):
        return APP
    return None


def describe_prefix(token: str) -> str:
    for prefix, what in (
        ("xoxe.xoxb-", "rotating bot token"),
        ("xoxe.xoxp-", "configuration token or rotating user token"),
        ("xoxe-", "refresh token"),
        ("xoxb-", "bot token"),
        ("xoxp-", "user token"),
        ("xapp-", "app-level token"),
        ("xwfp-", "workflow token"),
        ("xoxc-", "web-client session token"),
        ("xoxd-", "web-client cookie"),
    ):
        if token.startswith(prefix):
            return what
    return "unknown token type"


_WELL_FORMED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-_]{7,}$")


def is_well_formed(token: str) -> bool:
    return bool(_WELL_FORMED.match(token))


def is_slack_token(token: str) -> bool:
    """Well formed and with a prefix Slack gives its tokens (xoxb-, xoxp-, xapp-, xoxe.…, xwfp-, …)."""
    return is_well_formed(token) and describe_prefix(token) != "unknown token type"


def mask(token: str) -> str:
    """Enough to recognise a token, never enough to use it: prefix and last four characters."""
    if not token:
        return ""
    m = re.match(r"^((?:xoxe\.)?xox[a-z]-|xapp-|xoxe-|xwfp-)", token)
    prefix = m.group(1) if m else ""
    tail = token[-4:] if len(token) > len(prefix) + 8 else ""
    return f"{prefix}…{tail}"


# Anything shaped like a Slack token; used to scrub logs and error text even when we don't know the value.
_TOKEN_RE = re.compile(r"\b((?:xoxe\.)?xox[abpcdeors]-|xapp-|xoxe-|xwfp-)[A-Za-z0-9\-]{6,}")


# A URL's user:password@ part (a --slack-url, a webhook URL), and the secret fields of a request body (a form or
# JSON; oauth.v2.access takes client_secret): scrubbed by name, whatever the values look like.
_URL_USERINFO = re.compile(r"\b([a-zA-Z][a-zA-Z0-9+.-]*://)[^/\s@]+@")
_SECRET_NAMES = "client_secret|signing_secret|refresh_token|code_verifier|verification_token"
_SECRET_FORM = re.compile(rf"\b({_SECRET_NAMES})=(?!@)[^&\s]+")  # not `=@FILE`: a field read from a file
_SECRET_JSON = re.compile(rf'"({_SECRET_NAMES})"(\s*:\s*)"(?:[^"\\]|\\.)*"')


def redact(text: str, extra_secrets: tuple[str, ...] | list[str] = ()) -> str:
    """Replace every token-shaped string, every known secret, a URL's user:password and a body's secret fields
    with a masked form."""
    for secret in extra_secrets:
        if secret and len(secret) >= 6:
            text = text.replace(secret, "[REDACTED]")
    text = _URL_USERINFO.sub(r"\1***@", text)
    text = _SECRET_FORM.sub(r"\1=[REDACTED]", text)
    text = _SECRET_JSON.sub(r'"\1"\2"[REDACTED]"', text)
    return _TOKEN_RE.sub(lambda m: m.group(1) + "…REDACTED", text)
