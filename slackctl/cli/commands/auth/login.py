"""`slackctl auth login`: OAuth v2 in the browser (PKCE or a client secret, Sign in with Slack), or --with-token
from stdin."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from slackctl import settings
from slackctl.cli.context import Context
from slackctl.cli.output import storage_label
from slackctl.cli.verb import Verb
from slackctl.core.login import LoginResult, login_with_token, result_from_exchange, save_login
from slackctl.credentials import TokenKind
from slackctl.errors import AuthError, SlackApiError, UsageError
from slackctl.slack import tokens as tk
from slackctl.slack.oauth import OPENID_SCOPES, AuthorizeRequest, split_scopes

DEFAULT_USER_SCOPES = ("channels:read", "chat:write", "users:read")


@dataclass
class LoginOptions:
    """The options of `slackctl auth login`."""

    with_token: Annotated[
        bool,
        typer.Option(
            "--with-token", help="Read a token from stdin (a config token's refresh token on the second line)."
        ),
    ] = False
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="Token kind: bot, user, app or config (default: guessed from the prefix)."),
    ] = None
    activate: Annotated[bool, typer.Option("--activate", help="Make this profile the active one.")] = False
    insecure_storage: Annotated[
        bool,
        typer.Option("--insecure-storage", help="Keep secrets in a 0600 plaintext file instead of the OS keyring."),
    ] = False
    client_id: Annotated[
        str | None, typer.Option("--client-id", envvar="SLACK_CLIENT_ID", help="The app's client id.")
    ] = None
    scopes: Annotated[str | None, typer.Option("--scopes", help="Bot scopes, comma-separated.")] = None
    user_scopes: Annotated[str | None, typer.Option("--user-scopes", help="User scopes, comma-separated.")] = None
    team: Annotated[str | None, typer.Option("--team", help="Pre-select a workspace (team id).")] = None
    pkce: Annotated[
        bool | None, typer.Option("--pkce/--no-pkce", help="Use PKCE (public client) or the client secret.")
    ] = None
    port: Annotated[int | None, typer.Option("--port", help="Loopback port for the redirect.")] = None
    redirect_uri: Annotated[
        str | None, typer.Option("--redirect-uri", help="A registered redirect URL (with --paste).")
    ] = None
    paste: Annotated[bool, typer.Option("--paste", help="Paste the URL the browser ended on (remote machines).")] = (
        False
    )
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Print the URL instead of opening a browser.")] = (
        False
    )
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for the browser.")] = (
        settings.OAUTH_TIMEOUT_SECONDS
    )
    openid: Annotated[bool, typer.Option("--openid", help="Sign in with Slack (OpenID Connect).")] = False


COMMAND = Verb(
    LoginOptions,
    examples="""
        # OAuth in the browser, as a public client (PKCE), into the profile acme
        slackctl auth login -p acme --client-id 123.456 --scopes chat:write,channels:read
        # Sign in with Slack (OpenID Connect) to get a user identity
        slackctl auth login --openid --client-id 123.456
        # On a remote machine: open the printed URL elsewhere, paste where the browser ended
        slackctl auth login --client-id 123.456 --no-browser --paste --redirect-uri https://example.com/cb
        # A token you already have, read from stdin (never from argv)
        slackctl auth login -p ci --with-token < bot-token.txt
        printf '%s\\n%s\\n' "$CONFIG_TOKEN" "$REFRESH_TOKEN" | slackctl auth login --with-token --kind config
    """,
)


def run(ctx: Context, opts: LoginOptions) -> None:
    ctx.allow_new_profile = True  # `auth login -p NAME` is how a profile called NAME comes to exist
    if opts.with_token:
        login_with_stdin_token(ctx, kind=opts.kind, activate=opts.activate, insecure_storage=opts.insecure_storage)
        return
    oauth_login(
        ctx,
        client_id=opts.client_id,
        scopes=opts.scopes,
        user_scopes=opts.user_scopes,
        team=opts.team,
        pkce=opts.pkce,
        port=opts.port,
        redirect_uri=opts.redirect_uri,
        paste=opts.paste,
        no_browser=opts.no_browser,
        timeout=opts.timeout,
        openid=opts.openid,
        activate=opts.activate,
        insecure_storage=opts.insecure_storage,
    )


@dataclass
class LoginPlan:
    """Everything decided before the browser opens."""

    client_id: str
    client_secret: str | None
    use_pkce: bool
    scopes: list[str]
    user_scopes: list[str]
    redirect_uri: str
    listen: bool  # run a loopback listener (else: the user pastes the redirect)
    port: int
    path: str


# -- inputs ----------------------------------------------------------------------------------------
def project_manifest(start: Path) -> dict[str, Any] | None:
    """The manifest file (manifest.json or manifest.yaml) of the project around `start`, found as deploy finds
    it (core/project.py), or None outside a project or when it has no file. A get-manifest hook is never run
    here: logging in must not run a project's code, whoever wrote it."""
    from slackctl.core.project import MANIFEST_FILES, Project, find_project_root

    root = find_project_root(start)
    if root is None or not any((root / name).is_file() for name in MANIFEST_FILES):
        return None
    try:
        return Project(root).manifest
    except UsageError as exc:
        raise UsageError(
            exc.message, "fix it, or pass --scopes/--user-scopes and --pkce/--no-pkce explicitly"
        ) from None


