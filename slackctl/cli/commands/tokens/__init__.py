"""`slackctl tokens`: every stored credential across profiles, named PROFILE/KIND (e.g. acme/bot, app:A123/
signing-secret): list, add, rotate, revoke, inspect, and export for local runs."""

from __future__ import annotations

from typing import Annotated

import typer

from slackctl import settings
from slackctl.cli.commands.tokens.common import ADDABLE
from slackctl.cli.context import get_context

app = typer.Typer(help="Manage stored credentials (named PROFILE/KIND, as `tokens list` shows them).",
                  no_args_is_help=True)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="tokens")


@app.command("list")
def list_cmd(ctx: typer.Context, json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
                ) -> None:
    """Every stored credential: profile, kind, masked value, expiry, storage (no network)."""
    from slackctl.cli.commands.tokens.list_ import ListOptions, run

    run(get_context(ctx), ListOptions(json_out=json_out))


# -- add --------------------------------------------------------------------------------------------
@app.command("add")
def add_cmd(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="One of: " + ", ".join(ADDABLE) + ".")],
    insecure_storage: Annotated[bool, typer.Option("--insecure-storage", help="Keep it in a 0600 plaintext file "
                                                                             "(new profiles only).")] = False,
) -> None:
    """Store a credential read from stdin (or a hidden prompt) in the --profile / active profile.

    Tokens are checked with Slack first (auth.test; apps.connections.open for xapp-; a configuration token
    is rotated once, so it needs its refresh token on the second line). Secrets are never taken from argv.
    """
    from slackctl.cli.commands.tokens.add import AddOptions, run

    run(get_context(ctx), AddOptions(kind=kind, insecure_storage=insecure_storage))


# -- rotate / revoke / inspect ----------------------------------------------------------------------


@app.command("rotate")
def rotate_cmd(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="PROFILE/KIND (default: every rotating token of the "
                                                    "active profile).")] = None,
) -> None:
    """Rotate a rotating token now (refresh token exchange) and store the new pair."""
    from slackctl.cli.commands.tokens.rotate import RotateOptions, run

    run(get_context(ctx), RotateOptions(name=name))


@app.command("revoke")
def revoke_cmd(ctx: typer.Context, name: Annotated[str, typer.Argument(help="PROFILE/KIND, e.g. acme/bot.")]) -> None:
    """Revoke a token at Slack (auth.revoke), then delete it (and its refresh token) locally."""
    from slackctl.cli.commands.tokens.revoke import RevokeOptions, run

    run(get_context(ctx), RevokeOptions(name=name))


@app.command("inspect")
def inspect_cmd(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="PROFILE/KIND, or - to read a token from stdin.")],
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """What a token is: type by prefix, whether Slack accepts it (auth.test), its scopes and expiry. The
    token itself is never printed."""
    from slackctl.cli.commands.tokens.inspect import InspectOptions, run

    raise typer.Exit(run(get_context(ctx), InspectOptions(name=name, json_out=json_out)))


# -- export -----------------------------------------------------------------------------------------
@app.command("export")
def export_cmd(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", "-f", help="env (export lines for eval), dotenv or json.")]
    = "env",
    env: Annotated[str, typer.Option("--env", "-e", envvar=settings.ENV_DEPLOY_ENV, help="The project app's "
                                     "environment.")] = settings.DEFAULT_DEPLOY_ENV,
) -> None:
    """Print the active profile's tokens and the project app's secrets as SLACK_* variables, for
    `eval "$(slackctl tokens export)"` or a .env file. The one command that prints secrets on purpose."""
    from slackctl.cli.commands.tokens.export import ExportOptions, run

    run(get_context(ctx), ExportOptions(fmt=fmt, env=env))


