"""Local mode: slackctl itself runs the provider's OAuth2 authorization-code flow (PKCE S256 + state) through the
loopback listener, keeps the tokens in the credential store, refreshes them before use and revokes them on remove."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slackctl import settings
from slackctl.core.extauth import store
from slackctl.core.extauth.oauth2 import ProviderClient, ProviderError, authorization_url
from slackctl.core.extauth.providers import Provider, get_provider
from slackctl.core.project import Project
from slackctl.errors import AuthError, UsageError

if TYPE_CHECKING:
    from pathlib import Path

    from slackctl.core.session import Session

# Shows the user the provider's authorization URL and the redirect URL to register (the CLI prints them and
# opens a browser); called once the listener is up, so the redirect can land.
ShowUrl = Callable[[str, str], None]


@dataclass
class Authorized:
    account: str
    tokens: store.TokenSet
    redirect_uri: str


def provider_client(ctx: Session, project: Project, provider: Provider) -> ProviderClient:
    secret = store.get_client_secret(ctx, project, provider.key)
    return ProviderClient(provider, client_secret=secret, ca_bundle=ctx.ca_bundle, proxy=ctx.proxy, log=ctx.log)


def authorize(
    ctx: Session,
    project: Project,
    provider: Provider,
    *,
    port: int,
    timeout: float,
    show_url: ShowUrl,
    paste_line: Callable[[], str] | None = None,
    insecure_storage: bool = False,
) -> Authorized:
    """Run the whole flow; store the account only once the code exchange and identity lookup have worked."""
    from slackctl.slack import pkce
    from slackctl.slack.loopback import LoopbackListener, parse_pasted

    verifier = pkce.new_verifier()
    state = pkce.new_state()
    challenge = pkce.challenge_s256(verifier)
    if paste_line is not None:
        redirect_uri = f"http://127.0.0.1:{port}/callback"
        url = authorization_url(provider, redirect_uri=redirect_uri, state=state, challenge=challenge)
        show_url(url, redirect_uri)
        params = parse_pasted(paste_line(), state)
    else:
        # Only 127.0.0.1: the redirect the user registered at the provider names that address.
        with LoopbackListener(port, state=state, hostnames=("127.0.0.1",)) as listener:
            redirect_uri = listener.redirect_uri("127.0.0.1")
            url = authorization_url(provider, redirect_uri=redirect_uri, state=state, challenge=challenge)
            show_url(url, redirect_uri)
            params = listener.wait(timeout)
    code = params.get("code", "")
    if not code:
        raise AuthError(
            f"{provider.provider_name} redirected back without a code",
            f"try again: slackctl external-auth add --provider {provider.key}",
        )
    with provider_client(ctx, project, provider) as client:
        tokens = client.exchange_code(code, redirect_uri=redirect_uri, verifier=verifier)
        account = client.identity(tokens.access_token)
    store.save_account(ctx, project, provider.key, account, tokens, insecure_storage=insecure_storage)
    return Authorized(account, tokens, redirect_uri)


def resolve_account(ctx: Session, project: Project, provider_key: str, account: str | None) -> str:
    accounts = store.accounts_of(ctx.config, project.project_id, provider_key)
    if account:
        if account not in accounts:
            known = ", ".join(sorted(accounts)) or "none"
            raise UsageError(
                f"no local account '{account}' for provider '{provider_key}' (accounts: {known})",
                "list them: slackctl external-auth list --local",
            )
        return account
    chosen = store.default_account(ctx.config, project.project_id, provider_key)
    if chosen is None:
        raise AuthError(
            f"no account is authorized locally for provider '{provider_key}'",
            f"run: slackctl external-auth add --provider {provider_key} --local",
        )
    return chosen


def fresh_access_token(ctx: Session, project: Project, provider_key: str, account: str) -> str:
    """The account's access token, refreshed first (grant_type=refresh_token) when it is near expiry."""
    with store.refresh_lock(ctx):
        # Re-read under the lock: another process may have refreshed (and rotated) it a moment ago.
        ctx.reload_config()
        tokens = store.read_tokens(ctx, project, provider_key, account)
        if tokens is None:
            raise AuthError(
                f"the tokens of {provider_key}/{account} are missing from the credential store",
                f"authorize again: slackctl external-auth add --provider {provider_key} --local",
            )
        if not tokens.expires_at or tokens.expires_at - ctx.clock() > settings.REFRESH_MARGIN_SECONDS:
            return tokens.access_token
        if not tokens.refresh_token:
            raise AuthError(
                f"the access token of {provider_key}/{account} has expired and there is no refresh token",
                f"authorize again: slackctl external-auth add --provider {provider_key} --local",
            )
        provider = get_provider(project.manifest, provider_key)
        with provider_client(ctx, project, provider) as client:
            fresh = client.refresh(tokens.refresh_token)
        if not fresh.scopes:
            fresh.scopes = tokens.scopes
        store.update_tokens(ctx, project, provider_key, account, fresh)
        return fresh.access_token


