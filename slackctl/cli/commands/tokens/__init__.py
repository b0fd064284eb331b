"""`slackctl tokens`: every stored credential across profiles, named PROFILE/KIND (e.g. acme/bot, app:A123/
signing-secret): list, add, rotate, revoke, inspect, and export for local runs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from slackctl import settings
from slackctl.cli.context import get_context
from slackctl.credentials import TokenKind

if TYPE_CHECKING:
    from slackctl.cli.context import Context
    from slackctl.config import Profile

app = typer.Typer(help="Manage stored credentials (named PROFILE/KIND, as `tokens list` shows them).",
                  no_args_is_help=True)
# Access tokens (TokenKind: the ones auth.revoke knows) and the app credentials kept beside them.
ADDABLE = (*TokenKind, "client-id", "client-secret", "signing-secret", "verification-token")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="tokens")


@app.command("list")
def list_tokens(ctx: typer.Context, json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
                ) -> None:
    """Every stored credential: profile, kind, masked value, expiry, storage (no network)."""
    from slackctl.cli.output import print_json, print_table

    c = get_context(ctx)
    rows = collect_rows(c)
    if json_out:
        print_json(c.io, rows)
        return
    if not rows:
        c.io.err("no stored credentials; log in with: slackctl auth login")
        return
    print_table(c.io, ["name", "kind", "value", "expires", "storage"],
                [[r["name"], r["kind"], r["masked"], _expiry_text(r["expires"]), r["storage"]] for r in rows])


def collect_rows(c: Context) -> list[dict[str, Any]]:
    from slackctl.core.project import app_profile, known_apps
    from slackctl.slack.tokens import mask

    rows: list[dict[str, Any]] = []
    for profile in sorted(c.config.profiles.values(), key=lambda p: p.name):
        store = c.credentials.store_for(profile.storage)
        for kind in profile.kinds:
            rows.append({"name": f"{profile.name}/{kind}", "profile": profile.name, "kind": _kind_label(kind),
                         "masked": mask(store.get(profile.name, kind) or ""), "expires": profile.expires.get(kind),
                         "storage": _storage_label(profile.storage)})
    for app_id, facts in sorted(known_apps(c).items()):
        store = c.credentials.store_for(facts.get("storage", "keyring"))
        for kind in facts.get("kinds", []):
            rows.append({"name": f"{app_profile(app_id)}/{kind}", "profile": app_profile(app_id), "kind": kind,
                         "masked": mask(store.get(app_profile(app_id), kind) or ""), "expires": None,
                         "storage": _storage_label(facts.get("storage", "keyring"))})
    try:
        from slackctl.core.extauth.local import list_local_accounts
    except ImportError:
        list_local_accounts = None  # noqa: N806 - external-auth is optional
    if list_local_accounts is not None:
        for row in list_local_accounts(c):
            rows.append({"profile": "", **row})
    return rows


def _kind_label(kind: str) -> str:
    return "refresh" if kind.endswith("-refresh") else kind


def _storage_label(storage: str) -> str:
    return "plaintext file" if storage == "file" else storage


def _expiry_text(expires: Any) -> str:
    import time

    if not expires:
        return "never"
    left = int(expires) - time.time()
    if left <= 0:
        return "expired"
    return f"in {int(left // 3600)}h{int(left % 3600 // 60):02d}m" if left >= 3600 else f"in {int(left // 60)}m"


# -- add --------------------------------------------------------------------------------------------
@app.command()
def add(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="One of: " + ", ".join(ADDABLE) + ".")],
    insecure_storage: Annotated[bool, typer.Option("--insecure-storage", help="Keep it in a 0600 plaintext file "
                                                                             "(new profiles only).")] = False,
) -> None:
    """Store a credential read from stdin (or a hidden prompt) in the --profile / active profile.

    Tokens are checked with Slack first (auth.test; apps.connections.open for xapp-; a configuration token
    is rotated once, so it needs its refresh token on the second line). Secrets are never taken from argv.
    """
    from slackctl.cli.commands.auth.status import _read_stdin_lines
    from slackctl.errors import UsageError

    c = get_context(ctx)
    if kind not in ADDABLE:
        raise UsageError(f"unknown credential kind '{kind}'", "use one of: " + ", ".join(ADDABLE))
    lines = _read_stdin_lines(c)
    if not lines:
        raise UsageError("nothing on stdin",
                         f"pipe the secret in: printf '%s' \"$SECRET\" | slackctl tokens add {kind}")
    if TokenKind.parse(kind):
        _add_token(c, kind, lines, insecure_storage)
    else:
        _add_secret(c, kind, lines[0])


def _add_token(c: Context, kind: str, lines: list[str], insecure_storage: bool) -> None:
    from slackctl.core.login import login_with_token, save_login
    from slackctl.errors import AuthError, SlackApiError, UsageError
    from slackctl.slack import tokens as tk

    token = lines[0]
    guessed = tk.guess_kind(token)
    if not tk.is_well_formed(token) or (guessed and guessed != kind and not (kind == "user" and guessed == "config")):
        raise UsageError(f"that does not look like a {kind} token ({tk.describe_prefix(token)}, {tk.mask(token)})",
                         "check what you piped in, or the KIND argument")
    profile_name = c.options.profile or (c.config.active if kind == "app" else None)
    with c.client() as client:
        try:
            result = login_with_token(client, token, kind, lines[1] if len(lines) > 1 else None)
        except SlackApiError as exc:
            raise AuthError(f"Slack refused the {kind} token: {exc.error}", exc.hint or "check the token") from None
    profile, _ = save_login(c, result, profile_name=profile_name, insecure_storage=insecure_storage)
    c.io.success(f"stored {profile.name}/{kind} ({tk.mask(result.secrets.get(kind, token))}), checked with Slack")


def _add_secret(c: Context, kind: str, secret: str) -> None:
    """App credentials (client id/secret, signing secret) cannot be checked with Slack: stored as given."""
    import re

    from slackctl.config import edit_config
    from slackctl.core.project import APP_PROFILE_PREFIX, known_apps
    from slackctl.errors import UsageError
    from slackctl.slack import tokens as tk

    if not re.fullmatch(r"[A-Za-z0-9._-]{8,}", secret):
        raise UsageError(f"that does not look like a {kind} (expected letters and digits, no spaces)",
                         "copy it again from the app's Basic Information page")
    name = c.options.profile or c.config.active
    if name and name.startswith(APP_PROFILE_PREFIX):
        app_id = name[len(APP_PROFILE_PREFIX):]
        facts = known_apps(c).get(app_id)
        if facts is None:
            raise UsageError(f"no deployed app {app_id} is known", "see: slackctl tokens list")
        c.credentials.store_for(facts.get("storage", "keyring")).set(name, kind, secret)
        with edit_config(c.config.path) as config:
            kinds = config.extra["apps"][app_id].setdefault("kinds", [])
            if kind not in kinds:
                kinds.append(kind)
    else:
        profile = c.profile(required=True)
        assert profile is not None
        c.credentials.store_for(profile.storage).set(profile.name, kind, secret)
        with edit_config(c.config.path) as config:
            config.profiles[profile.name].add_kind(kind)
        name = profile.name
    c.reload_config()
    c.io.success(f"stored {name}/{kind} ({tk.mask(secret)}); Slack cannot check this kind of secret")


# -- rotate / revoke / inspect ----------------------------------------------------------------------
def _parse_name(c: Context, name: str) -> tuple[Profile, str]:
    from slackctl.errors import UsageError

    if "/" not in name or name.startswith("external/"):
        hint = ("provider tokens are managed with: slackctl external-auth" if name.startswith("external/")
                else "names look like PROFILE/KIND, e.g. acme/bot; see: slackctl tokens list")
        raise UsageError(f"'{name}' is not a profile credential", hint)
    profile_name, kind = name.rsplit("/", 1)
    profile = c.config.profiles.get(profile_name)
    if profile is None or kind not in profile.kinds:
        raise UsageError(f"no stored credential named '{name}'", "see: slackctl tokens list")
    return profile, kind


@app.command()
def rotate(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="PROFILE/KIND (default: every rotating token of the "
                                                    "active profile).")] = None,
) -> None:
    """Rotate a rotating token now (refresh token exchange) and store the new pair."""
    from slackctl.errors import UsageError
    from slackctl.slack import tokens as tk

    c = get_context(ctx)
    try:
        from slackctl.core.rotation import rotate_now
    except ImportError:
        raise UsageError("token rotation is not available in this build of slackctl",
                         "log in again to get fresh tokens: slackctl auth login") from None
    if name:
        targets = [_parse_name(c, name)]
    else:
        profile = c.profile(required=True)
        assert profile is not None
        targets = [(profile, k) for k in profile.kinds if k in tk.REFRESH_OF and tk.REFRESH_OF[k] in profile.kinds]
        if not targets:
            raise UsageError(f"profile '{profile.name}' has no rotating tokens", "see: slackctl tokens list")
    for profile, kind in targets:
        if kind not in tk.REFRESH_OF or tk.REFRESH_OF[kind] not in profile.kinds:
            raise UsageError(f"{profile.name}/{kind} does not rotate (no refresh token stored)",
                             "only rotating bot/user tokens and configuration tokens can be rotated")
        token = rotate_now(c, profile, kind)
        fresh = c.reload_config().profiles[profile.name]
        c.io.success(f"rotated {profile.name}/{kind}: {tk.mask(token)}, expires "
                     f"{_expiry_text(fresh.expires.get(kind))}")


@app.command()
def revoke(ctx: typer.Context, name: Annotated[str, typer.Argument(help="PROFILE/KIND, e.g. acme/bot.")]) -> None:
    """Revoke a token at Slack (auth.revoke), then delete it (and its refresh token) locally."""
    from slackctl.config import edit_config
    from slackctl.errors import SlackctlError
    from slackctl.slack import tokens as tk

    c = get_context(ctx)
    profile, kind = _parse_name(c, name)
    store = c.credentials.store_for(profile.storage)
    secret = store.get(profile.name, kind)
    if TokenKind.parse(kind) and secret:
        with c.client(profile=profile) as client:
            try:
                client.call("auth.revoke", token=secret)
                c.io.err(f"revoked {name} at Slack")
            except SlackctlError as exc:
                if getattr(exc, "error", "") not in ("invalid_auth", "token_revoked", "token_expired"):
                    raise
                c.io.warn(f"Slack no longer accepts {name} ({exc.error}); deleting it locally")
    elif not TokenKind.parse(kind):
        c.io.warn(f"Slack cannot revoke a {kind}; deleting it locally (regenerate it in the app settings)")
    doomed = [kind] + ([tk.REFRESH_OF[kind]] if kind in tk.REFRESH_OF and tk.REFRESH_OF[kind] in profile.kinds
                       else [])
    for k in doomed:
        store.delete(profile.name, k)
    with edit_config(c.config.path) as config:
        stored = config.profiles.get(profile.name)
        if stored is not None:
            for k in doomed:
                stored.remove_kind(k)
    c.reload_config()
    c.io.success(f"deleted {', '.join(f'{profile.name}/{k}' for k in doomed)}")


@app.command()
def inspect(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="PROFILE/KIND, or - to read a token from stdin.")],
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """What a token is: type by prefix, whether Slack accepts it (auth.test), its scopes and expiry. The
    token itself is never printed."""
    from slackctl.cli.commands.auth.status import _read_stdin_lines
    from slackctl.cli.output import print_json
    from slackctl.errors import SlackctlError, UsageError
    from slackctl.slack import tokens as tk

    c = get_context(ctx)
    profile = None
    if name == "-":
        lines = _read_stdin_lines(c)
        if not lines:
            raise UsageError("no token on stdin", "pipe it in: printf '%s' \"$TOKEN\" | slackctl tokens inspect -")
        token, kind, expires = lines[0], tk.guess_kind(lines[0]) or "unknown", None
    else:
        profile, kind = _parse_name(c, name)
        token = c.get_secret(profile, kind) or ""
        expires = profile.expires.get(kind)
    info: dict[str, Any] = {"name": name if profile else "(stdin)", "kind": kind, "type": tk.describe_prefix(token),
                            "masked": tk.mask(token), "expires": expires}
    if token.startswith(("xoxb-", "xoxp-", "xoxe.xoxb-", "xoxe.xoxp-")):
        with c.client(profile=profile) as client:
            try:
                resp = client.call("auth.test", token=token)
                info.update(valid=True, team_id=resp.data.get("team_id"), team=resp.data.get("team"),
                            user_id=resp.data.get("user_id"), user=resp.data.get("user"), scopes=resp.scopes)
            except SlackctlError as exc:
                info.update(valid=False, error=getattr(exc, "error", exc.message))
    else:
        info["valid"] = None
        info["note"] = "auth.test cannot check this kind of credential"
    if json_out:
        print_json(c.io, info)
    else:
        for key in ("name", "kind", "type", "masked", "valid", "error", "team", "team_id", "user", "user_id",
                    "scopes", "expires", "note"):
            if key in info:
                value = info[key]
                value = ", ".join(value) if isinstance(value, list) else value
                value = _expiry_text(value) if key == "expires" else value
                c.io.out(f"{key + ':':10} {'-' if value is None else value}")
    if info.get("valid") is False:
        raise typer.Exit(4)


# -- export -----------------------------------------------------------------------------------------
@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", "-f", help="env (export lines for eval), dotenv or json.")]
    = "env",
    env: Annotated[str, typer.Option("--env", "-e", envvar=settings.ENV_DEPLOY_ENV, help="The project app's "
                                     "environment.")] = settings.DEFAULT_DEPLOY_ENV,
) -> None:
    """Print the active profile's tokens and the project app's secrets as SLACK_* variables, for
    `eval "$(slackctl tokens export)"` or a .env file. The one command that prints secrets on purpose."""
    import json
    import shlex
    from pathlib import Path

    from slackctl.errors import UsageError

    c = get_context(ctx)
    if fmt not in ("env", "dotenv", "json"):
        raise UsageError(f"unknown --format '{fmt}'", "use env, dotenv or json")
    variables = export_variables(c, env, Path.cwd())
    if not variables:
        raise UsageError("nothing to export: no profile tokens and no deployed project app",
                         "log in (slackctl auth login) or deploy (slackctl deploy) first")
    if c.io.stdout_is_tty:
        c.io.warn("printing secrets to the terminal; redirect to a file or use eval \"$(slackctl tokens export)\"")
    if fmt == "json":
        c.io.out(json.dumps(variables, indent=2))
    elif fmt == "env":
        for key, value in variables.items():
            c.io.out(f"export {key}={shlex.quote(value)}")
    else:
        for key, value in variables.items():
            needs_quotes = any(ch in value for ch in " #\"'$")
            c.io.out(f"{key}={json.dumps(value) if needs_quotes else value}")


def export_variables(c: Context, env: str, cwd: Any) -> dict[str, str]:
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
        out.update({"SLACK_APP_ID": creds["app_id"], "SLACK_CLIENT_ID": creds["client_id"],
                    "SLACK_CLIENT_SECRET": creds["client_secret"], "SLACK_SIGNING_SECRET": creds["signing_secret"]})
    try:
        from slackctl.core.extauth.local import export_env
    except ImportError:
        export_env = None  # noqa: N806 - external-auth is optional
    if export_env is not None:
        out.update(export_env(c))
    return {k: v for k, v in out.items() if v}
