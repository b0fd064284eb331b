"""`slackctl tokens export`: print the active profile's tokens and the project app's secrets as SLACK_*
variables, for `eval "$(slackctl tokens export)"` or a .env file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.options import env_option
from slackctl.cli.verb import Verb
from slackctl.settings import DEFAULT_DEPLOY_ENV

if TYPE_CHECKING:
    from pathlib import Path

    from slackctl.cli.context import Context


@dataclass
class ExportOptions:
    """The options of `slackctl tokens export`."""

    fmt: Annotated[str, typer.Option("--format", "-f", help="env (export lines for eval), dotenv or json.")] = "env"
    env: Annotated[str, env_option("The project app's environment.")] = DEFAULT_DEPLOY_ENV


COMMAND = Verb(
    ExportOptions,
    examples="""
        eval "$(slackctl tokens export)"
        slackctl tokens export --format dotenv > .env
        slackctl tokens export -f json --env prod
    """,
)


def run(ctx: Context, opts: ExportOptions) -> None:
    import json
    import shlex
    from pathlib import Path

    from slackctl.errors import UsageError

    if opts.fmt not in ("env", "dotenv", "json"):
        raise UsageError(f"unknown --format '{opts.fmt}'", "use env, dotenv or json")
    variables = export_variables(ctx, opts.env, Path.cwd())
    if not variables:
        raise UsageError(
            "nothing to export: no profile tokens and no deployed project app",
            "log in (slackctl auth login) or deploy (slackctl deploy) first",
        )
    if ctx.io.stdout_is_tty:
        ctx.io.warn('printing secrets to the terminal; redirect to a file or use eval "$(slackctl tokens export)"')
    if opts.fmt == "json":
        ctx.io.out_data(json.dumps(variables, indent=2))
    elif opts.fmt == "env":
        for key, value in variables.items():
            ctx.io.out(f"export {key}={shlex.quote(value)}")
    else:
        from slackctl.cli.envfile import dotenv_text, needs_quotes

        ctx.io.out(dotenv_text(variables), end="")
        quoted = [key for key, value in variables.items() if needs_quotes(value)]
        if quoted:
            ctx.io.warn(
                f"quoted {', '.join(quoted)}: a shell, python-dotenv and Docker Compose read it back as "
                "is, but `docker run --env-file` keeps quotes as part of the value"
            )


def export_variables(c: Context, env: str, cwd: Path) -> dict[str, str]:
    from slackctl.core.project import check_env_name, stored_app_credentials

    check_env_name(env)
    out: dict[str, str] = {}
    profile = c.config.profile(c.profile_name)
    if profile is not None:
        for kind, var in (("bot", "SLACK_BOT_TOKEN"), ("user", "SLACK_USER_TOKEN"), ("app", "SLACK_APP_TOKEN")):
            if kind in profile.kinds:
                token = c.refreshed_token(profile, kind)
                if token:
                    out[var] = token
    creds = stored_app_credentials(c, cwd, env)
    if creds:
        out.update(
            {
                "SLACK_APP_ID": creds["app_id"],
                "SLACK_CLIENT_ID": creds["client_id"],
                "SLACK_CLIENT_SECRET": creds["client_secret"],
                "SLACK_SIGNING_SECRET": creds["signing_secret"],
            }
        )
    from slackctl.core.extauth.local import export_env

    out.update(export_env(c))
    return {k: v for k, v in out.items() if v}