def _project_credentials(ctx: Context, project_dir: Path) -> dict[str, str] | None:
    from slackctl.core.project import stored_app_credentials

    try:
        return stored_app_credentials(ctx, project_dir, env="dev")
    except Exception:  # noqa: BLE001 - a broken project record must not block logging in by other means
        return None


def _oauth_config(manifest: dict[str, Any] | None) -> dict[str, Any]:
    if manifest is None:
        return {}
    config = manifest.get("oauth_config")
    return config if isinstance(config, dict) else {}


def plan_login(
    ctx: Context,
    *,
    client_id: str | None,
    scopes: str | None,
    user_scopes: str | None,
    pkce: bool | None,
    port: int | None,
    redirect_uri: str | None,
    paste: bool,
    openid: bool,
) -> LoginPlan:
    """Decide credentials, flow, scopes and redirect; prompts only when a person is there."""
    from slackctl.slack.oauth import is_loopback_redirect

    if port is not None and not 1 <= port <= 65535:
        raise UsageError(f"--port must be between 1 and 65535 (got {port})", "e.g. --port 8765")
    cwd = Path.cwd()
    manifest = project_manifest(cwd)
    oauth_config = _oauth_config(manifest)
    project = _project_credentials(ctx, cwd) or {}

    client_id = (client_id or "").strip() or project.get("client_id") or None
    emulator_default = None
    if not client_id:
        from slackctl.core.login import emulator_client_id

        emulator_default = emulator_client_id(ctx)
        if emulator_default and not ctx.io.can_prompt:
            client_id = emulator_default
            ctx.io.err(f"using the emulator's default app (client id {client_id}); --client-id picks another")
    if not client_id:
        # At a terminal against the emulator, its default app is offered as the answer (Enter takes it).
        client_id = ctx.prompter.text(
            "App client id (from https://api.slack.com/apps → Basic Information):",
            what="the app's client id",
            default=emulator_default or "",
            instead=f"--client-id ID or set {settings.ENV_CLIENT_ID}",
        )
        if not client_id:
            raise UsageError("no client id given", f"pass --client-id or set {settings.ENV_CLIENT_ID}")

    env_secret = os.environ.get(settings.ENV_CLIENT_SECRET, "").strip() or None
    known_secret = env_secret or (project.get("client_secret") if project.get("client_id") == client_id else None)
    if pkce is None:
        if "pkce_enabled" in oauth_config:
            pkce = bool(oauth_config["pkce_enabled"])
        else:
            pkce = known_secret is None  # nothing secret to hand: behave as a public client
    secret = None
    if not pkce:
        secret = known_secret
        if not secret:
            secret = ctx.prompter.secret(
                "App client secret (input hidden): ",
                what="the app's client secret (confidential client, --no-pkce)",
                instead=f"it in {settings.ENV_CLIENT_SECRET} (never on the command "
                "line), or use --pkce for a PKCE-enabled app",
            )
            if not secret:
                raise UsageError("no client secret given", f"set {settings.ENV_CLIENT_SECRET}, or use --pkce")

    bot, user = _choose_scopes(
        ctx, scopes=scopes, user_scopes=user_scopes, oauth_config=oauth_config, pkce=pkce, openid=openid
    )

    if redirect_uri:
        from urllib.parse import urlsplit

        parts = urlsplit(redirect_uri)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(
                f"--redirect-uri must be an http(s) URL (got {redirect_uri!r})",
                "pass the redirect URL exactly as registered on the app",
            )
        if parts.scheme == "http" and not (pkce and is_loopback_redirect(redirect_uri)):
            raise UsageError(
                "plain http redirect URLs are only allowed for PKCE apps on localhost",
                "use an https:// redirect URL, or --pkce with http://localhost:PORT/callback",
            )
        loopback = is_loopback_redirect(redirect_uri) and parts.port is not None
        if not loopback and not paste:
            raise UsageError(
                "--redirect-uri points away from this machine, so slackctl cannot receive the redirect",
                "add --paste and paste the address the browser ends on",
            )
        if loopback and parts.hostname != "localhost":
            raise UsageError(
                "use 'localhost' in a loopback --redirect-uri",
                f"e.g. {parts.scheme}://localhost:{parts.port}{parts.path or '/callback'}",
            )
        return LoginPlan(
            client_id,
            secret,
            pkce,
            bot,
            user,
            redirect_uri,
            listen=loopback and not paste,
            port=parts.port or 0,
            path=parts.path or "/",
        )
    port = port or (settings.OAUTH_PKCE_PORT if pkce else settings.OAUTH_CONFIDENTIAL_PORT)
    scheme = "http" if pkce else "https"
    return LoginPlan(
        client_id,
        secret,
        pkce,
        bot,
        user,
        f"{scheme}://localhost:{port}{settings.OAUTH_CALLBACK_PATH}",
        listen=not paste,
        port=port,
        path=settings.OAUTH_CALLBACK_PATH,
    )


