"""Storing a login: secrets to the credential store, facts to config.toml, nothing half-written on failure."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from slackctl.config import Profile, edit_config
from slackctl.credentials import FILE, KEYRING, TokenKind, restore_secret
from slackctl.errors import UsageError

if TYPE_CHECKING:
    from slackctl.core.session import Session
    from slackctl.slack.client import SlackClient
    from slackctl.slack.oauth import AuthorizeRequest


@dataclass
class LoginResult:
    """What a login learned. `secrets` maps credential kind (bot, user, app, config, bot-refresh, …) to value."""

    team_id: str = ""
    team_name: str = ""
    team_domain: str = ""
    user_id: str = ""
    user_name: str = ""
    bot_user_id: str = ""
    app_id: str = ""
    slack_url: str = ""
    secrets: dict[str, str] = field(default_factory=dict)
    scopes: dict[str, list[str]] = field(default_factory=dict)
    expires: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    # Set by save_login: the token kinds whose earlier, different value this login replaced (and that app's id).
    replaced: list[str] = field(default_factory=list)
    replaced_app_id: str = ""


def emulator_client_id(ctx: Session) -> str | None:
    """The client id of the emulator's default app when the Slack URL is a loopback emulator (its
    /_emulator/info says so), so a plain `auth login` works against it; None for anything else. Only loopback
    hosts are asked: a real Slack host is never sent to a path of slackctl's own."""
    from urllib.parse import urlsplit

    from slackctl.errors import NetworkError, SlackctlError
    from slackctl.slack.httpserver import is_loopback_host

    url = ctx.slack_url(None)
    if not is_loopback_host(urlsplit(url).hostname or ""):
        return None
    try:
        with ctx.client(max_retries=0) as client:
            response = client.transport.request(
                "GET",
                url + "/_emulator/info",
                {"User-Agent": client.user_agent},
                what="the emulator's default app",
                repeatable=True,
            )
            data = response.json() if response.status_code == 200 else None
    except NetworkError as exc:
        if exc.refused_here:
            # Said now: else the login goes on to ask for a client id the emulator would have given.
            raise NetworkError(
                f"cannot reach the emulator at {url}: nothing listens there",
                "start it (slackctl emulator start) or pass the running one's --slack-url",
                kind=exc.kind,
            ) from None
        return None
    except (SlackctlError, ValueError):
        return None
    app = data.get("default_app") if isinstance(data, dict) else None
    client_id = app.get("client_id") if isinstance(app, dict) else None
    return client_id if isinstance(client_id, str) and client_id else None


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "default"


def profile_name_for(
    ctx: Session, result: LoginResult, requested: str | None, choose: Callable[[list[str]], str] | None = None
) -> str:
    """--profile wins; else the one profile of the same workspace, or the active one when several are (else
    `choose` picks among them, or a usage error lists them); else the workspace's domain or name."""
    if requested:
        return requested
    config = ctx.config
    same_team = sorted(name for name, p in config.profiles.items() if result.team_id and p.team_id == result.team_id)
    if len(same_team) == 1:
        return same_team[0]
    if same_team:
        if config.active in same_team:
            return config.active
        if choose is not None:
            return choose(same_team)
        team = result.team_name or result.team_id
        raise UsageError(
            f"{len(same_team)} profiles are logged in to {team}: {', '.join(same_team)}",
            "say which one with --profile NAME",
        )
    return slugify(result.team_domain or result.team_name or result.team_id)


