"""Bodies of the browser-less `auth` commands (kept out of auth.py so start-up imports stay small)."""

from __future__ import annotations

from typing import Any

from slackctl.cli.context import Context
from slackctl.cli.output import expiry_text, print_json, print_table
from slackctl.config import Profile, edit_config
from slackctl.core.login import forget_profile, login_with_token, save_login
from slackctl.credentials import TokenKind
from slackctl.errors import AuthError, ExitCode, SlackApiError, SlackctlError, UsageError
from slackctl.slack import tokens as tk


def login_with_stdin_token(ctx: Context, *, kind: str | None, activate: bool, insecure_storage: bool) -> None:
    if kind is not None and TokenKind.parse(kind) is None:
        raise UsageError(f"unknown --kind '{kind}'", "use one of: " + TokenKind.names())
    lines = ctx.prompter.secret_lines("Paste a token (input hidden): ")
    if not lines:
        raise UsageError("no token on stdin", "pipe it in: printf '%s' \"$TOKEN\" | slackctl auth login --with-token")
    token = lines[0]
    if not tk.is_well_formed(token):
        raise UsageError("the token on stdin is malformed (expected something like xoxb-…)",
                         "check what you piped in; tokens have no spaces or quotes")
    if token.startswith(("xoxc-", "xoxd-")):
        raise AuthError("web-client session tokens (xoxc-/xoxd-) cannot be used with the Web API from slackctl",
                        "create an app and use its bot or user token: https://api.slack.com/apps")
    guessed = kind or tk.guess_kind(token)
    if guessed is None:
        raise AuthError(f"unrecognised token type ({tk.describe_prefix(token)}, {tk.mask(token)})",
                        "slackctl accepts xoxb-, xoxp-, xapp- and xoxe.xoxp- (configuration) tokens; "
                        "or pass --kind")
    refresh = lines[1] if len(lines) > 1 else None
    if guessed == TokenKind.CONFIG and not refresh and ctx.io.can_prompt:
        refresh = ctx.prompter.secret("Refresh token (xoxe-…, input hidden): ", what="the refresh token",
                                      instead="it on the second line of stdin")
    if guessed == TokenKind.APP and not (ctx.options.profile or ctx.config.active):
        raise UsageError("an app-level token is stored beside a workspace's other tokens, and no profile is active",
                         "log in with a bot or user token first, or pass --profile NAME")

    with ctx.client() as client:
        try:
            result = login_with_token(client, token, guessed, refresh)
        except SlackApiError as exc:
            raise AuthError(f"Slack refused the token: {exc.error}",
                            exc.hint or "check the token, or get a new one at https://api.slack.com/apps") from None
    profile_name = ctx.options.profile
    if guessed == TokenKind.APP:
        profile_name = profile_name or ctx.config.active
    profile, became_active = save_login(ctx, result, profile_name=profile_name,
                                        insecure_storage=insecure_storage, activate=activate)
    who = f"{result.user_name or result.user_id or 'app token'}"
    where = f"{profile.team_name or profile.team_id}"
    ctx.io.success(f"Logged in to {where} as {who}: {guessed} token stored in profile '{profile.name}' "
                   f"({'plaintext file' if profile.storage == 'file' else 'OS keyring'})")
    if became_active:
        ctx.io.err(f"'{profile.name}' is now the active profile")
    if profile.storage == "file":
        ctx.io.warn(f"secrets are in plaintext: {ctx.credentials.file.path}")



def show_status(ctx: Context, *, json_out: bool) -> int:
    from slackctl.credentials import env_token

    config = ctx.config
    active = ctx.options.profile or config.active
    entries: list[dict[str, Any]] = []
    exit_code = 0
    env = env_token()
    if env:
        entry = {"profile": None, "source": f"environment ({env.variable})", "active": True,
                 "kind": tk.guess_kind(env.token) or "unknown", "token": tk.mask(env.token)}
        with ctx.client() as client:
            entry.update(_check(client, env.token))
        if not entry["ok"]:
            exit_code = int(ExitCode.AUTH)
        entries.append(entry)
    for name, profile in sorted(config.profiles.items()):
        is_active = name == active and not env
        entry = {
            "profile": name, "active": is_active, "team_id": profile.team_id, "team": profile.team_name,
            "user_id": profile.user_id, "user": profile.user_name, "kinds": list(profile.kinds),
            "scopes": profile.scopes, "expires": profile.expires,
            "storage": "plaintext file" if profile.storage == "file" else "keyring",
            "slack_url": profile.slack_url, "tokens": {},
        }
        for kind in (TokenKind.BOT, TokenKind.USER):
            if kind not in profile.kinds:
                continue
            try:
                with ctx.client(profile=profile) as client:
                    token = ctx.refreshed_token(profile, kind)
                    check = _check(client, token) if token else {"ok": False, "error": "missing from store"}
            except SlackctlError as exc:
                check = {"ok": False, "error": exc.message}
            entry["tokens"][kind] = check
            if check.get("scopes"):
                entry["scopes"][kind] = check["scopes"]
            if is_active and not check["ok"]:
                exit_code = int(ExitCode.AUTH)
        entries.append(entry)
    if active and active not in config.profiles and not env:
        exit_code = int(ExitCode.AUTH)
    if json_out:
        print_json(ctx.io, {"profiles": entries}, pretty=ctx.io.stdout_is_tty)
        return exit_code
    io = ctx.io
    if not entries:
        io.err("not logged in to any workspace — run: slackctl auth login")
        return int(ExitCode.AUTH)
    for entry in entries:
        mark = "*" if entry.get("active") else " "
        if entry["profile"] is None:
            state = "ok" if entry["ok"] else f"FAILED ({entry['error']})"
            io.out(f"{mark} {entry['source']}: {entry['kind']} token {entry['token']} — {state}")
            if entry.get("team"):
                io.out(f"    workspace {entry['team']} ({entry['team_id']}), user {entry.get('user', '')}")
            io.out("    (environment tokens win over stored profiles)")
            continue
        io.out(f"{mark} {entry['profile']}: {entry['team'] or entry['team_id']} ({entry['team_id']}) "
               f"as {entry['user'] or entry['user_id']} — stored in {entry['storage']}")
        for kind in entry["kinds"]:
            check = entry["tokens"].get(kind)
            state = "" if check is None else (" ok" if check["ok"] else f" FAILED ({check['error']})")
            scopes = ",".join(entry["scopes"].get(kind, []))
            exp = expiry_text(entry["expires"].get(kind)) if kind in entry["expires"] else ""
            io.out(f"    {kind:<15}{state}" + (f"  scopes: {scopes}" if scopes else "")
                   + (f"  expires {exp}" if exp else ""))
    return exit_code


