"""Exit codes and the error classes that carry a message and a hint; only app.main turns them into text."""

from __future__ import annotations

from typing import Any

# The base classes live in the Slack protocol layer (which imports nothing of slackctl); they are re-exported
# here so the rest of slackctl keeps one import for every error.
from slackctl.slack.errors import (  # noqa: F401 - re-exported
    AUTH_ERROR_CODES,
    AuthError,
    ExitCode,
    NetworkError,
    SlackApiError,
    SlackctlError,
    UsageError,
)


class ConfigError(SlackctlError):
    """config.toml is unreadable or broken (exit 2)."""

    exit_code = ExitCode.USAGE


class FileWriteError(SlackctlError):
    """A local file could not be written: disk full, read-only, permissions (exit 2; the old file is intact)."""

    exit_code = ExitCode.USAGE


class KeyringError(SlackctlError):
    """The OS keyring is missing, locked or not answering (exit 4: credentials cannot be reached)."""

    exit_code = ExitCode.AUTH


def caused_by_interrupt(exc: BaseException) -> bool:
    """True when `exc` only wraps an interrupt: Python 3.11 turns a KeyboardInterrupt raised while a class is
    being created (__set_name__, during imports) into RuntimeError."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def hint_for(error: str, response: dict[str, Any], method: str | None = None) -> str | None:
    """A next step for the common Slack error codes (`method`: the one that failed, when known)."""
    if error == "missing_scope":
        needed = response.get("needed", "?")
        return (
            f"the token lacks scope '{needed}' (has: {response.get('provided', '?')}); add it to the app's "
            f"scopes and reinstall: slackctl auth login --scopes {needed}"
        )
    if error in ("not_authed",):
        return "no token was sent; run: slackctl auth login (or set SLACK_TOKEN)"
    if error == "invalid_auth":
        return (
            "Slack rejected the token; it may be wrong, or used from an IP outside the app's allow-list; "
            "run: slackctl auth login"
        )
    if error in ("token_revoked", "account_inactive"):
        return "the token no longer works; run: slackctl auth login"
    if error == "token_expired":
        return "the token expired and could not be refreshed; run: slackctl auth login"
    if error == "ratelimited":
        return "Slack is rate-limiting this method; wait and retry, or raise --max-retries"
    if error == "channel_not_found":
        return "check the channel id (C…), and that the bot is a member: slackctl api call conversations.join"
    if error == "not_in_channel":
        return "invite the bot to the channel first: slackctl api call conversations.join channel=C…"
    if error == "unknown_method":
        return "check the name with: slackctl api list"
    if error == "invalid_arguments":
        return f"see its arguments: slackctl api describe {method or 'METHOD_NAME'}"
    return None