def _choose_scopes(
    ctx: Context, *, scopes: str | None, user_scopes: str | None, oauth_config: dict[str, Any], pkce: bool, openid: bool
) -> tuple[list[str], list[str]]:
    if openid:
        if scopes or user_scopes:
            raise UsageError(
                "Sign in with Slack takes only the openid, email and profile scopes",
                "drop --scopes/--user-scopes, or log in without --openid for other scopes",
            )
        return [], list(OPENID_SCOPES)
    if scopes is not None or user_scopes is not None:
        bot, user = split_scopes(scopes), split_scopes(user_scopes)
        if pkce and bot:
            raise UsageError(
                "bot scopes cannot be requested with PKCE: Slack refuses bot scopes on desktop "
                "(http://localhost) redirects",
                "ask only for --user-scopes, or use the confidential flow (--no-pkce with "
                f"{settings.ENV_CLIENT_SECRET} and an https redirect URL)",
            )
    else:
        scopes = oauth_config.get("scopes")
        declared: dict[str, Any] = scopes if isinstance(scopes, dict) else {}
        bot, user = split_scopes(declared.get("bot")), split_scopes(declared.get("user"))
        if pkce and bot:
            ctx.io.warn(
                "the manifest's bot scopes are skipped: Slack refuses bot scopes on desktop "
                "(PKCE, http://localhost) redirects"
            )
            bot = []
        if not bot and not user:
            user = list(DEFAULT_USER_SCOPES)
    if not bot and not user:
        raise UsageError("no scopes to ask for", "pass --user-scopes (and, without PKCE, --scopes)")
    return bot, user


# -- the browser side ------------------------------------------------------------------------------
def _show_url(ctx: Context, url: str, *, no_browser: bool, plan: LoginPlan) -> None:
    from slackctl.cli import browser

    if not no_browser and browser.can_open():
        ctx.io.err(f"Opening your browser to log in. If it does not open, visit:\n  {url}")
        if not browser.open_url(url):
            ctx.io.warn("could not open a browser; open the address above yourself")
        return
    ctx.io.err(f"Open this address in a browser to log in:\n  {url}")
    if plan.listen and browser.is_remote_session():
        ctx.io.err(
            f"On a remote machine: forward the port (ssh -L {plan.port}:localhost:{plan.port} …), or press "
            "Ctrl-C and re-run with --paste."
        )


def _receive(
    ctx: Context, plan: LoginPlan, req: AuthorizeRequest, url: str, *, no_browser: bool, timeout: float
) -> dict[str, str]:
    from slackctl.slack.loopback import LoopbackListener, parse_pasted

    if not plan.listen:
        _show_url(ctx, url, no_browser=True, plan=plan)
        ctx.io.err(
            "After approving, your browser ends on an address that may fail to load; copy it from the address bar."
        )
        if not ctx.io.can_prompt:
            ctx.io.err("Reading the pasted address from stdin…")
        text = ctx.prompter.pasted_line("Paste that address (or just the code): ")
        return parse_pasted(text, req.state)
    tls = None
    if plan.redirect_uri.startswith("https://"):
        from slackctl.certs import fingerprint, has_certificate, loopback_certificate

        first = not has_certificate(ctx.config_dir)
        cert, key = loopback_certificate(ctx.config_dir)
        tls = (str(cert), str(key))
        ctx.io.err(
            (
                "slackctl created a self-signed certificate for https://localhost; your browser will warn "
                "about it once: choose Advanced → Proceed to localhost."
                if first
                else "Your browser may warn about slackctl's self-signed localhost certificate; that is expected."
            )
            + f"\n  SHA-256 fingerprint {fingerprint(cert)}"
        )
    with LoopbackListener(plan.port, path=plan.path, state=req.state, tls=tls) as listener:
        _show_url(ctx, url, no_browser=no_browser, plan=plan)
        minutes = f"{timeout / 60:g} min" if timeout >= 60 else f"{timeout:g} s"
        ctx.io.err(f"Waiting for the browser on {plan.redirect_uri} (up to {minutes})…")
        return listener.wait(timeout)


