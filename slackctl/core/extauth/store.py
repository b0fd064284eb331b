"""Local external-auth state: provider tokens and client secrets in the credential store, facts in config.toml.

Secrets live under the credential-store profile `external:<project id>` with kinds `<provider>/<account>/access`,
`<provider>/<account>/refresh` and `<provider>/client-secret`. Non-secret facts (accounts, expiry, scopes, the
default account) live in config.toml under `[external_auth."<project id>".providers.<provider>]`.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from slackctl import settings
from slackctl.config import Config, edit_config, file_lock
from slackctl.credentials import FILE, KEYRING, restore_secret

if TYPE_CHECKING:
    from slackctl.core.project import Project
    from slackctl.core.session import Session
    from slackctl.credentials import Store

SECTION = "external_auth"
CLIENT_SECRET = "client-secret"
LOCK_NAME = ".external-auth.lock"


@dataclass
class TokenSet:
    """What a provider's token endpoint granted."""

    access_token: str
    refresh_token: str = ""
    expires_at: int | None = None
    scopes: list[str] = field(default_factory=list)
    token_type: str = "Bearer"


def access_kind(provider: str, account: str) -> str:
    return f"{provider}/{account}/access"


def refresh_kind(provider: str, account: str) -> str:
    return f"{provider}/{account}/refresh"


def secret_kind(provider: str) -> str:
    return f"{provider}/{CLIENT_SECRET}"


# -- facts in config.toml ---------------------------------------------------------------------------------------
def project_facts(config: Config, project_id: str) -> dict[str, Any]:
    section = config.extra.get(SECTION)
    if not isinstance(section, dict):
        return {}
    facts = section.get(project_id)
    return facts if isinstance(facts, dict) else {}


def provider_facts(config: Config, project_id: str, provider: str) -> dict[str, Any]:
    providers = project_facts(config, project_id).get("providers")
    facts = providers.get(provider) if isinstance(providers, dict) else None
    return facts if isinstance(facts, dict) else {}


def accounts_of(config: Config, project_id: str, provider: str) -> dict[str, dict[str, Any]]:
    accounts = provider_facts(config, project_id, provider).get("accounts")
    return {k: v for k, v in accounts.items() if isinstance(v, dict)} if isinstance(accounts, dict) else {}


def default_account(config: Config, project_id: str, provider: str) -> str | None:
    facts = provider_facts(config, project_id, provider)
    accounts = accounts_of(config, project_id, provider)
    chosen = facts.get("default")
    if isinstance(chosen, str) and chosen in accounts:
        return chosen
    # Otherwise the most recently authorized one.
    return max(accounts, key=lambda a: accounts[a].get("updated", 0)) if accounts else None


@contextlib.contextmanager
def _edit_provider(ctx: Session, project: Project, provider: str) -> Iterator[dict[str, Any]]:
    with edit_config(ctx.config.path) as config:
        section = config.extra.setdefault(SECTION, {})
        facts = section.setdefault(project.project_id, {})
        facts["root"] = str(project.root)
        entry = facts.setdefault("providers", {}).setdefault(provider, {})
        yield entry
        if not entry.get("accounts") and not entry.get("client_secret"):
            facts["providers"].pop(provider, None)
        if not facts.get("providers"):
            section.pop(project.project_id, None)
        if not section:
            config.extra.pop(SECTION, None)
    ctx.reload_config()


def storage_of(ctx: Session, project: Project, provider: str) -> str:
    return str(provider_facts(ctx.config, project.project_id, provider).get("storage") or KEYRING)


def store_for(ctx: Session, project: Project, provider: str, insecure_storage: bool = False) -> Store:
    backend = FILE if insecure_storage else storage_of(ctx, project, provider)
    return ctx.credentials.store_for(backend)


@contextlib.contextmanager
def refresh_lock(ctx: Session) -> Iterator[None]:
    """Serialises refreshes across processes: a rotating refresh token must be spent exactly once."""
    with file_lock(ctx.config_dir, LOCK_NAME):
        yield


# -- writes -----------------------------------------------------------------------------------------------------
def _switch_storage(ctx: Session, project: Project, provider: str, backend: str) -> None:
    """Move a provider's secrets to `backend` (e.g. on --insecure-storage) so every one stays findable."""
    old_backend = storage_of(ctx, project, provider)
    if old_backend == backend or not provider_facts(ctx.config, project.project_id, provider):
        return
    old, new = ctx.credentials.store_for(old_backend), ctx.credentials.store_for(backend)
    kinds = [secret_kind(provider)]
    for account in accounts_of(ctx.config, project.project_id, provider):
        kinds += [access_kind(provider, account), refresh_kind(provider, account)]
    moved = {kind: value for kind in kinds if (value := old.get(project.store_name, kind))}
    for kind, value in moved.items():
        new.set(project.store_name, kind, value)
    with _edit_provider(ctx, project, provider) as entry:
        entry["storage"] = backend
    for kind in moved:
        old.delete(project.store_name, kind)


