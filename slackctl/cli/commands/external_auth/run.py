"""Bodies of the `slackctl external-auth` commands: pick the mode, call the hosted or local layer, render.

Kept out of slackctl/commands/external_auth.py so that start-up imports stay small (httpx, keyring load here)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slackctl import settings
from slackctl.cli.context import Context
from slackctl.cli.output import expiry_text, print_json, print_table
from slackctl.core.extauth import hosted, local, store
from slackctl.core.extauth.providers import (
    HOSTED,
    LOCAL,
    Project,
    Provider,
    find_project,
    get_provider,
    parse_providers,
    provider_blocks,
    resolve_mode,
)
from slackctl.errors import UsageError


@dataclass
class Target:
    """Where a command acts: the project, the mode, and (hosted) the app."""

    project: Project
    mode: str
    app_id: str | None = None


def target(ctx: Context, *, local_flag: bool, hosted_flag: bool, manifest: str | None, env: str | None,
           app_id: str | None = None) -> Target:
    project = find_project(manifest=manifest, env=env)
    mode, why = resolve_mode(project.manifest, local_flag, hosted_flag)
    ctx.io.err(f"external-auth: {mode} mode ({why})")
    found = Target(project, mode)
    if mode == HOSTED:
        found.app_id = hosted.app_id_for(ctx, project, app_id)
    return found



# -- list -------------------------------------------------------------------------------------------------------
def list_providers(ctx: Context, t: Target, *, json_out: bool) -> None:
    providers = parse_providers(t.project.manifest, local=t.mode == LOCAL)
    rows: list[dict[str, Any]] = []
    workflows: list[Any] = []
    if t.mode == LOCAL:
        pid = t.project.project_id
        for key, provider in providers.items():
            default = store.default_account(ctx.config, pid, key)
            accounts = [{"account": name, "expires": facts.get("expires"), "scopes": facts.get("scopes", []),
                         "default": name == default}
                        for name, facts in sorted(store.accounts_of(ctx.config, pid, key).items())]
            secret = bool(store.provider_facts(ctx.config, pid, key).get("client_secret"))
            rows.append({**provider.describe(), "client_secret": secret, "accounts": accounts})
    else:
        assert t.app_id
        with hosted.slack_client(ctx) as client:
            listing = hosted.list_all(client, t.app_id)
        workflows = listing["workflows"]
        for key, provider in providers.items():
            entry = hosted.provider_entry(listing, key)
            accounts = [{"account": tok.get("external_user_id"), "id": tok.get("external_token_id"),
                         "updated": tok.get("date_updated")} for tok in hosted.accounts(entry)]
            rows.append({**provider.describe(), "client_secret": bool(entry.get("client_secret_exists")),
                         "accounts": accounts})
    if json_out:
        data: dict[str, Any] = {"mode": t.mode, "providers": rows}
        if t.mode == HOSTED:
            data.update(app_id=t.app_id, workflows=workflows)
        print_json(ctx.io, data)
        return
    if not rows:
        ctx.io.err("No providers are declared in the manifest (external_auth_providers.oauth2).")
        return
    table: list[list[str]] = []
    for row in rows:
        accounts = row["accounts"] or [{}]
        for acct in accounts:
            name = str(acct.get("account") or "-") + (" (default)" if acct.get("default") else "")
            when = expiry_text(acct.get("expires")) if t.mode == LOCAL and acct else "-"
            table.append([row["provider"], row["name"], "yes" if row["client_secret"] else "no", name, when])
    print_table(ctx.io, ["provider", "name", "secret", "account", "expires"], table)


# -- add-secret ---------------------------------------------------------------------------------------------------
def read_secret(ctx: Context, provider_key: str) -> str:
    if ctx.io.stdin_is_tty and not ctx.io.can_prompt:
        raise UsageError("cannot prompt for the client secret here (no terminal, or CI is set)",
                         f"pipe it on stdin: printf '%s' \"$SECRET\" | slackctl external-auth add-secret "
                         f"--provider {provider_key}")
    lines = ctx.prompter.secret_lines(f"Client secret of provider '{provider_key}' (input hidden): ")
    secret = lines[0] if lines else ""
    if not secret:
        raise UsageError("no client secret was given",
                         f"type it at the prompt, or pipe it: printf '%s' \"$SECRET\" | slackctl external-auth "
                         f"add-secret --provider {provider_key}")
    return secret


def add_secret(ctx: Context, t: Target, provider_key: str, *, insecure_storage: bool) -> None:
    provider = get_provider(t.project.manifest, provider_key, local=t.mode == LOCAL)
    secret = read_secret(ctx, provider_key)
    if t.mode == HOSTED:
        assert t.app_id
        with hosted.slack_client(ctx, secrets=[secret]) as client:
            hosted.add_secret(client, t.app_id, provider_key, secret)
        ctx.io.success(f"Client secret of {provider.provider_name} registered with Slack for app {t.app_id}")
        return
    backend = store.save_client_secret(ctx, t.project, provider_key, secret, insecure_storage=insecure_storage)
    where = "a plaintext file" if backend == "file" else "the OS keyring"
    ctx.io.success(f"Client secret of {provider.provider_name} stored in {where}")


# -- add ------------------------------------------------------------------------------------------------------------
def browser_opener(no_browser: bool) -> Callable[[str], bool]:
    """cli/browser.py's opener, or one that never opens (--no-browser, --paste): the URL is printed instead."""
    from slackctl.cli import browser

    return (lambda url: False) if no_browser else browser.open_url