# -- the command -----------------------------------------------------------------------------------
def oauth_login(
    ctx: Context,
    *,
    client_id: str | None,
    scopes: str | None,
    user_scopes: str | None,
    team: str | None,
    pkce: bool | None,
    port: int | None,
    redirect_uri: str | None,
    paste: bool,
    no_browser: bool,
    timeout: float,
    openid: bool,
    activate: bool,
    insecure_storage: bool,
) -> None:
    from slackctl.core.session import check_timeout
    from slackctl.slack import oauth

    check_timeout(timeout)
    if not insecure_storage and not any(p.storage == "file" for p in ctx.config.profiles.values()):
        # Refuse before any question and before the browser dance, not after the user has consented.
        ctx.credentials.keyring.check_available()
    plan = plan_login(
        ctx,
        client_id=client_id,
        scopes=scopes,
        user_scopes=user_scopes,
        pkce=pkce,
        port=port,
        redirect_uri=redirect_uri,
        paste=paste,
        openid=openid,
    )
    slack_url = ctx.slack_url(None)
    req = AuthorizeRequest(
        client_id=plan.client_id,
        redirect_uri=plan.redirect_uri,
        scopes=plan.scopes,
        user_scopes=plan.user_scopes,
        team=team,
        openid=openid,
        use_pkce=plan.use_pkce,
    )
    url = oauth.authorize_url(slack_url, req)
    params = _receive(ctx, plan, req, url, no_browser=no_browser, timeout=timeout)

    with ctx.client() as client:
        if plan.client_secret:
            client.secrets.append(plan.client_secret)
        try:
            data = oauth.exchange_code(client, req, params["code"], plan.client_secret)
        except SlackApiError as exc:
            raise AuthError(f"Slack refused the login: {exc.error}", _exchange_hint(exc.error)) from None
        result = result_from_exchange(
            client,
            data,
            req=req,
            client_id=plan.client_id,
            use_pkce=plan.use_pkce,
            client_secret=plan.client_secret,
            slack_url=slack_url,
        )
    profile, became_active = save_login(
        ctx,
        result,
        profile_name=ctx.options.profile,
        insecure_storage=insecure_storage,
        activate=activate,
        choose=ctx.prompter.profile_chooser(),
    )
    _summary(ctx, result, plan, profile.name, profile.storage, became_active)


def _exchange_hint(error: str) -> str:
    return {
        "invalid_code": "the code expired or was already used; run: slackctl auth login",
        "invalid_code_verifier": "the PKCE verifier did not match; run: slackctl auth login",
        "bad_client_secret": f"check {settings.ENV_CLIENT_SECRET} (Basic Information on https://api.slack.com/apps)",
        "invalid_client_id": "check --client-id / SLACK_CLIENT_ID",
        "bad_redirect_uri": "register the redirect URL on the app (OAuth & Permissions), then log in again",
        "pkce_not_allowed": "this app has no PKCE: log in with --no-pkce and its client secret",
    }.get(error, "run: slackctl auth login (add -v to see the exchange)")


