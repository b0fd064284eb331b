"""`slackctl emulator exec`: run an unmodified app against an emulator, through the emulator's HTTPS proxy."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from slackctl.devloop import child
from slackctl.devloop.emulated import EmulatedApp, find_app
from slackctl.emulator.exec.intercept import ProxyEvent, SlackProxy
from slackctl.errors import UsageError


def check_emulator_url(url: str) -> str:
    from slackctl import settings

    if url.rstrip("/") == settings.DEFAULT_SLACK_URL:
        raise UsageError(
            "emulator exec needs an emulator, not Slack itself",
            "start one (slackctl emulator start) and pass its URL: "
            f"--slack-url {settings.DEFAULT_EMULATOR_URL} "
            f"(or set {settings.ENV_SLACK_URL})",
        )
    return url.rstrip("/")


# Words in a SLACK_* variable's name that say it carries a credential (SLACK_USER_TOKEN, SLACK_CONFIG_REFRESH_TOKEN,
# SLACK_CLIENT_SECRET, SLACK_CLIENT_ID, SLACK_STATE_SECRET, SLACK_WEBHOOK_URL, ...).
_CREDENTIAL_WORDS = ("TOKEN", "SECRET", "CLIENT_ID", "WEBHOOK", "PASSWORD", "COOKIE", "KEY")


def is_slack_credential(name: str) -> bool:
    upper = name.upper()
    return upper.startswith("SLACK_") and any(word in upper for word in _CREDENTIAL_WORDS)


def app_environment(base: dict[str, str], proxy: SlackProxy, app: EmulatedApp, emulator_url: str) -> dict[str, str]:
    """The child's environment: the proxy and trust bundle, the app's tokens and signing secret, and the
    emulator's URL for any slackctl the app runs itself. Every real Slack credential in `base` is removed first:
    nothing real reaches the app, and a slackctl inside it uses the emulator's tokens."""
    from slackctl import settings

    env = proxy.child_environment({k: v for k, v in base.items() if not is_slack_credential(k)})
    env.update(app.environment())
    env[settings.ENV_SLACK_URL] = emulator_url
    return env


def run_app(
    argv: Sequence[str],
    *,
    emulator_url: str,
    app_ref: str | None,
    ca_file: str | None = None,
    on_event: Callable[[ProxyEvent], None] | None = None,
    on_ready: Callable[[EmulatedApp], None] | None = None,
    cwd: Path | None = None,
) -> int:
    """Run ARGV to completion under the proxy; returns its exit status (KeyboardInterrupt after stopping it)."""
    if not argv:
        raise UsageError("no command to run", "pass it after --: slackctl emulator exec -- python app.py")
    app = find_app(emulator_url, app_ref, ca_file=ca_file)
    with SlackProxy(emulator_url, upstream_ca=ca_file, on_event=on_event) as proxy:
        env = app_environment(dict(os.environ), proxy, app, emulator_url)
        if on_ready:
            on_ready(app)
        return child.run(argv, env, cwd)