def _show_url(ctx: Context, provider: Provider, open_url: Callable[[str], bool]) -> Callable[[str, str], None]:
    """What local.authorize calls once its listener is up: name the redirect URL, open or print the page."""

    def show(url: str, redirect_uri: str) -> None:
        ctx.io.err(f"Redirect URL (register it at {provider.provider_name}): {redirect_uri}")
        if open_url(url):
            ctx.io.err(f"Opened {provider.provider_name}'s authorization page in your browser; waiting for the "
                       "answer…")
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


def add(ctx: Context, t: Target, provider_key: str, *, port: int | None, timeout: float, no_browser: bool,
        paste: bool, insecure_storage: bool) -> None:
    provider = get_provider(t.project.manifest, provider_key, local=t.mode == LOCAL)
    open_url = browser_opener(no_browser or paste)
    if t.mode == HOSTED:
        assert t.app_id
        with hosted.slack_client(ctx) as client:
            before = hosted.snapshot(client, t.app_id, provider_key)
            url = hosted.start(client, t.app_id, provider_key)
            if open_url(url):
                ctx.io.err(f"Opened {provider.provider_name}'s authorization page in your browser; waiting…")
            else:
                ctx.io.err(f"Open this URL in a browser to authorize {provider.provider_name}:")
                ctx.io.err(url)
            token = hosted.wait_for_new_account(client, t.app_id, provider_key, before, timeout=timeout)
        ctx.io.success(f"Authorized {token.get('external_user_id') or token.get('external_token_id')} for "
                       f"{provider.provider_name} (Slack keeps the tokens of app {t.app_id})")
        return
    paste_line = None
    if paste:
        if not ctx.io.can_prompt and ctx.io.stdin_is_tty:
            raise UsageError("--paste needs a terminal to paste into", "run it interactively, or pipe the URL")
        paste_line = lambda: ctx.prompter.pasted_line("Paste the address the browser ended on: ")  # noqa: E731
    if store.get_client_secret(ctx, t.project, provider.key) is None:
        ctx.io.warn(f"no client secret is set for '{provider.key}': authorizing as a public client (PKCE only); "
                    f"if {provider.provider_name} needs one: slackctl external-auth add-secret --provider "
                    f"{provider.key}")
    result = local.authorize(ctx, t.project, provider, port=loopback_port(port), timeout=timeout,
                             show_url=_show_url(ctx, provider, open_url), paste_line=paste_line,
                             insecure_storage=insecure_storage)
    where = "a plaintext file" if store.storage_of(ctx, t.project, provider_key) == "file" else "the OS keyring"
    ctx.io.success(f"Authorized {result.account} for {provider.provider_name}; tokens stored in {where} "
                   f"(access token expires {expiry_text(result.tokens.expires_at)}"
                   f"{', refreshable' if result.tokens.refresh_token else ''})")
    var = store.env_var_name(provider_key)
    ctx.io.err(f"Use it: slackctl external-auth token --provider {provider_key}  (or {var} via slackctl tokens export)")


