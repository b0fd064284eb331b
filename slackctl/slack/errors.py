"""Errors of the Slack protocol layer: a message, a neutral hint, and what kind of failure it was.

Hints here never name a flag or an environment variable of a program that uses this layer: an error carries a
`hint_key` instead, and a CLI maps it to its own wording (slackctl's is slackctl/hints.py). `ExitCode` is the
exit status a command line should end with for each kind of failure.
"""

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
    """An error the user can act on: one line of message, one line of hint (what to do next)."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        *,
        exit_code: ExitCode | None = None,
        hint_key: str | None = None,
        hint_args: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        # Names the situation for a CLI that words its own hint (with its flag names); None: the hint is final.
        # hint_args fill the CLI's wording ({port}, {scheme}, ...).
        self.hint_key = hint_key
        self.hint_args = dict(hint_args or {})
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(SlackctlError):
    """Bad arguments or local input files (exit 2)."""

    exit_code = ExitCode.USAGE


class AuthError(SlackctlError):
    """No credentials, or Slack rejected them (exit 4)."""

    exit_code = ExitCode.AUTH


# Why a request failed; the kind decides whether repeating it could duplicate a write.
CONNECT = "connect"  # never reached the server: always safe to repeat
TLS_VERIFY = "tls_verify"  # the certificate is not trusted: repeating cannot help
PROXY = "proxy"  # the proxy refused or failed the tunnel: the server was never reached
TIMEOUT = "timeout"  # sent, no whole answer in time: the server may have acted on it
DROPPED = "dropped"  # sent, connection lost before a whole response: the server may have acted on it
TOO_LARGE = "too_large"  # the answer is bigger than the body limit (after decompression)
MALFORMED = "malformed"  # the answer cannot be read (corrupt gzip, JSON nested too deep)
RETRY_AFTER = "retry_after"  # the server asked for a wait longer than the cap, or an unreadable one


class NetworkError(SlackctlError):
    """Transport failure: DNS, TLS, proxy, connection, timeout, an answer too large or unreadable (exit 3)."""

    exit_code = ExitCode.NETWORK

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        *,
        kind: str = CONNECT,
        hint_key: str | None = None,
        may_have_acted: bool = False,
    ) -> None:
        # A Retry-After we will not wait for is Slack's answer (a rate limit, exit 1), not a network fault.
        super().__init__(
            message, hint, hint_key=hint_key, exit_code=ExitCode.API_ERROR if kind == RETRY_AFTER else None
        )
        self.kind = kind
        self.may_have_acted = may_have_acted
        # A timeout while the body was still arriving (not a slow server): repeating it cannot help.
        self.streaming = False
        # A loopback address refused the connection (nothing listens there): repeating it cannot help either.
        self.refused_here = False


# The one place transport failures are worded: (message template, neutral hint). {what} is the request's
# subject ("chat.postMessage", "upload of a.txt", "GitHub token_url"), {origin} the redacted host it went to.
_WORDING: dict[str, tuple[str, str]] = {
    CONNECT: ("cannot reach {origin}: {detail}", "check the network and the Slack URL"),
    TLS_VERIFY: ("cannot verify the TLS certificate of {origin}", "trust the CA that signed it (a CA bundle)"),
    PROXY: ("{detail}", "check the proxy URL and its credentials"),
    TIMEOUT: ("{what}: no answer from {origin} within the timeout ({detail})", "retry, or allow a longer timeout"),
    DROPPED: ("{what}: connection to {origin} failed: {detail}", "check the network and retry"),
    TOO_LARGE: (
        "{what}: the response from {origin} is larger than the {detail} limit",
        "raise the response size limit if this answer is expected",
    ),
    MALFORMED: ("{what}: the response from {origin} cannot be read: {detail}", "retry; if it persists, report it"),
    RETRY_AFTER: ("{what}: {detail}", "wait and retry later"),
}


def transport_error(
    kind: str, *, origin: str, detail: str, what: str = "request", may_have_acted: bool = False
) -> NetworkError:
    """A NetworkError for a failure of `kind`, worded once for every caller of the transport."""
    template, hint = _WORDING[kind]
    message = template.format(what=what, origin=origin, detail=detail)
    key = kind
    if may_have_acted and kind in (TIMEOUT, DROPPED):
        hint = (
            "retry, or allow a longer timeout (the call may have been made)"
            if kind == TIMEOUT
            else "retry; it was not repeated automatically because it may have been carried out"
        )
        key = kind + "_write"
    return NetworkError(message, hint, kind=kind, hint_key=key, may_have_acted=may_have_acted)


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
    """Slack answered ok:false. Carries the whole response so callers can still show it."""

    def __init__(self, method: str, response: dict[str, Any], hint: str | None = None) -> None:
        self.method = method
        self.response = response
        self.error = str(response.get("error", "unknown_error"))
        code = ExitCode.AUTH if self.error in AUTH_ERROR_CODES else ExitCode.API_ERROR
        super().__init__(
            f"{method} failed: {self.error}",
            hint or neutral_hint(self.error, response),
            exit_code=code,
            hint_key=None if hint else "slack_api",
        )


def neutral_hint(error: str, response: dict[str, Any]) -> str | None:
    """A next step for the common Slack error codes, without naming any program's flags."""
    if error == "missing_scope":
        return (
            f"the token lacks scope '{response.get('needed', '?')}' (has: {response.get('provided', '?')}); "
            "add it to the app's scopes and reinstall the app"
        )
    if error in ("not_authed", "invalid_auth", "token_revoked", "account_inactive", "token_expired"):
        return "the token is missing, wrong or no longer valid; get a new one"
    if error == "ratelimited":
        return "Slack is rate-limiting this method; wait and retry"
    if error == "app_not_hosted":
        return "datastores exist only for apps on Slack's runtime (settings.function_runtime: slack in the manifest)"
    if error == "datastore_error":
        problems = response.get("errors")
        if isinstance(problems, list) and problems and isinstance(problems[0], dict):
            first = problems[0]
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            return f"{first.get('code', '?')} at {first.get('pointer', '/')}: {first.get('message', '')}{more}"
    return None