def _summary(
    ctx: Context, result: LoginResult, plan: LoginPlan, profile_name: str, storage: str, became_active: bool
) -> None:
    io = ctx.io
    who = result.user_name or result.user_id or "the app"
    where = f"{result.team_name or result.team_id} ({result.team_id})" if result.team_id else "the workspace"
    store = storage_label(storage)
    io.success(f"Logged in to {where} as {who}; profile '{profile_name}' ({store})")
    identity = result.extra.get("identity")
    if identity:
        io.err(f"  identity: {identity.get('name', '')} <{identity.get('email', '')}> ({identity.get('sub', '')})")
    if result.bot_user_id:
        io.err(f"  bot user: {result.bot_user_id}")
    for kind, asked in ((TokenKind.BOT, plan.scopes), (TokenKind.USER, plan.user_scopes)):
        if kind not in result.secrets:
            if asked:
                io.warn(f"no {kind} token was granted (asked for: {', '.join(asked)})")
            continue
        granted = result.scopes.get(kind, [])
        rotating = (
            f", rotating, expires {time.strftime('%H:%M', time.localtime(result.expires[kind]))}"
            if kind in result.expires
            else ""
        )
        io.err(f"  {kind} token{rotating}; scopes: {', '.join(granted) or '(none reported)'}")
        missing = [s for s in asked if s not in granted]
        if missing and granted:
            io.warn(f"asked for but not granted ({kind}): {', '.join(missing)}")
    _say_replaced(ctx, result, profile_name)
    if became_active:
        io.err(f"'{profile_name}' is now the active profile")
    if storage == "file":
        io.warn(f"secrets are in plaintext: {ctx.credentials.file.path}")


# -- whoami ----------------------------------------------------------------------------------------


# -- --with-token ----------------------------------------------------------------------------------
def login_with_stdin_token(ctx: Context, *, kind: str | None, activate: bool, insecure_storage: bool) -> None:
    if kind is not None and TokenKind.parse(kind) is None:
        raise UsageError(f"unknown --kind '{kind}'", "use one of: " + TokenKind.names())
    lines = ctx.prompter.secret_lines("Paste a token (input hidden): ")
    if not lines:
        raise UsageError("no token on stdin", "pipe it in: printf '%s' \"$TOKEN\" | slackctl auth login --with-token")
    token = lines[0]
    if not tk.is_well_formed(token):
        raise UsageError(
            "the token on stdin is malformed (expected something like xoxb-…)",
            "check what you piped in; tokens have no spaces or quotes",
        )
    if token.startswith(("xoxc-", "xoxd-")):
        raise AuthError(
            "web-client session tokens (xoxc-/xoxd-) cannot be used with the Web API from slackctl",
            "create an app and use its bot or user token: https://api.slack.com/apps",
        )
    guessed = kind or tk.guess_kind(token)
    if guessed is None:
        raise AuthError(
            f"unrecognised token type ({tk.describe_prefix(token)}, {tk.mask(token)})",
            "slackctl accepts xoxb-, xoxp-, xapp- and xoxe.xoxp- (configuration) tokens; or pass --kind",
        )
    refresh = lines[1] if len(lines) > 1 else None
    if guessed == TokenKind.CONFIG and not refresh and ctx.io.can_prompt:
        refresh = ctx.prompter.secret(
            "Refresh token (xoxe-…, input hidden): ", what="the refresh token", instead="it on the second line of stdin"
        )
    if guessed == TokenKind.APP and not (ctx.options.profile or ctx.config.active):
        raise UsageError(
            "an app-level token is stored beside a workspace's other tokens, and no profile is active",
            "log in with a bot or user token first, or pass --profile NAME",
        )

    with ctx.client() as client:
        try:
            result = login_with_token(client, token, guessed, refresh)
        except SlackApiError as exc:
            from slackctl.cli.hints import cli_hint

            raise AuthError(
                f"Slack refused the token: {exc.error}",
                cli_hint(exc) or "check the token, or get a new one at https://api.slack.com/apps",
            ) from None
    profile_name = ctx.options.profile
    if guessed == TokenKind.APP:
        profile_name = profile_name or ctx.config.active
    profile, became_active = save_login(
        ctx,
        result,
        profile_name=profile_name,
        insecure_storage=insecure_storage,
        activate=activate,
        choose=ctx.prompter.profile_chooser(),
    )
    who = f"{result.user_name or result.user_id or 'app token'}"
    where = f"{profile.team_name or profile.team_id}"
    ctx.io.success(
        f"Logged in to {where} as {who}: {guessed} token stored in profile '{profile.name}' "
        f"({storage_label(profile.storage)})"
    )
    _say_replaced(ctx, result, profile.name)
    if became_active:
        ctx.io.err(f"'{profile.name}' is now the active profile")
    if profile.storage == "file":
        ctx.io.warn(f"secrets are in plaintext: {ctx.credentials.file.path}")


def _say_replaced(ctx: Context, result: LoginResult, profile_name: str) -> None:
    """A login that overwrote a stored token says so (another app's bot token replacing conf/bot was silent)."""
    for kind in result.replaced:
        other = f" (it belonged to app {result.replaced_app_id})" if result.replaced_app_id else ""
        ctx.io.warn(
            f"replaced the {kind} token stored in {profile_name}/{kind}{other}; log in with -p NAME to keep both"
        )
