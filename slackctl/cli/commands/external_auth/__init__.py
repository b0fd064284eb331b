"""`slackctl external-auth`: OAuth2 providers from the app manifest, authorized by Slack (hosted) or locally."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from slackctl import settings
from slackctl.cli.context import get_context

app = typer.Typer(
    help="Authorize third-party OAuth2 providers declared in the manifest (external_auth_providers.oauth2): "
         "hosted by Slack for apps on Slack's infrastructure, or locally (tokens in your keyring) for any app.",
    no_args_is_help=True,
)

Provider = Annotated[str, typer.Option("--provider", help="Provider key from external_auth_providers.oauth2.")]
Local = Annotated[bool, typer.Option("--local", help="Local mode: slackctl runs the OAuth2 flow and keeps the "
                                                     "tokens (default unless settings.function_runtime is slack).")]
Hosted = Annotated[bool, typer.Option("--hosted", help="Hosted mode: Slack runs the flow and keeps the tokens.")]
Manifest = Annotated[str | None, typer.Option("--manifest", help="Path of the manifest (default: the project's).")]
Env = Annotated[str | None, typer.Option("--env", help="Environment (manifest overrides, deployed app).")]
App = Annotated[str | None, typer.Option("--app", help="Hosted: the app id (default: this project's deployed app).")]
Insecure = Annotated[bool, typer.Option("--insecure-storage", help="Local: keep secrets in a 0600 plaintext file "
                                                                   "instead of the OS keyring.")]


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="external-auth")


def _where(local: bool, hosted: bool, manifest: str | None, env: str | None, app_id: str | None = None) -> Any:
    from slackctl.cli.commands.external_auth.common import Where

    return Where(local=local, hosted=hosted, manifest=manifest, env=env, app_id=app_id)


@app.command("list")
def list_cmd(ctx: typer.Context, local: Local = False, hosted: Hosted = False, manifest: Manifest = None,
             env: Env = None, app_id: App = None,
             json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Providers in the manifest, whether a client secret is set, and the authorized accounts."""
    from slackctl.cli.commands.external_auth.list_ import ListOptions, run

    run(get_context(ctx), ListOptions(where=_where(local, hosted, manifest, env, app_id), json_out=json_out))


@app.command("add-secret")
def add_secret_cmd(ctx: typer.Context, provider: Provider, local: Local = False, hosted: Hosted = False,
                   manifest: Manifest = None, env: Env = None, app_id: App = None,
                   insecure_storage: Insecure = False) -> None:
    """Set a provider's client secret, read from a hidden prompt or stdin (never from the command line)."""
    from slackctl.cli.commands.external_auth.add_secret import AddSecretOptions, run

    run(get_context(ctx), AddSecretOptions(where=_where(local, hosted, manifest, env, app_id), provider_key=provider,
                                           insecure_storage=insecure_storage))


@app.command("add")
def add_cmd(ctx: typer.Context, provider: Provider, local: Local = False, hosted: Hosted = False,
            manifest: Manifest = None, env: Env = None, app_id: App = None,
            port: Annotated[int | None, typer.Option("--port", help="Local: loopback port of the redirect "
                                                                    "http://127.0.0.1:PORT/callback (default 8765, "
                                                                    "or SLACKCTL_EXTERNAL_AUTH_PORT).")] = None,
            timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for the authorization.")
                               ] = settings.EXTERNAL_AUTH_TIMEOUT_SECONDS,
            no_browser: Annotated[bool, typer.Option("--no-browser", help="Print the URL instead of opening a "
                                                                          "browser.")] = False,
            paste: Annotated[bool, typer.Option("--paste", help="Local: paste the address the browser ended on "
                                                                "(remote machines).")] = False,
            insecure_storage: Insecure = False) -> None:
    """Authorize an account with the provider (opens a browser)."""
    from slackctl.cli.commands.external_auth.add import AddOptions, run

    run(get_context(ctx), AddOptions(where=_where(local, hosted, manifest, env, app_id), provider_key=provider,
                                     port=port, timeout=timeout, no_browser=no_browser, paste=paste,
                                     insecure_storage=insecure_storage))


@app.command("remove")
def remove_cmd(ctx: typer.Context, provider: Provider, local: Local = False, hosted: Hosted = False,
               manifest: Manifest = None, env: Env = None, app_id: App = None,
               account: Annotated[str | None, typer.Option("--account", help="The account to remove.")] = None,
               all_: Annotated[bool, typer.Option("--all", help="Remove every account of the provider.")] = False,
               keep_remote: Annotated[bool, typer.Option(
                   "--keep-remote", help="Local: do not call the provider's revocation endpoint.")] = False) -> None:
    """Remove an authorized account (local: revoked at the provider when it has a revocation_url)."""
    from slackctl.cli.commands.external_auth.remove import RemoveOptions, run

    run(get_context(ctx), RemoveOptions(where=_where(local, hosted, manifest, env, app_id), provider_key=provider,
                                        account=account, all_accounts=all_, keep_remote=keep_remote))


@app.command("select-auth")
def select_auth_cmd(ctx: typer.Context, provider: Provider,
                    workflow: Annotated[str, typer.Option("--workflow", help="Workflow id (Wf…).")],
                    account: Annotated[str, typer.Option("--account", help="The account the workflow uses.")],
                    local: Local = False, hosted: Hosted = False, manifest: Manifest = None, env: Env = None,
                    app_id: App = None) -> None:
    """Choose which account a workflow uses (local: also the default account exported to scripts)."""
    from slackctl.cli.commands.external_auth.select_auth import SelectAuthOptions, run

    run(get_context(ctx), SelectAuthOptions(where=_where(local, hosted, manifest, env, app_id), provider_key=provider,
                                            workflow=workflow, account=account))


@app.command("token")
def token_cmd(ctx: typer.Context, provider: Provider, local: Local = False, hosted: Hosted = False,
              manifest: Manifest = None, env: Env = None,
              account: Annotated[str | None, typer.Option("--account", help="Account (default: the default "
                                                                            "one).")] = None) -> None:
    """Print a fresh access token for scripts (local mode), refreshing it first when near expiry."""
    from slackctl.cli.commands.external_auth.token import TokenOptions, run

    run(get_context(ctx), TokenOptions(where=_where(local, hosted, manifest, env), provider_key=provider,
                                       account=account))
