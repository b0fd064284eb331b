"""`slackctl tokens rotate`: rotate a rotating token now (refresh token exchange) and store the new pair."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.commands.tokens.common import parse_name
from slackctl.cli.output import expiry_text
from slackctl.cli.verb import Verb

if TYPE_CHECKING:
    from slackctl.cli.context import Context


@dataclass
class RotateOptions:
    """The options of `slackctl tokens rotate`."""

    name: Annotated[
        str | None, typer.Argument(help="PROFILE/KIND (default: every rotating token of the active profile).")
    ] = None


COMMAND = Verb(
    RotateOptions,
    examples="""
        slackctl tokens rotate
        slackctl tokens rotate acme/config
    """,
)


def run(ctx: Context, opts: RotateOptions) -> None:
    from slackctl.core.rotation import rotate_now
    from slackctl.errors import UsageError
    from slackctl.slack import tokens as tk

    if opts.name:
        targets = [parse_name(ctx, opts.name)]
    else:
        profile = ctx.profile(required=True)
        assert profile is not None
        targets = [(profile, k) for k in profile.kinds if k in tk.REFRESH_OF and tk.REFRESH_OF[k] in profile.kinds]
        if not targets:
            raise UsageError(f"profile '{profile.name}' has no rotating tokens", "see: slackctl tokens list")
    for profile, kind in targets:
        if kind not in tk.REFRESH_OF or tk.REFRESH_OF[kind] not in profile.kinds:
            raise UsageError(
                f"{profile.name}/{kind} does not rotate (no refresh token stored)",
                "only rotating bot/user tokens and configuration tokens can be rotated",
            )
        token = rotate_now(ctx, profile, kind)
        fresh = ctx.reload_config().profiles[profile.name]
        ctx.io.success(
            f"rotated {profile.name}/{kind}: {tk.mask(token)}, expires {expiry_text(fresh.expires.get(kind))}"
        )
