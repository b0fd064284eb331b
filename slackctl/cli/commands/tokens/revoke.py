"""`slackctl tokens revoke`: revoke a token at Slack (auth.revoke), then delete it (and its refresh token) locally."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.commands.tokens.common import parse_name
from slackctl.cli.verb import Verb
from slackctl.credentials import TokenKind

if TYPE_CHECKING:
    from slackctl.cli.context import Context


@dataclass
class RevokeOptions:
    """The options of `slackctl tokens revoke`."""

    name: Annotated[str, typer.Argument(help="PROFILE/KIND, e.g. acme/bot.")]


COMMAND = Verb(
    RevokeOptions,
    examples="""
        slackctl tokens revoke acme/user
    """,
)


def run(ctx: Context, opts: RevokeOptions) -> None:
    from slackctl.config import edit_config
    from slackctl.errors import SlackApiError
    from slackctl.slack import tokens as tk

    profile, kind = parse_name(ctx, opts.name)
    store = ctx.credentials.store_for(profile.storage)
    secret = store.get(profile.name, kind)
    if TokenKind.parse(kind) and secret:
        with ctx.client(profile=profile) as client:
            try:
                client.call("auth.revoke", token=secret)
                ctx.io.err(f"revoked {opts.name} at Slack")
            except SlackApiError as exc:
                if exc.error not in ("invalid_auth", "token_revoked", "token_expired"):
                    raise
                ctx.io.warn(f"Slack no longer accepts {opts.name} ({exc.error}); deleting it locally")
    elif not TokenKind.parse(kind):
        ctx.io.warn(f"Slack cannot revoke a {kind}; deleting it locally (regenerate it in the app settings)")
    doomed = [kind] + ([tk.REFRESH_OF[kind]] if kind in tk.REFRESH_OF and tk.REFRESH_OF[kind] in profile.kinds else [])
    for k in doomed:
        store.delete(profile.name, k)
    with edit_config(ctx.config.path) as config:
        stored = config.profiles.get(profile.name)
        if stored is not None:
            for k in doomed:
                stored.remove_kind(k)
    ctx.reload_config()
    ctx.io.success(f"deleted {', '.join(f'{profile.name}/{k}' for k in doomed)}")
