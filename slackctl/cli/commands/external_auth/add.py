"""`slackctl external-auth add`: authorize an account with the provider, hosted by Slack or locally (a browser)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

import typer

from slackctl import settings
from slackctl.cli.commands.external_auth.common import INSECURE_STORAGE, PROVIDER, AppWhereOptions, target
from slackctl.cli.context import Context
from slackctl.cli.output import expiry_text
from slackctl.cli.verb import Verb
from slackctl.core.extauth import hosted, local, store
from slackctl.core.extauth.providers import (
    HOSTED,
    LOCAL,
    Provider,
    get_provider,
)
from slackctl.errors import UsageError


@dataclass(kw_only=True)
class AddOptions(AppWhereOptions):
    """The options of `slackctl external-auth add`."""

    provider_key: Annotated[str, PROVIDER]
    port: Annotated[
        int | None,
        typer.Option(
            "--port",
            help="Local: loopback port of the redirect "
            "http://127.0.0.1:PORT/callback (default 8765, "
            "or SLACKCTL_EXTERNAL_AUTH_PORT).",
        ),
    ] = None
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for the authorization.")] = (
        settings.EXTERNAL_AUTH_TIMEOUT_SECONDS
    )
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Print the URL instead of opening a browser.")] = (
        False
    )
    paste: Annotated[
        bool, typer.Option("--paste", help="Local: paste the address the browser ended on (remote machines).")
    ] = False
    insecure_storage: Annotated[bool, INSECURE_STORAGE] = False


COMMAND = Verb(
    AddOptions,
    examples="""
        slackctl external-auth add --provider google
        slackctl external-auth add --provider google --local --no-browser --paste
        slackctl external-auth add --provider github --hosted --env prod
    """,
)


def run(ctx: Context, opts: AddOptions) -> None:
    t = target(ctx, opts.where)
    provider = get_provider(t.project.manifest, opts.provider_key, local=t.mode == LOCAL)
    open_url = browser_opener(opts.no_browser or opts.paste)
    if t.mode == HOSTED:
        assert t.app_id
        with hosted.slack_client(ctx) as client:
            before = hosted.snapshot(client, t.app_id, opts.provider_key)
            url = hosted.start(client, t.app_id, opts.provider_key)
            if open_url(url):
                ctx.io.err(f"Opened {provider.provider_name}'s authorization page in your browser; waiting…")
            else:
                ctx.io.err(f"Open this URL in a browser to authorize {provider.provider_name}:")
                ctx.io.err(url)
            token = hosted.wait_for_new_account(client, t.app_id, opts.provider_key, before, timeout=opts.timeout)
        ctx.io.success(
            f"Authorized {token.get('external_user_id') or token.get('external_token_id')} for "
            f"{provider.provider_name} (Slack keeps the tokens of app {t.app_id})"
        )
        return
    paste_line = None
    if opts.paste:
        if not ctx.io.can_prompt and ctx.io.stdin_is_tty:
            raise UsageError("--paste needs a terminal to paste into", "run it interactively, or pipe the URL")
        paste_line = lambda: ctx.prompter.pasted_line("Paste the address the browser ended on: ")  # noqa: E731
    if store.get_client_secret(ctx, t.project, provider.key) is None:
        ctx.io.warn(
            f"no client secret is set for '{provider.key}': authorizing as a public client (PKCE only); "
            f"if {provider.provider_name} needs one: slackctl external-auth add-secret --provider "
            f"{provider.key}"
        )
    result = local.authorize(
        ctx,
        t.project,
        provider,
        port=loopback_port(opts.port),
        timeout=opts.timeout,
        show_url=_show_url(ctx, provider, open_url),
        paste_line=paste_line,
        insecure_storage=opts.insecure_storage,
    )
    where = "a plaintext file" if store.storage_of(ctx, t.project, opts.provider_key) == "file" else "the OS keyring"
    ctx.io.success(
        f"Authorized {result.account} for {provider.provider_name}; tokens stored in {where} "
        f"(access token expires {expiry_text(result.tokens.expires_at)}"
        f"{', refreshable' if result.tokens.refresh_token else ''})"
    )
    var = store.env_var_name(opts.provider_key)
    ctx.io.err(
        f"Use it: slackctl external-auth token --provider {opts.provider_key}  (or {var} via slackctl tokens export)"
    )


def browser_opener(no_browser: bool) -> Callable[[str], bool]:
    """cli/browser.py's opener, or one that never opens (--no-browser, --paste): the URL is printed instead."""
    from slackctl.cli import browser

    return (lambda url: False) if no_browser else browser.open_url


def _show_url(ctx: Context, provider: Provider, open_url: Callable[[str], bool]) -> Callable[[str, str], None]:
    """What local.authorize calls once its listener is up: name the redirect URL, open or print the page."""

    def show(url: str, redirect_uri: str) -> None:
        ctx.io.err(f"Redirect URL (register it at {provider.provider_name}): {redirect_uri}")
        if open_url(url):
            ctx.io.err(f"Opened {provider.provider_name}'s authorization page in your browser; waiting for the answer…")
        else:
            ctx.io.err(f"Open this URL in a browser to authorize {provider.provider_name}:")
            ctx.io.err(url)

    return show


def loopback_port(port: int | None) -> int:
    if port is not None:
        return port
    raw = os.environ.get(settings.ENV_EXTERNAL_AUTH_PORT, "").strip()
    if not raw:
        return settings.DEFAULT_EXTERNAL_AUTH_PORT
    if not raw.isdigit() or not 0 <= int(raw) <= 65535:
        raise UsageError(f"{settings.ENV_EXTERNAL_AUTH_PORT} must be a port number (got {raw!r})", "e.g. 8765")
    return int(raw)