def save_login(
    ctx: Session,
    result: LoginResult,
    *,
    profile_name: str | None = None,
    insecure_storage: bool = False,
    activate: bool = False,
    choose: Callable[[list[str]], str] | None = None,
) -> tuple[Profile, bool]:
    """Store `result` under a profile; returns (profile, became_active). The first profile becomes active.
    `choose` picks among several profiles of the workspace (the CLI asks at a terminal)."""
    name = profile_name_for(ctx, result, profile_name, choose)
    existing = ctx.config.profiles.get(name)
    backend = FILE if insecure_storage else (existing.storage if existing else KEYRING)
    store = ctx.credentials.store_for(backend)
    store.check_available()  # refuse before anything is written

    previous: dict[str, str | None] = {kind: store.get(name, kind) for kind in result.secrets}
    result.replaced = [
        kind
        for kind in (TokenKind.BOT, TokenKind.USER, TokenKind.APP, TokenKind.CONFIG)
        if previous.get(kind) and previous.get(kind) != result.secrets.get(kind)
    ]
    result.replaced_app_id = (
        existing.app_id if (existing and existing.app_id and result.app_id and existing.app_id != result.app_id) else ""
    )
    try:
        for kind, secret in result.secrets.items():
            store.set(name, kind, secret)
        with edit_config(ctx.config.path) as config:
            profile = config.profiles.get(name) or Profile(name=name)
            if existing and existing.storage != backend:
                profile.kinds = []  # moved between stores: the old store's kinds are not here
            profile.storage = backend
            for attr in ("team_id", "team_name", "user_id", "user_name", "bot_user_id", "app_id", "slack_url"):
                value = getattr(result, attr)
                if value:
                    setattr(profile, attr, value)
            for kind in result.secrets:
                profile.add_kind(kind)
            profile.scopes.update(result.scopes)
            for kind in result.secrets:
                if kind in result.expires:
                    profile.expires[kind] = result.expires[kind]
                else:
                    profile.expires.pop(kind, None)
            profile.extra.update(result.extra)
            config.profiles[name] = profile
            became_active = False
            if activate or not config.active or config.active not in config.profiles:
                config.active = name
                became_active = True
    except BaseException:
        # Put the store back as it was: a failed login leaves nothing behind.
        for kind, old in previous.items():
            restore_secret(store, name, kind, old)
        raise
    ctx.reload_config()
    return profile, became_active


def forget_profile(ctx: Session, profile: Profile) -> list[str]:
    """Delete a profile's secrets and its config entry; returns the kinds deleted."""
    store = ctx.credentials.store_for(profile.storage)
    deleted: list[str] = []
    for kind in list(profile.kinds):
        store.delete(profile.name, kind)
        deleted.append(kind)
    with edit_config(ctx.config.path) as config:
        config.profiles.pop(profile.name, None)
        if config.active == profile.name:
            config.active = sorted(config.profiles)[0] if config.profiles else ""
    ctx.reload_config(check_profile=False)  # -p / SLACKCTL_PROFILE may name the profile just deleted
    return deleted


def login_with_token(client: SlackClient, token: str, kind: str, refresh_token: str | None = None) -> LoginResult:
    """Validate `token` of `kind` against Slack and describe it. Raises on rejection; stores nothing.

    bot/user: auth.test. app (xapp-): apps.connections.open (auth.test refuses app tokens).
    config: rotated once with tooling.tokens.rotate, which proves the pair and names the workspace.
    """
    import time

    from slackctl import settings
    from slackctl.errors import SlackApiError, UsageError
    from slackctl.slack import tokens as tk

    result = LoginResult(slack_url=client.base_url)
    if kind in (TokenKind.BOT, TokenKind.USER):
        resp = client.call("auth.test", token=token)
        data = resp.data
        result.team_id = data.get("team_id", "")
        result.team_name = data.get("team", "")
        result.user_id = data.get("user_id", "")
        result.user_name = data.get("user", "")
        result.team_domain = _domain_of(str(data.get("url", "")))
        if kind == TokenKind.BOT:
            result.bot_user_id = data.get("user_id", "")
        result.secrets[kind] = token
        result.scopes[kind] = resp.scopes
        return result
    if kind == TokenKind.APP:
        client.call("apps.connections.open", token=token)
        result.secrets[TokenKind.APP] = token
        return result
    if kind == TokenKind.CONFIG:
        if not refresh_token:
            raise UsageError(
                "a configuration token needs its refresh token (xoxe-…) on the second line of stdin",
                'printf \'%s\\n%s\\n\' "$CONFIG_TOKEN" "$REFRESH_TOKEN" | slackctl auth login --with-token',
            )
        try:
            resp = client.call("tooling.tokens.rotate", {"refresh_token": refresh_token}, token="")
        except SlackApiError as exc:
            raise SlackApiError(
                exc.method,
                exc.response,
                "the refresh token was refused; " + settings.config_token_source(client.base_url),
            ) from None
        data = resp.data
        result.team_id = data.get("team_id", "")
        result.user_id = data.get("user_id", "")
        result.secrets[TokenKind.CONFIG] = data["token"]
        result.secrets[tk.CONFIG_REFRESH] = data["refresh_token"]
        result.expires[TokenKind.CONFIG] = int(data.get("exp") or time.time() + 43200)
        # The rotation names the team by id only: auth.test gives its domain and name, so the profile is named
        # like a bot or user login's (the workspace's domain, or the emulator's team name), not after an id.
        who = client.call("auth.test", token=data["token"], raise_on_error=False)
        if who.ok:
            result.team_name = str(who.data.get("team", "") or "")
            result.user_name = str(who.data.get("user", "") or "")
            result.team_domain = _domain_of(str(who.data.get("url", "")))
        return result
    raise UsageError(f"cannot log in with a token of kind '{kind}'", "use --kind bot|user|app|config")