# -- remove / select-auth / token -------------------------------------------------------------------------------
def remove(ctx: Context, t: Target, provider_key: str, *, account: str | None, all_accounts: bool,
           keep_remote: bool) -> None:
    if account and all_accounts:
        raise UsageError("--account and --all cannot be used together", "pick one")
    orphan = t.mode == LOCAL and provider_key not in provider_blocks(t.project.manifest) and \
        bool(store.provider_facts(ctx.config, t.project.project_id, provider_key))
    if not orphan:
        get_provider(t.project.manifest, provider_key, local=t.mode == LOCAL)
    elif not keep_remote:
        # Tokens of a provider since dropped from the manifest: still removable, but with no endpoint to call.
        ctx.io.warn(f"provider '{provider_key}' is no longer in the manifest: removing its tokens here without "
                    "revoking them at the provider")
        keep_remote = True
    if t.mode == HOSTED:
        assert t.app_id
        with hosted.slack_client(ctx) as client:
            if all_accounts:
                hosted.delete(client, t.app_id, provider_key, None)
                ctx.io.success(f"Removed every {provider_key} account of app {t.app_id}")
                return
            if not account:
                found = hosted.accounts(hosted.provider_entry(hosted.list_all(client, t.app_id), provider_key))
                account = _only(provider_key, [str(x.get("external_user_id")) for x in found])
            token_id = hosted.token_id_for(client, t.app_id, provider_key, account)
            hosted.delete(client, t.app_id, provider_key, token_id)
        ctx.io.success(f"Removed {provider_key} account {account} of app {t.app_id}")
        return
    known = sorted(store.accounts_of(ctx.config, t.project.project_id, provider_key))
    if all_accounts:
        targets = known
    elif account:
        targets = [local.resolve_account(ctx, t.project, provider_key, account)]
    else:
        targets = [_only(provider_key, known)]
    removed = local.remove(ctx, t.project, provider_key, targets, revoke=not keep_remote)
    if orphan and all_accounts:
        store.delete_client_secret(ctx, t.project, provider_key)  # nothing is left that could use it
    revoked = ""
    if not keep_remote and not orphan:
        provider = get_provider(t.project.manifest, provider_key)
        revoked = f" and revoked at {provider.provider_name}" if provider.revocation_url else ""
    ctx.io.success(f"Removed {len(removed)} {provider_key} account(s){revoked}: {', '.join(removed) or 'none'}")


def _only(provider_key: str, accounts: list[str]) -> str:
    if len(accounts) == 1:
        return accounts[0]
    if not accounts:
        raise UsageError(f"no account is authorized for provider '{provider_key}'", "nothing to remove")
    raise UsageError(f"provider '{provider_key}' has {len(accounts)} accounts: {', '.join(accounts)}",
                     "name one with --account A, or pass --all")


def select_auth(ctx: Context, t: Target, provider_key: str, *, workflow: str, account: str) -> None:
    get_provider(t.project.manifest, provider_key, local=t.mode == LOCAL)
    if t.mode == HOSTED:
        assert t.app_id
        with hosted.slack_client(ctx) as client:
            token_id = hosted.token_id_for(client, t.app_id, provider_key, account)
            hosted.select_auth(client, t.app_id, provider_key, workflow, token_id)
        ctx.io.success(f"Workflow {workflow} now uses {provider_key} account {account}")
        return
    chosen = local.resolve_account(ctx, t.project, provider_key, account)
    store.select_account(ctx, t.project, provider_key, chosen, workflow)
    ctx.io.success(f"Workflow {workflow} now uses {provider_key} account {chosen}; it is also the default for "
                   f"{store.env_var_name(provider_key)}")


def print_token(ctx: Context, t: Target, provider_key: str, *, account: str | None) -> None:
    if t.mode == HOSTED:
        raise UsageError("Slack keeps the tokens of hosted apps and hands them to functions at run time",
                         f"authorize locally instead: slackctl external-auth add --provider {provider_key} --local")
    get_provider(t.project.manifest, provider_key)
    chosen = local.resolve_account(ctx, t.project, provider_key, account)
    ctx.io.out(local.fresh_access_token(ctx, t.project, provider_key, chosen))
