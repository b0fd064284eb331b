"""`slackctl auth logout`: revoke a profile's tokens at Slack (auth.revoke) and delete them locally."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import typer

from slackctl.cli.completion import complete_profile
from slackctl.cli.context import Context
from slackctl.cli.verb import Verb
from slackctl.config import Profile
from slackctl.core.login import forget_profile
from slackctl.credentials import TokenKind
from slackctl.errors import AuthError, ExitCode, SlackApiError, SlackctlError, UsageError

# Slack's answers to auth.revoke for a token that is already unusable: the logout has nothing left to do there.
ALREADY_DEAD = frozenset({"invalid_auth", "token_revoked", "token_expired", "account_inactive", "not_authed"})


@dataclass
class LogoutOptions:
    """The options of `slackctl auth logout`."""

    name: Annotated[
        str | None, typer.Argument(help="Profile (default: the active one).", autocompletion=complete_profile)
    ] = None
    all_profiles: Annotated[bool, typer.Option("--all", help="Log out of every profile.")] = False
    keep_remote: Annotated[bool, typer.Option("--keep-remote", help="Do not revoke the tokens at Slack.")] = False


COMMAND = Verb(
    LogoutOptions,
    examples="""
        slackctl auth logout
        slackctl auth logout acme --keep-remote
        slackctl auth logout --all
    """,
)


def run(ctx: Context, opts: LogoutOptions) -> int:
    config = ctx.config
    if opts.all_profiles:
        targets = list(config.profiles.values())
    else:
        target = opts.name or ctx.options.profile or config.active
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
        if not opts.keep_remote:
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
            except SlackApiError as exc:
                if exc.error in ALREADY_DEAD:
                    # The goal of a logout is a token nobody can use: one Slack already refuses is that.
                    ctx.io.err(f"the {kind} token was already revoked at Slack ({exc.error}); nothing to revoke")
                    continue
                ctx.io.warn(f"could not revoke the {kind} token ({exc.message}); deleting it locally anyway")
                code = int(ExitCode.API_ERROR)
            except SlackctlError as exc:
                ctx.io.warn(f"could not revoke the {kind} token ({exc.message}); deleting it locally anyway")
                code = int(ExitCode.API_ERROR)
    return code
