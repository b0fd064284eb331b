"""The Session the core works with: config, credentials, a Slack client factory, a clock and a request log —
and nothing of the terminal. The CLI's Context is a Session that also has io and the parsed global options."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slackctl import interrupts, settings
from slackctl.config import Config, Profile, config_dir, load_config
from slackctl.credentials import TokenKind
from slackctl.errors import AuthError, UsageError

if TYPE_CHECKING:
    from slackctl.credentials import Credentials
    from slackctl.slack.client import SlackClient


@dataclass
class ResolvedToken:
    token: str
    kind: str  # bot, user, app, config (best guess for env tokens)
    source: str  # "env:SLACK_TOKEN", "keyring", "file", "stdin"
    profile: Profile | None = None


@dataclass
class Session:
    """Everything a core function may touch. Built lazily: a Session costs nothing until config, credentials
    or a client is asked for, so `slackctl --version` never reads the config or the keyring."""

    profile_option: str | None = None  # --profile / SLACKCTL_PROFILE
    slack_url_option: str | None = None  # --slack-url / SLACKCTL_SLACK_URL
    ca_bundle: str | None = None  # --ca-bundle / SLACKCTL_CA_BUNDLE
    proxy: str | None = None  # --proxy / SLACKCTL_PROXY (else the *_PROXY variables, read by the transport)
    log: Callable[[str], None] | None = None  # where request traces go (--verbose); None: nowhere
    on_wait: Callable[[float, str], None] | None = None  # told (seconds, why) before a client waits to retry
    # Told, in a sentence for the user, what is happening while a write is shielded from an interrupt (the
    # CLI points it at stderr); the default tells nobody.
    notify: Callable[[str], None] = lambda _message: None
    clock: Callable[[], float] = time.time  # "now" for the core's expiry checks (core/rotation.py)
    # Set by the commands that create the profile --profile names (auth login, tokens add); everywhere else an
    # unknown --profile is a usage error as soon as the config is read (see `config`).
    allow_new_profile: bool = False
    last_token: ResolvedToken | None = None  # what resolve_token gave last: its kind and source name the hints
    _config: Config | None = None
    _credentials: Credentials | None = None

    # -- state ------------------------------------------------------------------------------------
    @property
    def config_dir(self) -> Path:
        return config_dir()

    @property
    def config(self) -> Config:
        if self._config is None:
            config = load_config()
            self._check_profile_option(config)
            self._config = config
        return self._config

    def _check_profile_option(self, config: Config) -> None:
        """The one place an unknown --profile / SLACKCTL_PROFILE is refused (exit 2, naming the known ones):
        every command reads the config through here, so none can silently ignore -p or fall back to another."""
        name = self.profile_option
        if not name or self.allow_new_profile or name in config.profiles:
            return
        known = ", ".join(sorted(config.profiles)) or "none yet"
        raise UsageError(
            f"no profile named '{name}' (profiles: {known})",
            "list them with: slackctl auth list; a new one is made by: slackctl auth login -p NAME",
        )

    def reload_config(self, *, check_profile: bool = True) -> Config:
        """The config as on disk now. CHECK_PROFILE=False after deleting the profile -p names: it is gone
        because this command removed it, which is no usage error."""
        if check_profile:
            self._config = None
            return self.config
        self._config = load_config()
        return self._config

    @property
    def credentials(self) -> Credentials:
        if self._credentials is None:
            from slackctl.credentials import Credentials

            self._credentials = Credentials(self.config_dir)
        return self._credentials

    @property
    def profile_name(self) -> str | None:
        return self.profile_option or self.config.active or None

    def profile(self, *, required: bool = True) -> Profile | None:
        name = self.profile_name
        profile = self.config.profile(name)
        if profile is None and required:
            if self.profile_option:
                known = ", ".join(sorted(self.config.profiles)) or "none"
                raise UsageError(
                    f"no profile named '{self.profile_option}' (profiles: {known})",
                    "list them with: slackctl auth list",
                )
            raise AuthError("not logged in to any workspace", "run: slackctl auth login")
        return profile

    def slack_url(self, profile: Profile | None = None) -> str:
        """--slack-url / SLACKCTL_SLACK_URL, else the profile's, else https://slack.com."""
        if self.slack_url_option:
            return self.slack_url_option.rstrip("/")
        if profile is None:
            try:
                profile = self.config.profile(self.profile_name)
            except Exception:  # noqa: BLE001 - a broken config must not hide the default URL
                profile = None
        if profile and profile.slack_url:
            return profile.slack_url.rstrip("/")
        return settings.DEFAULT_SLACK_URL

    def app_settings_url(self, app_id: str | None = None, profile: Profile | None = None) -> str:
        """Where a person sees an app's settings (or creates configuration tokens) on the host in use."""
        return settings.app_settings_url(self.slack_url(profile), app_id)

    def config_token_source(self, profile: Profile | None = None) -> str:
        """Where a person gets an app configuration token on the host in use (settings.config_token_source)."""
        return settings.config_token_source(self.slack_url(profile))

    # -- secrets ----------------------------------------------------------------------------------
    def get_secret(self, profile: Profile, kind: str) -> str | None:
        return self.credentials.store_for(profile.storage).get(profile.name, kind)

    def resolve_token(
        self,
        kind: str | None = None,
        *,
        prefer: tuple[str, ...] = (TokenKind.BOT, TokenKind.USER),
        use_env: bool = True,
    ) -> ResolvedToken:
        """The token a command should use: environment first (SLACK_TOKEN > SLACK_BOT_TOKEN >
        SLACK_USER_TOKEN; SLACK_CONFIG_TOKEN for a configuration token), then the active profile's stored token
        of `kind` (or the first of `prefer`). Rotating tokens near expiry are refreshed before they are returned."""
        from slackctl.credentials import env_config_token, env_token
        from slackctl.slack.tokens import guess_kind, is_slack_token

        if self.profile_option:
            _ = self.config  # an unknown --profile is refused even when an environment token wins
        if use_env and kind in (None, TokenKind.BOT, TokenKind.USER):
            env = env_token()
            if env:
                if not is_slack_token(env.token):
                    # Said here, as auth login --with-token says it, not as Slack's invalid_auth after a request.
                    raise UsageError(
                        f"the token in {env.variable} is malformed (expected something like xoxb-…)",
                        f"check what {env.variable} holds; tokens have no spaces or quotes",
                    )
                self.last_token = ResolvedToken(env.token, guess_kind(env.token) or "unknown", f"env:{env.variable}")
                return self.last_token
        if use_env and (kind == TokenKind.CONFIG or (kind is None and prefer == (TokenKind.CONFIG,))):
            found = env_config_token()
            if found and found.token:  # rotating it in memory is deploy's (core/envtoken.py), not every call's
                self.last_token = ResolvedToken(found.token, TokenKind.CONFIG, f"env:{settings.ENV_CONFIG_TOKEN}")
                return self.last_token
        profile = self.profile(required=True)
        assert profile is not None
        kinds = (kind,) if kind else prefer
        for candidate in kinds:
            if candidate in profile.kinds:
                token = self.refreshed_token(profile, candidate)
                if token:
                    self.last_token = ResolvedToken(token, candidate, profile.storage, profile)
                    return self.last_token
        wanted = kind or " or ".join(prefer)
        raise AuthError(
            f"profile '{profile.name}' has no {wanted} token",
            f"run: slackctl auth login --profile {profile.name}"
            + (" --with-token --kind " + kind if kind in (TokenKind.APP, TokenKind.CONFIG) else ""),
        )

    def refreshed_token(self, profile: Profile, kind: str) -> str | None:
        """The stored token of `kind`, rotated first when it is within the refresh margin of its expiry."""
        if kind in profile.expires:
            from slackctl.core.rotation import refresh_if_expiring

            return refresh_if_expiring(self, profile, kind)
        return self.get_secret(profile, kind)

    # -- Slack ------------------------------------------------------------------------------------
    def client(
        self, token: str | None = None, *, profile: Profile | None = None, base_url: str | None = None, **kwargs: Any
    ) -> SlackClient:
        """A client for the Slack host (or `base_url`, e.g. an incoming webhook's origin), with the session's
        proxy, CAs, limits and log."""
        from slackctl import __version__
        from slackctl.slack.client import SlackClient

        kwargs["timeout"] = check_timeout(kwargs.get("timeout") or settings.HTTP_TIMEOUT_SECONDS)
        if self.on_wait is not None:
            kwargs.setdefault("on_wait", self.on_wait)
        kwargs.setdefault("max_retries", settings.MAX_RETRIES)
        kwargs.setdefault("sleep", _backoff_sleep)
        kwargs.setdefault("waiting", interrupts.idle)
        max_body, max_retry_wait = transport_limits()
        return SlackClient(
            base_url or self.slack_url(profile),
            token,
            ca_bundle=self.ca_bundle,
            proxy=self.proxy,
            max_body=max_body,
            max_retry_wait=max_retry_wait,
            log=self.log,
            user_agent=f"slackctl/{__version__}",
            **kwargs,
        )