def _domain_of(url: str) -> str:
    """Only a real workspace URL (acme.slack.com, acme.slack-gov.com) names the domain; an emulator's 127.0.0.1
    does not, and the team name is used instead."""
    m = re.match(r"https?://([a-z0-9-]+)\.(?:enterprise\.)?slack(?:-gov)?\.com/?", url)
    return m.group(1) if m else ""


def _member_name(client: SlackClient, bot_token: str, user_id: str) -> str:
    """The installing user's name, as a PKCE login (auth.test of their own token) shows it; "" when the bot may
    not read users (no users:read) or the lookup fails: the id is shown then, and the login does not fail."""
    from slackctl.errors import SlackctlError

    if not user_id:
        return ""
    try:
        resp = client.call("users.info", {"user": user_id}, token=bot_token, raise_on_error=False)
    except SlackctlError:
        return ""
    user = resp.data.get("user") if resp.ok else None
    return str(user.get("name") or "") if isinstance(user, dict) else ""


def result_from_exchange(
    client: SlackClient,
    data: dict[str, Any],
    *,
    req: AuthorizeRequest,
    client_id: str,
    use_pkce: bool,
    client_secret: str | None,
    slack_url: str,
) -> LoginResult:
    """The login an oauth.v2.access (or openid.connect.token) answer amounts to: tokens, scopes, expiries,
    the identity of a Sign in with Slack login, and the workspace and user auth.test names."""
    import time

    from slackctl.errors import AuthError
    from slackctl.slack import oauth
    from slackctl.slack import tokens as tk

    now = time.time()
    result = LoginResult(slack_url=slack_url)
    extra: dict[str, Any] = {"client_id": client_id, "pkce": use_pkce}
    if req.openid:
        claims = oauth.validate_id_token(
            str(data.get("id_token") or ""),
            jwks=oauth.fetch_jwks(client, slack_url),
            issuer=slack_url,
            audience=client_id,
            nonce=req.nonce,
        )
        extra["identity"] = oauth.identity_from_claims(claims)
        user_token = {
            "access_token": data.get("access_token"),
            "refresh_token": data.get("refresh_token"),
            "expires_in": data.get("expires_in"),
            "scope": ",".join(req.user_scopes),
        }
        bot_token: dict[str, Any] = {}
    else:
        bot_token = data if data.get("access_token") else {}
        user_token = data.get("authed_user") or {}
        result.app_id = str(data.get("app_id") or "")
        result.bot_user_id = str(data.get("bot_user_id") or "")
    for kind, part in ((TokenKind.BOT, bot_token), (TokenKind.USER, user_token)):
        token = part.get("access_token")
        if not token:
            continue
        client.secrets.append(token)
        result.secrets[kind] = token
        result.scopes[kind] = oauth.split_scopes(part.get("scope"))
        refresh = part.get("refresh_token")
        if isinstance(refresh, str) and refresh:
            result.secrets[tk.REFRESH_OF[kind]] = refresh
            client.secrets.append(refresh)
        exp = oauth.expiry(part, now)
        if exp:
            result.expires[kind] = exp
    if not result.secrets:
        raise AuthError("Slack's answer carried no token", "run: slackctl auth login")
    if client_secret and (tk.BOT_REFRESH in result.secrets or tk.USER_REFRESH in result.secrets):
        result.secrets[tk.CLIENT_SECRET] = client_secret  # rotation needs it; kept in the keyring only
    # auth.test names the workspace and user (for the profile name) and proves the token works.
    probe_kind = TokenKind.USER if TokenKind.USER in result.secrets else TokenKind.BOT
    probe = login_with_token(client, result.secrets[probe_kind], probe_kind)
    for attr in ("team_id", "team_name", "team_domain", "user_id", "user_name"):
        setattr(result, attr, getattr(probe, attr) or getattr(result, attr))
    if probe_kind == TokenKind.BOT:
        # auth.test of a bot token names the bot; the person who installed the app is authed_user.
        result.user_id = str((data.get("authed_user") or {}).get("id") or "")
        result.user_name = _member_name(client, result.secrets[TokenKind.BOT], result.user_id)
    if result.team_domain.isdigit():
        result.team_domain = ""  # auth.test's url was an IP address (an emulator): name the profile by team name
    identity = extra.get("identity") or {}
    result.team_domain = identity.get("team_domain") or result.team_domain
    team = data.get("team") or {}
    result.team_id = result.team_id or str(team.get("id") or "")
    result.team_name = result.team_name or str(team.get("name") or "")
    result.extra = extra
    return result
