"""What the `slackctl api` verbs share: the token and the client of a call, its warnings, method-name completion,
and the options batch and upload take from `api call`'s table (one declaration of --as, --no-auth, --max-retries,
--timeout and --force). Light at import: `api call`'s fast path comes through here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slackctl import settings
from slackctl.cli.commands.api.call_options import CALL_OPTIONS
from slackctl.cli.context import Context
from slackctl.errors import AuthError, UsageError
from slackctl.slack.catalog import MethodInfo

if TYPE_CHECKING:
    from slackctl.cli.progress import PageProgress
    from slackctl.config import Profile
    from slackctl.slack.client import SlackClient


def complete_method(incomplete: str) -> list[str]:
    """Shell completion of method names (the catalog is loaded only here, not at start-up)."""
    from slackctl.slack import catalog

    return catalog.complete(incomplete)


def call_option(field: str, **changes: Any) -> Any:
    """The `typer.Option` of `api call`'s option `field`, for a verb that takes the same option (`changes`
    overrides its help, for example)."""
    import dataclasses

    import typer

    from slackctl.cli.optiontable import typer_option

    (opt,) = [opt for opt in CALL_OPTIONS if opt.field == field]
    return typer_option(dataclasses.replace(opt, **changes), typer)


def method_argument(help: str = "Web API method, e.g. chat.postMessage.", **extra: Any) -> Any:  # noqa: A002
    """METHOD, as api call, batch and describe take it (completed from the catalog)."""
    import typer

    return typer.Argument(help=help, autocompletion=complete_method, show_default=False, **extra)


def resolve_token(
    ctx: Context, info: MethodInfo, *, as_kind: str | None, token_stdin: bool, no_auth: bool
) -> tuple[str | None, Profile | None]:
    """(token, profile): --no-auth, --token-stdin, env, then the profile's token the method's scopes prefer."""
    if no_auth or (not info.auth and not token_stdin and not as_kind):
        return None, None
    if token_stdin:
        lines = [line.strip() for line in ctx.io.stdin.read().splitlines() if line.strip()]
        if not lines:
            raise UsageError("--token-stdin: no token on stdin", "pipe it in: printenv SLACK_TOKEN | slackctl ...")
        token = lines[0]
        if token.startswith(("xoxc-", "xoxd-")):
            raise AuthError(
                "web-client session tokens (xoxc-/xoxd-) cannot be used with the Web API",
                "use a bot or user token of an app: https://api.slack.com/apps",
            )
        return token, None
    resolved = ctx.resolve_token(as_kind, prefer=info.token_preference)
    return resolved.token, resolved.profile


def make_client(
    ctx: Context,
    token: str | None,
    profile: Profile | None,
    *,
    max_retries: int,
    timeout: float | None,
    bulk: bool = False,
    progress: PageProgress | None = None,
) -> SlackClient:
    """The client for an api command; `bulk` (paging) decodes responses with orjson (see slackctl/core/bulkjson.py).
    `progress` (cli/progress.py) shows retry waits in its live line instead of a line each."""
    io = ctx.io
    show_waits = io.stderr_is_tty or ctx.options.verbose

    def on_wait(seconds: float, reason: str) -> None:
        if progress is not None and progress.wait(seconds, reason):
            return
        # Short back-off stays quiet when piped; a wait of a second or more is always announced, so a
        # rate-limited CI job says why it is not moving.
        if show_waits or seconds >= 1:
            io.err(io.dim(ctx.wait_line(seconds, reason)))

    extra: dict[str, Any] = {}
    if bulk:
        from slackctl.core import bulkjson

        extra["json_loads"] = bulkjson.loads
    return ctx.client(
        token,
        profile=profile,
        max_retries=max_retries,
        on_wait=on_wait,
        timeout=timeout or settings.HTTP_TIMEOUT_SECONDS,
        **extra,
    )


def show_warnings(ctx: Context, method: str, data: dict[str, Any]) -> None:
    seen: list[str] = []
    for w in str(data.get("warning") or "").split(","):
        if w.strip():
            seen.append(w.strip())
    meta = data.get("response_metadata")
    if isinstance(meta, dict):
        seen.extend(str(w) for w in meta.get("warnings") or [] if str(w) not in seen)
    for w in seen:
        ctx.io.warn(f"{method}: {w}")
