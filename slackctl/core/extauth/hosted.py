"""Hosted mode: Slack keeps the provider tokens of apps on its infrastructure; slackctl drives the
apps.auth.external.* methods (client secret, start, list, delete, workflow auth mapping)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slackctl import settings
from slackctl.core.project import Project
from slackctl.credentials import TokenKind
from slackctl.errors import AuthError, UsageError

if TYPE_CHECKING:
    from slackctl.core.session import Session
    from slackctl.slack.client import SlackClient


def app_id_for(ctx: Session, project: Project, app_id: str | None) -> str:
    """--app, else the app deployed from this project for the environment and the active workspace."""
    if app_id:
        return app_id
    from slackctl.core.project import pick_app

    env = project.env or _default_env()
    record = pick_app(ctx, project, env)
    if record is not None:
        return record.app_id
    raise UsageError(
        f"no deployed app of environment '{env}' is recorded for this project",
        "deploy it first (slackctl deploy), pass --app A…, or use --local",
    )


def _default_env() -> str:
    import os

    return os.environ.get(settings.ENV_DEPLOY_ENV, "") or settings.DEFAULT_DEPLOY_ENV


def slack_client(ctx: Session, secrets: list[str] | None = None) -> SlackClient:
    resolved = ctx.resolve_token(prefer=(TokenKind.USER, TokenKind.CONFIG, TokenKind.BOT))
    return ctx.client(resolved.token, profile=resolved.profile, secrets=secrets or [])


def list_all(client: SlackClient, app_id: str) -> dict[str, Any]:
    data = client.call("apps.auth.external.list", json_body={"app_id": app_id, "include_workflows": True}).data
    return {"authorizations": list(data.get("authorizations") or []), "workflows": list(data.get("workflows") or [])}


def provider_entry(listing: dict[str, Any], provider_key: str) -> dict[str, Any]:
    for entry in listing["authorizations"]:
        if entry.get("provider_key") == provider_key:
            return entry
    return {}


def accounts(entry: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in entry.get("external_tokens") or [] if isinstance(t, dict)]


def add_secret(client: SlackClient, app_id: str, provider_key: str, secret: str) -> None:
    client.call(
        "apps.auth.external.clientSecret.add",
        json_body={"app_id": app_id, "provider_key": provider_key, "client_secret": secret},
    )


def start(client: SlackClient, app_id: str, provider_key: str) -> str:
    data = client.call("apps.auth.external.start", json_body={"app_id": app_id, "provider_key": provider_key}).data
    url = data.get("authorization_url")
    if not isinstance(url, str) or not url:
        raise AuthError(
            "apps.auth.external.start returned no authorization_url",
            f"check the provider '{provider_key}' has a client secret: "
            f"slackctl external-auth add-secret --provider {provider_key} --hosted",
        )
    return url


def wait_for_new_account(
    client: SlackClient,
    app_id: str,
    provider_key: str,
    before: set[str],
    *,
    timeout: float,
    poll: float = settings.EXTERNAL_AUTH_POLL_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """Poll apps.auth.external.list until a token id not in `before` (or a newer date_updated) shows up."""
    deadline = time.monotonic() + timeout
    while True:
        entry = provider_entry(list_all(client, app_id), provider_key)
        for token in accounts(entry):
            key = _token_key(token)
            if key not in before:
                return token
        if time.monotonic() >= deadline:
            minutes = f"{timeout / 60:g} minutes" if timeout >= 60 else f"{timeout:g} seconds"
            raise AuthError(
                f"no new {provider_key} account appeared within {minutes}",
                "finish the authorization in the browser, then check: slackctl external-auth list "
                "(or try again with a longer --timeout)",
            )
        sleep(poll)


def snapshot(client: SlackClient, app_id: str, provider_key: str) -> set[str]:
    return {_token_key(t) for t in accounts(provider_entry(list_all(client, app_id), provider_key))}


def _token_key(token: dict[str, Any]) -> str:
    # Re-authorizing an existing account keeps its id but bumps date_updated: both count as "new".
    return f"{token.get('external_token_id', '')}@{token.get('date_updated', '')}"


def token_id_for(client: SlackClient, app_id: str, provider_key: str, account: str) -> str:
    """The external_token_id of `account` (an external_user_id, or the id itself)."""
    entry = provider_entry(list_all(client, app_id), provider_key)
    found = accounts(entry)
    for token in found:
        if account in (token.get("external_user_id"), token.get("external_token_id")):
            return str(token.get("external_token_id"))
    known = ", ".join(str(t.get("external_user_id")) for t in found) or "none"
    raise UsageError(
        f"no account '{account}' is authorized for provider '{provider_key}' (accounts: {known})",
        "list them: slackctl external-auth list --hosted",
    )


def delete(client: SlackClient, app_id: str, provider_key: str, token_id: str | None) -> None:
    # Slack's own CLI sends the token id alone; the app and provider are sent too so the call reads the same
    # with or without one.
    body: dict[str, Any] = {"app_id": app_id, "provider_key": provider_key}
    if token_id:
        body["external_token_id"] = token_id
    client.call("apps.auth.external.delete", json_body=body)


def select_auth(client: SlackClient, app_id: str, provider_key: str, workflow: str, token_id: str) -> None:
    client.call(
        "apps.auth.external.authMapping.update",
        json_body={
            "app_id": app_id,
            "provider_key": provider_key,
            "workflow_id": workflow,
            "external_token_id": token_id,
            "mapping_owner_type": "DEVELOPER",
        },
    )
