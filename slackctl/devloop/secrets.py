"""Where the development loop finds an app's secrets: the environment first, then the project's stored app.

Order (written down once): SLACK_SIGNING_SECRET, else the signing secret `slackctl deploy` stored in the keyring
for the project's app of ENV; SLACK_APP_TOKEN, else the profile's app-level token; SLACK_BOT_TOKEN, else the
profile's bot token. Secrets are never taken from argv.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from slackctl import settings
from slackctl.errors import AuthError

if TYPE_CHECKING:
    from slackctl.core.session import Session

SIGNING_SECRET_HINT = (
    f"set {settings.ENV_SIGNING_SECRET} (export it from your app's Basic Information page), "
    "or run this inside a project deployed with: slackctl deploy"
)


def signing_secret(ctx: Session, env: str = settings.DEFAULT_DEPLOY_ENV, project_dir: Path | None = None) -> str:
    """The signing secret to sign or verify with; a missing one is a usage error (exit 2) naming the fix."""
    value = os.environ.get(settings.ENV_SIGNING_SECRET, "").strip()
    if value:
        return value
    from slackctl.core.project import find_project_root, stored_app_credentials

    root = find_project_root(project_dir)
    if root is not None:
        creds = stored_app_credentials(ctx, root, env)
        if creds and creds.get("signing_secret"):
            return creds["signing_secret"]
    from slackctl.errors import UsageError

    where = f"the project at {root} has no stored signing secret for '{env}'" if root else "not in an app project"
    raise UsageError(f"no signing secret: {settings.ENV_SIGNING_SECRET} is not set and {where}", SIGNING_SECRET_HINT)


def app_token(ctx: Session) -> str:
    """The app-level (xapp-) token for Socket Mode: SLACK_APP_TOKEN, else the profile's stored app token."""
    value = os.environ.get(settings.ENV_APP_TOKEN, "").strip()
    if value:
        return value
    profile = ctx.config.profile(ctx.profile_name)
    if profile is not None and "app" in profile.kinds:
        token = ctx.get_secret(profile, "app")
        if token:
            return token
    raise AuthError(
        f"no app-level token: {settings.ENV_APP_TOKEN} is not set and "
        + (f"profile '{profile.name}' has none" if profile else "no profile is logged in"),
        "store one (Basic Information > App-Level Tokens, scope connections:write): "
        "slackctl auth login --with-token --kind app",
    )