def check_timeout(seconds: float) -> float:
    """A --timeout (or SLACKCTL_TIMEOUT): NaN, infinity and absurd values are a usage error here, not a crash
    deep in the socket layer (a timestamp out of range)."""
    import math

    if not (math.isfinite(seconds) and 0 < seconds <= settings.MAX_TIMEOUT_SECONDS):
        raise UsageError(
            f"--timeout must be a number of seconds up to {settings.MAX_TIMEOUT_SECONDS:g} (got {seconds!r})",
            f"e.g. --timeout 30; check {settings.ENV_TIMEOUT} too",
        )
    return seconds


def transport_limits() -> tuple[int, float]:
    """(response size limit in bytes, longest Retry-After wait in seconds) from the environment or defaults."""
    import math
    import os

    def number(name: str, default: float) -> float:
        raw = os.environ.get(name, "").strip()
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if not math.isfinite(value) or value <= 0:
            raise UsageError(f"{name}={raw!r} is not a positive number", f"set {name} to a number, or unset it")
        return value

    megabytes = number(settings.ENV_MAX_RESPONSE_MB, settings.MAX_RESPONSE_MB)
    return int(megabytes * 1024 * 1024), number(settings.ENV_MAX_RETRY_WAIT, settings.MAX_RETRY_WAIT_SECONDS)


__all__ = ["ResolvedToken", "Session", "check_timeout", "transport_limits"]


def _backoff_sleep(seconds: float) -> None:
    """A client's wait between attempts (inside interrupts.idle: nothing is in flight, so Ctrl-C ends it at once).
    The sleep itself is the client module's, looked up now (tests replace it to skip real waits)."""
    from slackctl.slack import client as slack_client

    slack_client.SLEEP(seconds)
