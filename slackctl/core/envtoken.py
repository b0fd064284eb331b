"""A deploy's app configuration token from the environment (CI): whose it is, rotated in memory when expired.

SLACK_CONFIG_TOKEN wins over the stored profiles, as SLACK_TOKEN does for API calls. Nothing is read from or
written to the keyring: the workspace comes from auth.test (or from tooling.tokens.rotate's answer), and a
token rotated with SLACK_CONFIG_REFRESH_TOKEN lives only for this run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from slackctl import settings
from slackctl.config import Profile
from slackctl.credentials import KEYRING, EnvConfigToken
from slackctl.errors import AuthError, SlackApiError

if TYPE_CHECKING:
    from slackctl.core.session import Session
    from slackctl.slack.client import SlackClient

ENV_PROFILE_PREFIX = "env:"
_EXPIRED = ("token_expired",)
_REFUSED = ("invalid_auth", "not_authed", "token_revoked", "account_inactive")


def _hint(ctx: Session) -> str:
    return (
        f"set {settings.ENV_CONFIG_TOKEN} to a current app configuration token (and "
        f"{settings.ENV_CONFIG_REFRESH_TOKEN} to its refresh token); {ctx.config_token_source()}"
    )


@dataclass
class EnvIdentity:
    """The usable token and the workspace and user it belongs to."""

    token: str
    team_id: str
    team_name: str = ""
    user_id: str = ""


def env_profile(ctx: Session, found: EnvConfigToken) -> tuple[Profile, str]:
    """A profile that exists only for this run (never saved) and the configuration token to use with it."""
    who = identify(ctx, found)
    profile = Profile(
        name=f"{ENV_PROFILE_PREFIX}{found.variable}",
        team_id=who.team_id,
        team_name=who.team_name,
        user_id=who.user_id,
        storage=KEYRING,
        kinds=["config"],
    )
    return profile, who.token


def identify(ctx: Session, found: EnvConfigToken) -> EnvIdentity:
    """auth.test with SLACK_CONFIG_TOKEN; with no token, or one Slack says has expired, rotate the refresh token
    (tooling.tokens.rotate) and use the new token for this run only."""
    with ctx.client() as client:
        client.secrets.extend(s for s in (found.token, found.refresh) if s)
        if found.token:
            response = client.call("auth.test", {}, token=found.token, idempotent=True, raise_on_error=False)
            error = str(response.data.get("error") or "")
            if response.ok:
                data = response.data
                return EnvIdentity(
                    found.token,
                    str(data.get("team_id") or ""),
                    str(data.get("team") or ""),
                    str(data.get("user_id") or ""),
                )
            if error in _EXPIRED and found.refresh:
                return _rotate(ctx, client, found.refresh)
            if error in _EXPIRED:
                raise AuthError(
                    f"{settings.ENV_CONFIG_TOKEN} has expired (configuration tokens live 12 hours) and "
                    f"{settings.ENV_CONFIG_REFRESH_TOKEN} is not set to renew it",
                    _hint(ctx),
                )
            if error in _REFUSED:
                raise AuthError(f"Slack refused {settings.ENV_CONFIG_TOKEN} ({error})", _hint(ctx))
            raise SlackApiError("auth.test", response.data)
        return _rotate(ctx, client, found.refresh)


def _rotate(ctx: Session, client: SlackClient, refresh: str) -> EnvIdentity:
    from slackctl.slack.oauth import rotate_config_token

    try:
        data = rotate_config_token(client, refresh)
    except SlackApiError as exc:
        raise AuthError(
            f"Slack refused {settings.ENV_CONFIG_REFRESH_TOKEN} ({exc.error}; refresh tokens are "
            "single-use and expire)",
            _hint(ctx),
        ) from None
    token = str(data.get("token") or "")
    if not token:
        raise AuthError("Slack's answer to tooling.tokens.rotate had no token", _hint(ctx))
    client.secrets.extend(s for s in (token, str(data.get("refresh_token") or "")) if s)
    ctx.notify(
        f"rotated the app configuration token with {settings.ENV_CONFIG_REFRESH_TOKEN} for this run "
        "(nothing stored); that refresh token is now spent, so give the next run a fresh pair"
    )
    return EnvIdentity(token, str(data.get("team_id") or ""), "", str(data.get("user_id") or ""))