def save_client_secret(ctx: Session, project: Project, provider: str, secret: str, *, insecure_storage: bool) -> str:
    """Store a provider's client secret; returns the backend used."""
    backend = FILE if insecure_storage else storage_of(ctx, project, provider)
    store = ctx.credentials.store_for(backend)
    store.check_available()
    _switch_storage(ctx, project, provider, backend)
    old = store.get(project.store_name, secret_kind(provider))
    store.set(project.store_name, secret_kind(provider), secret)
    try:
        with _edit_provider(ctx, project, provider) as entry:
            entry["client_secret"] = True
            entry["storage"] = backend
    except BaseException:
        restore_secret(store, project.store_name, secret_kind(provider), old)
        raise
    return backend


def get_client_secret(ctx: Session, project: Project, provider: str) -> str | None:
    if not provider_facts(ctx.config, project.project_id, provider).get("client_secret"):
        return None
    return store_for(ctx, project, provider).get(project.store_name, secret_kind(provider))


def save_account(
    ctx: Session,
    project: Project,
    provider: str,
    account: str,
    tokens: TokenSet,
    *,
    insecure_storage: bool = False,
    make_default: bool = True,
) -> None:
    """Store an authorized account's tokens (secrets first, facts after; a failure puts the store back)."""
    backend = FILE if insecure_storage else storage_of(ctx, project, provider)
    store = ctx.credentials.store_for(backend)
    store.check_available()
    _switch_storage(ctx, project, provider, backend)
    kinds = {access_kind(provider, account): tokens.access_token}
    if tokens.refresh_token:
        kinds[refresh_kind(provider, account)] = tokens.refresh_token
    previous = {kind: store.get(project.store_name, kind) for kind in kinds}
    try:
        for kind, value in kinds.items():
            store.set(project.store_name, kind, value)
        if not tokens.refresh_token:
            # A new grant without a refresh token must not leave an older, unrelated one behind.
            store.delete(project.store_name, refresh_kind(provider, account))
        with _edit_provider(ctx, project, provider) as entry:
            entry["storage"] = backend
            facts: dict[str, Any] = {
                "updated": int(time.time()),
                "scopes": list(tokens.scopes),
                "refresh": bool(tokens.refresh_token),
            }
            if tokens.expires_at:
                facts["expires"] = int(tokens.expires_at)
            entry.setdefault("accounts", {})[account] = facts
            if make_default or not entry.get("default"):
                entry["default"] = account
    except BaseException:
        for kind, old in previous.items():
            restore_secret(store, project.store_name, kind, old)
        raise


def update_tokens(ctx: Session, project: Project, provider: str, account: str, tokens: TokenSet) -> None:
    """After a refresh: new access (and maybe rotated refresh) token and expiry, default unchanged."""
    save_account(ctx, project, provider, account, tokens, make_default=False)


def delete_account(ctx: Session, project: Project, provider: str, account: str) -> None:
    store = store_for(ctx, project, provider)
    store.delete(project.store_name, access_kind(provider, account))
    store.delete(project.store_name, refresh_kind(provider, account))
    with _edit_provider(ctx, project, provider) as entry:
        accounts = entry.get("accounts", {})
        accounts.pop(account, None)
        if not accounts:
            entry.pop("accounts", None)
        if entry.get("default") == account:
            entry.pop("default", None)
        workflows = entry.get("workflows", {})
        for wf in [w for w, a in workflows.items() if a == account]:
            workflows.pop(wf)


def delete_client_secret(ctx: Session, project: Project, provider: str) -> None:
    store_for(ctx, project, provider).delete(project.store_name, secret_kind(provider))
    with _edit_provider(ctx, project, provider) as entry:
        entry.pop("client_secret", None)


def select_account(ctx: Session, project: Project, provider: str, account: str, workflow: str | None) -> None:
    with _edit_provider(ctx, project, provider) as entry:
        entry["default"] = account
        if workflow:
            entry.setdefault("workflows", {})[workflow] = account


def read_tokens(ctx: Session, project: Project, provider: str, account: str) -> TokenSet | None:
    facts = accounts_of(ctx.config, project.project_id, provider).get(account)
    if facts is None:
        return None
    store = store_for(ctx, project, provider)
    access = store.get(project.store_name, access_kind(provider, account))
    if not access:
        return None
    refresh = store.get(project.store_name, refresh_kind(provider, account)) if facts.get("refresh") else None
    return TokenSet(access, refresh or "", facts.get("expires"), list(facts.get("scopes") or []))


# -- for `slackctl tokens list / export` ----------------------------------------------------------------------------
def env_var_name(provider: str, account: str | None = None) -> str:
    """SLACK_EXTERNAL_<PROVIDER>_TOKEN, or ..._TOKEN_<ACCOUNT> for one account; non-alphanumerics become _."""

    def slug(text: str) -> str:
        return re.sub(r"[^A-Z0-9]+", "_", text.upper()).strip("_")

    name = f"{settings.EXTERNAL_TOKEN_ENV_PREFIX}{slug(provider)}_TOKEN"
    return f"{name}_{slug(account)}" if account else name