def remove(ctx: Session, project: Project, provider_key: str, accounts: list[str], *, revoke: bool = True) -> list[str]:
    """Revoke at the provider (when it names a revocation_url) and delete locally; returns what was removed."""
    provider = get_provider(project.manifest, provider_key) if revoke else None
    removed: list[str] = []
    for account in accounts:
        if provider is not None and provider.revocation_url:
            tokens = store.read_tokens(ctx, project, provider_key, account)
            if tokens is not None:
                with provider_client(ctx, project, provider) as client:
                    # Revoking the refresh token ends the whole grant at most providers (RFC 7009 2.1).
                    if tokens.refresh_token:
                        client.revoke(tokens.refresh_token, "refresh_token")
                    client.revoke(tokens.access_token, "access_token")
        store.delete_account(ctx, project, provider_key, account)
        removed.append(account)
    return removed


# -- the tokens command's view: every local account of the current project ------------------------------
def current_project(ctx: Session, cwd: Path | None = None) -> Project | None:
    from slackctl.core.extauth.providers import find_project

    try:
        return find_project(cwd)
    except UsageError:
        return None


def list_local_accounts(ctx: Session, cwd: Path | None = None) -> list[dict[str, Any]]:
    """Locally authorized accounts of the project in `cwd` (default: the working dir); no network, no refresh."""
    from slackctl.slack.tokens import mask

    project = current_project(ctx, cwd)
    if project is None:
        return []
    rows: list[dict[str, Any]] = []
    providers = store.project_facts(ctx.config, project.project_id).get("providers") or {}
    for provider in sorted(providers):
        storage = store.storage_of(ctx, project, provider)
        for account, facts in sorted(store.accounts_of(ctx.config, project.project_id, provider).items()):
            kind = store.access_kind(provider, account)
            token = store.store_for(ctx, project, provider).get(project.store_name, kind)
            rows.append(
                {
                    "name": f"external/{provider}/{account}",
                    "kind": "provider",
                    "masked": mask(token or ""),
                    "expires": facts.get("expires"),
                    "storage": "plaintext file" if storage == store.FILE else "keyring",
                }
            )
    return rows


def export_env(ctx: Session, cwd: Path | None = None) -> dict[str, str]:
    """Variable -> fresh access token for every local account of the project in `cwd` (refreshed when due)."""
    project = current_project(ctx, cwd)
    if project is None:
        return {}
    env: dict[str, str] = {}
    providers = store.project_facts(ctx.config, project.project_id).get("providers") or {}
    for provider in sorted(providers):
        default = store.default_account(ctx.config, project.project_id, provider)
        for account in sorted(store.accounts_of(ctx.config, project.project_id, provider)):
            token = fresh_access_token(ctx, project, provider, account)
            env[store.env_var_name(provider, account)] = token
            if account == default:
                env[store.env_var_name(provider)] = token
    return env


__all__ = [
    "Authorized",
    "ProviderError",
    "authorize",
    "export_env",
    "fresh_access_token",
    "list_local_accounts",
    "remove",
    "resolve_account",
]
