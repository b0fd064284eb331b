"""Exit codes and the error classes that carry a message and a hint; only app.main turns them into text."""

from __future__ import annotations

from enum import IntEnum
from typing import Any


class ExitCode(IntEnum):
    OK = 0
    API_ERROR = 1
    USAGE = 2
    NETWORK = 3
    AUTH = 4
    INTERRUPTED = 130


class SlackctlError(Exception):
    """An error the user can act on: one line of message, one line of hint (what to run next)."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, hint: str | None = None, *, exit_code: ExitCode | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(SlackctlError):
    """Bad flags, arguments or local input files (exit 2)."""

    exit_code = ExitCode.USAGE


class ConfigError(SlackctlError):
    """config.toml is unreadable or broken (exit 2)."""

    exit_code = ExitCode.USAGE


class FileWriteError(SlackctlError):
    """A local file could not be written: disk full, read-only, permissions (exit 2; the old file is intact)."""

    exit_code = ExitCode.USAGE


class AuthError(SlackctlError):
    """No credentials, or Slack rejected them (exit 4)."""

    exit_code = ExitCode.AUTH


class NetworkError(SlackctlError):
    """Transport failure: DNS, TLS, connection, timeout (exit 3)."""

    exit_code = ExitCode.NETWORK


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


# Slack error codes that mean "your credentials are the problem" -> exit 4 rather than 1.
AUTH_ERROR_CODES = frozenset(
    {
        "not_authed",
        "invalid_auth",
        "token_revoked",
        "token_expired",
        "account_inactive",
        "no_permission_token",
        "not_allowed_token_type",
        "invalid_refresh_token",
        "invalid_client_id",
        "bad_client_secret",
        "invalid_code",
        "code_already_used",
        "bad_redirect_uri",
        "org_login_required",
        "two_factor_setup_required",
    }
)


class SlackApiError(SlackctlError):
    """Slack answered ok:false. Carries the whole response so commands can still print it."""

    def __init__(self, method: str, response: dict[str, Any], hint: str | None = None) -> None:
        self.method = method
        self.response = response
        self.error = str(response.get("error", "unknown_error"))
        code = ExitCode.AUTH if self.error in AUTH_ERROR_CODES else ExitCode.API_ERROR
        super().__init__(f"{method} failed: {self.error}", hint or hint_for(self.error, response), exit_code=code)


def hint_for(error: str, response: dict[str, Any]) -> str | None:
    """A next step for the common Slack error codes."""
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
        return "see the method's arguments: slackctl api describe METHOD"
    return None
