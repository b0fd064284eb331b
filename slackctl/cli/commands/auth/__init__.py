"""`slackctl auth`: log in and out, see and switch profiles, print a token for scripts.
Typer declarations only; each verb is cli/commands/auth/<verb>.py, imported when it runs."""

from __future__ import annotations

from typing import Annotated

import typer

from slackctl import settings
from slackctl.cli.completion import complete_profile
from slackctl.cli.context import get_context

app = typer.Typer(help="Log in to workspaces and manage profiles.", no_args_is_help=True)

KIND_HELP = "Token kind: bot, user, app or config (default: guessed from the prefix)."


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="auth")


@app.command("login")
def login_cmd(
    ctx: typer.Context,
    with_token: Annotated[bool, typer.Option("--with-token", help="Read a token from stdin (a config token's "
                                                                  "refresh token on the second line).")] = False,
    kind: Annotated[str | None, typer.Option("--kind", help=KIND_HELP)] = None,
    activate: Annotated[bool, typer.Option("--activate", help="Make this profile the active one.")] = False,
    insecure_storage: Annotated[bool, typer.Option("--insecure-storage",
                                                   help="Keep secrets in a 0600 plaintext file instead of the "
                                                        "OS keyring.")] = False,
    client_id: Annotated[str | None, typer.Option("--client-id", envvar="SLACK_CLIENT_ID",
                                                  help="The app's client id.")] = None,
    scopes: Annotated[str | None, typer.Option("--scopes", help="Bot scopes, comma-separated.")] = None,
    user_scopes: Annotated[str | None, typer.Option("--user-scopes", help="User scopes, comma-separated.")] = None,
    team: Annotated[str | None, typer.Option("--team", help="Pre-select a workspace (team id).")] = None,
    pkce: Annotated[bool | None, typer.Option("--pkce/--no-pkce", help="Use PKCE (public client) or the "
                                                                       "client secret.")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Loopback port for the redirect.")] = None,
    redirect_uri: Annotated[str | None, typer.Option("--redirect-uri", help="A registered redirect URL "
                                                                           "(with --paste).")] = None,
    paste: Annotated[bool, typer.Option("--paste", help="Paste the URL the browser ended on (remote "
                                                        "machines).")] = False,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Print the URL instead of opening a "
                                                                  "browser.")] = False,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for the browser.")] = (
        settings.OAUTH_TIMEOUT_SECONDS
    ),
    openid: Annotated[bool, typer.Option("--openid", help="Sign in with Slack (OpenID Connect).")] = False,
) -> None:
    """Log in to a workspace: OAuth in the browser, or --with-token from stdin."""
    from slackctl.cli.commands.auth.login import LoginOptions, run

    run(get_context(ctx), LoginOptions(
        with_token=with_token, kind=kind, activate=activate, insecure_storage=insecure_storage, client_id=client_id,
        scopes=scopes, user_scopes=user_scopes, team=team, pkce=pkce, port=port, redirect_uri=redirect_uri,
        paste=paste, no_browser=no_browser, timeout=timeout, openid=openid,
    ))


@app.command("status")
def status_cmd(
    ctx: typer.Context,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Every profile, checked live with auth.test; exit 4 if the active one fails."""
    from slackctl.cli.commands.auth.status import StatusOptions, run

    raise typer.Exit(run(get_context(ctx), StatusOptions(json_out=json_out)))


@app.command("list")
def list_cmd(
    ctx: typer.Context,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List profiles (no network)."""
    from slackctl.cli.commands.auth.list_ import ListOptions, run

    run(get_context(ctx), ListOptions(json_out=json_out))


@app.command("switch")
def switch_cmd(ctx: typer.Context, name: Annotated[str, typer.Argument(help="Profile to make active.",
                                                                      autocompletion=complete_profile)]) -> None:
    """Make NAME the active profile."""
    from slackctl.cli.commands.auth.switch import SwitchOptions, run

    run(get_context(ctx), SwitchOptions(name=name))


@app.command("token")
def token_cmd(
    ctx: typer.Context,
    kind: Annotated[str | None, typer.Option("--kind", help="bot, user, app or config.")] = None,
) -> None:
    """Print the raw token for scripts: $(slackctl auth token)."""
    from slackctl.cli.commands.auth.token import TokenOptions, run

    run(get_context(ctx), TokenOptions(kind=kind))


@app.command("logout")
def logout_cmd(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Profile (default: the active one).",
                                               autocompletion=complete_profile)] = None,
    all_: Annotated[bool, typer.Option("--all", help="Log out of every profile.")] = False,
    keep_remote: Annotated[bool, typer.Option("--keep-remote", help="Do not revoke the tokens at Slack.")] = False,
) -> None:
    """Revoke a profile's tokens at Slack (auth.revoke) and delete them locally."""
    from slackctl.cli.commands.auth.logout import LogoutOptions, run

    raise typer.Exit(run(get_context(ctx), LogoutOptions(name=name, all_profiles=all_, keep_remote=keep_remote)))


@app.command("whoami")
def whoami_cmd(ctx: typer.Context,
               json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Show the Sign in with Slack identity (openid.connect.userInfo)."""
    from slackctl.cli.commands.auth.whoami import WhoamiOptions, run

    run(get_context(ctx), WhoamiOptions(json_out=json_out))
