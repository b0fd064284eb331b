"""The deploy hook (.slack/hooks.json): checked before Slack is touched, run in the project root with the
credentials of the app being deployed and of no other app."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from slackctl import settings
from slackctl.config import Profile
from slackctl.core.hookprotocol import SHELL_WORDS, stream
from slackctl.core.project import Project
from slackctl.errors import UsageError

if TYPE_CHECKING:
    from slackctl.core.deploy import Target
    from slackctl.core.session import Session


def check_hook(project: Project, command: str) -> None:
    """Refuse up front a hook whose program is missing or not executable (before Slack is touched)."""
    try:
        words = shlex.split(command)
    except ValueError as exc:
        raise UsageError(
            f"the deploy hook in .slack/hooks.json cannot be parsed ({exc}): {command}",
            "fix the command in .slack/hooks.json",
        ) from None
    words = [w for w in words if not (("=" in w) and w.split("=", 1)[0].isidentifier())]  # FOO=bar prefixes
    if not words or words[0] in SHELL_WORDS:
        return
    program = words[0]
    if "/" in program:
        path = (project.root / program).resolve() if not os.path.isabs(program) else Path(program)
        if not path.exists():
            raise UsageError(
                f"the deploy hook's program does not exist: {program} (from .slack/hooks.json)",
                f"create it, or fix the hook command: {command}",
            )
        if not os.access(path, os.X_OK) or path.is_dir():
            raise UsageError(
                f"the deploy hook's program is not executable: {program}", f"make it executable: chmod +x {program}"
            )
    elif shutil.which(program) is None and not _shell_knows(program):
        raise UsageError(
            f"the deploy hook's program was not found on PATH: {program}",
            f"install it, or fix the hook command in .slack/hooks.json: {command}",
        )


def _shell_knows(word: str) -> bool:
    """True for shell builtins, functions and keywords (`exit`, `cd`, ...), which PATH does not list."""
    proc = subprocess.run(
        ["sh", "-c", 'command -v "$1" >/dev/null', "sh", word], capture_output=True, stdin=subprocess.DEVNULL
    )
    return proc.returncode == 0


def hook_environment(ctx: Session, target: Target, app_id: str) -> dict[str, str]:
    """The hook's environment: ours, plus the app's tokens (when stored) and ids. Secrets go in the
    environment, never on the command line."""
    env = dict(os.environ)
    env.update({"SLACK_APP_ID": app_id, "SLACKCTL_ENV": target.env, "SLACK_TEAM_ID": target.team_id})
    env.update(app_tokens(ctx, app_id, target.team_id))
    return env


def app_tokens(ctx: Session, app_id: str, team_id: str) -> dict[str, str]:
    """SLACK_BOT_TOKEN / SLACK_APP_TOKEN of the profile installed for this app in this workspace, else none:
    what a project's hooks (deploy, `run`'s start) may be given."""
    profile = profile_for_app(ctx, app_id, team_id)
    tokens: dict[str, str] = {}
    if profile is not None:
        store = ctx.credentials.store_for(profile.storage)
        for kind, var in (("bot", settings.ENV_BOT_TOKEN), ("app", settings.ENV_APP_TOKEN)):
            if kind in profile.kinds:
                secret = (
                    ctx.refreshed_token(profile, kind) if kind in profile.expires else store.get(profile.name, kind)
                )
                if secret:
                    tokens[var] = secret
    return tokens


def profile_for_app(ctx: Session, app_id: str, team_id: str) -> Profile | None:
    """The profile installed for this app in this workspace (its app_id recorded by an OAuth install), or None.
    A profile whose app is unknown (tokens pasted with --with-token) is not assumed to be this app's: its bot
    token most likely belongs to another app, and a hook must never get some other app's credentials."""
    for profile in ctx.config.profiles.values():
        if profile.app_id == app_id and profile.team_id == team_id:
            return profile
    return None


def run_hook(project: Project, command: str, env: dict[str, str], on_line: Callable[[str], None]) -> int:
    """Run the hook through the shell in the project root (the project's tools first on PATH, its SDK's
    protocol), passing each output line to `on_line`."""
    return stream(project.root, command, project.hook_env(env), on_line, protocol=project.sdk_config().protocol)


def run_build(project: Project, command: str, on_line: Callable[[str], None]) -> int:
    """The build hook, as Slack's CLI runs it before a deploy (`--source=ROOT --output=DIR`), into a temporary
    folder removed afterwards: slackctl does not upload the bundle, the build proves the project builds before
    Slack is touched (a deploy hook ships the code). Returns its exit status."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="slackctl-build-") as out:
        return stream(
            project.root,
            command,
            project.hook_env(),
            on_line,
            protocol=project.sdk_config().protocol,
            args={"source": str(project.root), "output": out},
        )
