"""One object handed to every command: io, options, config, credentials, Slack client — each built lazily,
so `slackctl --version` never builds a client or touches the keyring."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slackctl import settings
from slackctl.cli.io import IO
from slackctl.config import Config, Profile, config_dir, load_config
from slackctl.credentials import TokenKind
from slackctl.errors import AuthError, UsageError

if TYPE_CHECKING:
    import typer

    from slackctl.credentials import Credentials
    from slackctl.slack.client import SlackClient


@dataclass
class Options:
    """The global options (they may appear anywhere on the command line)."""

    profile: str | None = None
    slack_url: str | None = None
    verbose: bool = False
    no_color: bool = False
    ca_bundle: str | None = None


@dataclass
class ResolvedToken:
    token: str
    kind: str  # bot, user, app, config (best guess for env tokens)
    source: str  # "env:SLACK_TOKEN", "keyring", "file", "stdin"
    profile: Profile | None = None


@dataclass
class Context:
    options: Options = field(default_factory=Options)
    io: IO = field(default_factory=IO)
    _config: Config | None = None
    _credentials: Credentials | None = None

    @classmethod
    def start(cls, options: Options, io: IO) -> Context:
        """The context of one invocation, once the global options are parsed (by Typer or the fast path)."""
        if options.slack_url and not options.slack_url.startswith(("http://", "https://")):
            raise UsageError(f"--slack-url must start with http:// or https:// (got {options.slack_url!r})",
                             "e.g. --slack-url https://slack.com")
        io._no_color = options.no_color or io._no_color
        return cls(options=options, io=io)

    # -- state ------------------------------------------------------------------------------------
    @property
    def config_dir(self) -> Path:
        return config_dir()

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config()
        return self._config

    def reload_config(self) -> Config:
        self._config = None
        return self.config

    @property
    def credentials(self) -> Credentials:
        if self._credentials is None:
            from slackctl.credentials import Credentials

            self._credentials = Credentials(self.config_dir)
        return self._credentials

    @property
    def profile_name(self) -> str | None:
        return self.options.profile or self.config.active or None

    def profile(self, *, required: bool = True) -> Profile | None:
        name = self.profile_name
        profile = self.config.profile(name)
        if profile is None and required:
            if self.options.profile:
                known = ", ".join(sorted(self.config.profiles)) or "none"
                raise UsageError(f"no profile named '{self.options.profile}' (profiles: {known})",
                                 "list them with: slackctl auth list")
            raise AuthError("not logged in to any workspace", "run: slackctl auth login")
        return profile

    def slack_url(self, profile: Profile | None = None) -> str:
        """--slack-url / SLACKCTL_SLACK_URL, else the profile's, else https://slack.com."""
        if self.options.slack_url:
            return self.options.slack_url.rstrip("/")
        if profile is None:
            try:
                profile = self.config.profile(self.profile_name)
            except Exception:  # noqa: BLE001 - a broken config must not hide the default URL
                profile = None
        if profile and profile.slack_url:
            return profile.slack_url.rstrip("/")
        return settings.DEFAULT_SLACK_URL

    # -- secrets ----------------------------------------------------------------------------------
    def get_secret(self, profile: Profile, kind: str) -> str | None:
        return self.credentials.store_for(profile.storage).get(profile.name, kind)

    def resolve_token(self, kind: str | None = None, *, prefer: tuple[str, ...] = (TokenKind.BOT, TokenKind.USER),
                      use_env: bool = True) -> ResolvedToken:
        """The token a command should use: environment first (SLACK_TOKEN > SLACK_BOT_TOKEN >
        SLACK_USER_TOKEN), then the active profile's stored token of `kind` (or the first of `prefer`).
        Rotating tokens near expiry are refreshed before they are returned."""
        from slackctl.credentials import env_token
        from slackctl.slack.tokens import guess_kind

        if use_env and kind in (None, TokenKind.BOT, TokenKind.USER):
            env = env_token()
            if env:
                return ResolvedToken(env.token, guess_kind(env.token) or "unknown", f"env:{env.variable}")
        profile = self.profile(required=True)
        assert profile is not None
        kinds = (kind,) if kind else prefer
        for candidate in kinds:
            if candidate in profile.kinds:
                token = self.refreshed_token(profile, candidate)
                if token:
                    return ResolvedToken(token, candidate, profile.storage, profile)
        wanted = kind or " or ".join(prefer)
        raise AuthError(
            f"profile '{profile.name}' has no {wanted} token",
            f"run: slackctl auth login --profile {profile.name}"
            + (" --with-token --kind " + kind if kind in ("app", "config") else ""),
        )

    def refreshed_token(self, profile: Profile, kind: str) -> str | None:
        """The stored token of `kind`, rotated first when it is within the refresh margin of its expiry."""
        if kind in profile.expires:
            from slackctl.core.rotation import refresh_if_expiring

            return refresh_if_expiring(self, profile, kind)
        return self.get_secret(profile, kind)

    # -- Slack ------------------------------------------------------------------------------------
    def client(self, token: str | None = None, *, profile: Profile | None = None, **kwargs: Any) -> SlackClient:
        from slackctl.slack.client import SlackClient

        return SlackClient(
            self.slack_url(profile),
            token,
            ca_bundle=self.options.ca_bundle,
            log=self.io.err if self.options.verbose else None,
            **kwargs,
        )


def get_context(ctx: typer.Context) -> Context:
    """The slackctl Context stored by the root callback (commands call this first)."""
    root = ctx.find_root()
    obj = root.obj
    if not isinstance(obj, Context):
        obj = Context()
        root.obj = obj
    return obj
