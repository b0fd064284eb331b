"""Refreshing rotating tokens before use, safely across concurrent slackctl processes.

A rotating token (bot/user from OAuth with token rotation, or an app configuration token) is refreshed when it is
within settings.REFRESH_MARGIN_SECONDS of its expiry. Slack invalidates a refresh token once it has been used, so
two processes must never both spend the same one: rotation happens under a per-profile file lock, and inside the
lock the config and stored refresh token are re-read — if another process already rotated, its result is used.

Crash safety: the new refresh token is written first, then the new access token, then the expiry in config.toml.
Stopping between any two steps leaves a state the next run can recover from (at worst it refreshes once more with
the new refresh token); the old refresh token is only overwritten once its successor is safely stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slackctl import interrupts, settings
from slackctl.config import edit_config, file_lock
from slackctl.credentials import TokenKind
from slackctl.errors import AuthError, SlackApiError
from slackctl.slack import tokens as tk

if TYPE_CHECKING:
    from slackctl.config import Profile
    from slackctl.core.session import Session

RELOGIN = "run: slackctl auth login"


def _relogin_hint(ctx: Session, profile: Profile, kind: str) -> str:
    if kind == TokenKind.CONFIG:
        return (
            f"{ctx.config_token_source(profile)}; store it with its refresh token: slackctl auth login "
            f"--with-token --kind config --profile {profile.name}"
        )
    return f"{RELOGIN} --profile {profile.name}"


def _fresh_enough(expires_at: int | None, now: float) -> bool:
    return bool(expires_at) and (expires_at or 0) - now > settings.REFRESH_MARGIN_SECONDS


def refresh_if_expiring(ctx: Session, profile: Profile, kind: str) -> str:
    """The stored token of `kind`, rotated first when it expires within the refresh margin."""
    token = ctx.get_secret(profile, kind)
    if token and _fresh_enough(profile.expires.get(kind), ctx.clock()):
        return token
    return _rotate(ctx, profile, kind, force=False)


def rotate_now(ctx: Session, profile: Profile, kind: str) -> str:
    """Rotate `kind` now whatever its expiry (for `slackctl tokens rotate`); the new access token."""
    return _rotate(ctx, profile, kind, force=True)


def _rotate(ctx: Session, profile: Profile, kind: str, *, force: bool) -> str:
    refresh_kind = tk.REFRESH_OF.get(kind)
    if refresh_kind is None:
        raise AuthError(f"{kind} tokens do not rotate", "only bot, user and configuration tokens can be refreshed")
    seen_expiry = profile.expires.get(kind)
    with file_lock(ctx.config_dir, f".rotate-{profile.name}.lock"):
        # Inside the lock, trust only what is on disk: another process may have rotated while we waited.
        current = ctx.reload_config().profiles.get(profile.name)
        if current is None:
            raise AuthError(f"profile '{profile.name}' disappeared while refreshing its token", RELOGIN)
        store = ctx.credentials.store_for(current.storage)
        token = store.get(current.name, kind)
        now = ctx.clock()
        rotated_elsewhere = current.expires.get(kind) != seen_expiry
        if token and _fresh_enough(current.expires.get(kind), now) and (not force or rotated_elsewhere):
            _sync(profile, current, kind)
            return token
        refresh = store.get(current.name, refresh_kind)
        if not refresh:
            raise AuthError(
                f"the {kind} token of profile '{current.name}' expired and no refresh token is stored",
                _relogin_hint(ctx, current, kind),
            )
        # The refresh spends the old refresh token: an interrupt while it is in flight lets it finish and the
        # new pair be stored (interrupts.shielded), or the profile would be left with a spent refresh token.
        with interrupts.shielded(f"the {kind} token refresh", notify=ctx.notify) as shield:
            data = _call_refresh(ctx, current, kind, refresh)
            new_token, new_refresh = _pair(data, kind)
            if not new_token or not new_refresh:
                raise AuthError(
                    f"Slack's answer to the {kind} token refresh had no new token pair",
                    _relogin_hint(ctx, current, kind),
                )
            from slackctl.slack.oauth import expiry

            new_expiry = expiry(data, now) or int(now + 43200)
            # Order matters for crash safety (module docstring): refresh token, access token, then the expiry.
            store.set(current.name, refresh_kind, new_refresh)
            store.set(current.name, kind, new_token)
            with edit_config(ctx.config.path) as config:
                stored = config.profiles.get(current.name)
                if stored is not None:
                    stored.expires[kind] = new_expiry
                    stored.add_kind(kind)
                    stored.add_kind(refresh_kind)
            shield.note = f"the refreshed {kind} token of profile '{current.name}' was stored"
        current = ctx.reload_config().profiles.get(profile.name) or current
    _sync(profile, current, kind)
    return new_token


def _sync(profile: Profile, current: Profile, kind: str) -> None:
    """Keep the caller's Profile object in step with disk (it may be used again in this process)."""
    if kind in current.expires:
        profile.expires[kind] = current.expires[kind]


def _call_refresh(ctx: Session, profile: Profile, kind: str, refresh: str) -> dict:
    from slackctl.slack.oauth import refresh_token, rotate_config_token

    with ctx.client(profile=profile) as client:
        client.secrets.append(refresh)
        try:
            if kind == TokenKind.CONFIG:
                return rotate_config_token(client, refresh)
            client_id = str(profile.extra.get("client_id") or "") or ctx.get_secret(profile, tk.CLIENT_ID) or ""
            if not client_id:
                raise AuthError(
                    f"cannot refresh the {kind} token of profile '{profile.name}': its app's client id is unknown",
                    _relogin_hint(ctx, profile, kind),
                )
            secret = None if profile.extra.get("pkce") else ctx.get_secret(profile, tk.CLIENT_SECRET)
            if not secret and not profile.extra.get("pkce"):
                raise AuthError(
                    f"cannot refresh the {kind} token of profile '{profile.name}': its app's client "
                    "secret is not stored",
                    _relogin_hint(ctx, profile, kind),
                )
            return refresh_token(client, client_id=client_id, client_secret=secret, refresh=refresh)
        except SlackApiError as exc:
            raise AuthError(
                f"Slack refused to refresh the {kind} token of profile '{profile.name}': {exc.error}",
                _relogin_hint(ctx, profile, kind),
            ) from None


def _pair(data: dict, kind: str) -> tuple[str, str]:
    if kind == TokenKind.CONFIG:
        return str(data.get("token") or ""), str(data.get("refresh_token") or "")
    # A refreshed user token may come back top-level or under authed_user, depending on the grant.
    if data.get("access_token"):
        return str(data["access_token"]), str(data.get("refresh_token") or "")
    user = data.get("authed_user") or {}
    return str(user.get("access_token") or ""), str(user.get("refresh_token") or "")
