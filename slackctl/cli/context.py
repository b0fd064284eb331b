"""One object handed to every command: the core's Session (config, credentials, Slack client — each built
lazily, so `slackctl --version` never builds a client or touches the keyring) plus io and the global options."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from slackctl import settings
from slackctl.cli.io import IO
from slackctl.core.session import ResolvedToken, Session
from slackctl.errors import UsageError

if TYPE_CHECKING:
    import typer

    from slackctl.cli.prompt import Prompter


@dataclass
class Options:
    """The global options (they may appear anywhere on the command line)."""

    profile: str | None = None
    slack_url: str | None = None
    verbose: bool = False
    no_color: bool = False
    ca_bundle: str | None = None
    proxy: str | None = None


@dataclass
class Context(Session):
    """A Session that also has the terminal (io) and the parsed global options: what commands receive."""

    options: Options = field(default_factory=Options)
    io: IO = field(default_factory=IO)

    def __post_init__(self) -> None:
        self.profile_option = self.options.profile
        self.slack_url_option = self.options.slack_url
        self.ca_bundle = self.options.ca_bundle
        self.proxy = self.options.proxy
        self.on_wait = self._announce_wait
        self.notify = self.io.err
        if self.options.verbose:
            self.log = self.io.err

    def _announce_wait(self, seconds: float, reason: str) -> None:
        """Any command's client says on stderr when it waits a second or more (a Retry-After, a back-off)."""
        if seconds >= 1 or self.options.verbose:
            self.io.err(self.io.dim(self.wait_line(seconds, reason)))

    def wait_line(self, seconds: float, reason: str) -> str:
        """The line for a client's wait; an emulator's rate limit says how to switch it off or speed it up."""
        line = f"… {reason}: retrying in {seconds:.1f}s"
        if reason.startswith("rate-limited") and settings.is_emulator_url(self.slack_url()):
            line += (
                " (the emulator's rate limits: start it with slackctl emulator start --no-rate-limits, or "
                "--time-scale N to run its clock N times faster)"
            )
        return line

    @property
    def prompter(self) -> Prompter:
        """Questions for the person at the terminal (cli/prompt.py); built on first use."""
        from slackctl.cli.prompt import Prompter

        return Prompter(self.io)

    @classmethod
    def start(cls, options: Options, io: IO) -> Context:
        """The context of one invocation, once the global options are parsed (by Typer or the fast path)."""
        if options.slack_url:
            check_slack_url(options.slack_url)
        io._no_color = options.no_color or io._no_color
        return cls(options=options, io=io)


def check_slack_url(url: str) -> str:
    """--slack-url / SLACKCTL_SLACK_URL: http(s), a host, and a port and brackets urllib can read."""
    from urllib.parse import urlsplit

    if not url.startswith(("http://", "https://")):
        raise UsageError(
            f"--slack-url must start with http:// or https:// (got {url!r})", "e.g. --slack-url https://slack.com"
        )
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it checks the port
        if not parts.hostname:
            raise ValueError("no host")
    except ValueError as exc:
        raise UsageError(
            f"--slack-url is not a valid URL ({exc}): {url!r}",
            "e.g. --slack-url http://127.0.0.1:8787 or http://[::1]:8787",
        ) from None
    return url


def get_context(ctx: typer.Context) -> Context:
    """The slackctl Context stored by the root callback (commands call this first)."""
    root = ctx.find_root()
    obj = root.obj
    if not isinstance(obj, Context):
        obj = Context()
        root.obj = obj
    return obj


__all__ = ["Context", "Options", "ResolvedToken", "get_context"]