def _check(client: Any, token: str) -> dict[str, Any]:
    try:
        resp = client.call("auth.test", token=token)
    except SlackApiError as exc:
        return {"ok": False, "error": exc.error}
    d = resp.data
    return {"ok": True, "team": d.get("team"), "team_id": d.get("team_id"), "user": d.get("user"),
            "user_id": d.get("user_id"), "scopes": resp.scopes}


def show_list(ctx: Context, *, json_out: bool) -> None:
    config = ctx.config
    active = ctx.options.profile or config.active
    rows = []
    data = []
    for name, p in sorted(config.profiles.items()):
        data.append({"profile": name, "active": name == active, "team_id": p.team_id, "team": p.team_name,
                     "user": p.user_name or p.user_id, "kinds": p.kinds,
                     "storage": p.storage, "slack_url": p.slack_url})
        rows.append([("* " if name == active else "  ") + name, p.team_name or p.team_id,
                     p.user_name or p.user_id, ",".join(p.kinds), "plaintext" if p.storage == "file" else "keyring"])
    if json_out:
        print_json(ctx.io, data)
        return
    if not rows:
        ctx.io.err("no profiles — run: slackctl auth login")
        return
    print_table(ctx.io, ["profile", "workspace", "user", "tokens", "storage"], rows)


def switch_profile(ctx: Context, name: str) -> None:
    with edit_config(ctx.config.path) as config:
        if name not in config.profiles:
            known = ", ".join(sorted(config.profiles)) or "none"
            raise UsageError(f"no profile named '{name}' (profiles: {known})", "list them with: slackctl auth list")
        config.active = name
    ctx.io.success(f"active profile: {name}")


def print_token(ctx: Context, kind: str | None) -> None:
    if kind is not None and TokenKind.parse(kind) is None:
        raise UsageError(f"unknown --kind '{kind}'", "use one of: " + TokenKind.names())
    resolved = ctx.resolve_token(kind)
    if ctx.io.stdout_is_tty:
        ctx.io.err(f"{resolved.kind} token from {resolved.source}:")
    ctx.io.out(resolved.token)


def logout(ctx: Context, name: str | None, *, all_profiles: bool, keep_remote: bool) -> int:
    config = ctx.config
    if all_profiles:
        targets = list(config.profiles.values())
    else:
        target = name or ctx.options.profile or config.active
        if not target:
            raise AuthError("not logged in to any workspace", "nothing to log out of")
        profile = config.profiles.get(target)
        if profile is None:
            known = ", ".join(sorted(config.profiles)) or "none"
            raise UsageError(f"no profile named '{target}' (profiles: {known})", "list them with: slackctl auth list")
        targets = [profile]
    if not targets:
        ctx.io.err("no profiles to log out of")
        return 0
    exit_code = 0
    for profile in targets:
        if not keep_remote:
            exit_code = max(exit_code, _revoke_all(ctx, profile))
        deleted = forget_profile(ctx, profile)
        ctx.io.success(f"logged out of '{profile.name}' (deleted: {', '.join(deleted) or 'nothing'})")
    return exit_code


def _revoke_all(ctx: Context, profile: Profile) -> int:
    code = 0
    store = ctx.credentials.store_for(profile.storage)
    with ctx.client(profile=profile) as client:
        for kind in (TokenKind.BOT, TokenKind.USER):
            if kind not in profile.kinds:
                continue
            token = store.get(profile.name, kind)
            if not token:
                continue
            try:
                client.call("auth.revoke", token=token)
                ctx.io.err(f"revoked the {kind} token at Slack")
            except SlackctlError as exc:
                ctx.io.warn(f"could not revoke the {kind} token ({exc.message}); deleting it locally anyway")
                code = int(ExitCode.API_ERROR)
    return code
