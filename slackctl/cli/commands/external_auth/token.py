"""`slackctl external-auth token`: print a fresh access token for scripts (local mode), refreshed when near expiry."""

from __future__ import annotations

from dataclasses import dataclass

from slackctl.cli.commands.external_auth.common import Where, target
from slackctl.cli.context import Context
from slackctl.core.extauth import local
from slackctl.core.extauth.providers import (
    HOSTED,
    get_provider,
)
from slackctl.errors import UsageError


@dataclass
class TokenOptions:
    """The options of `slackctl external-auth token`."""

    where: Where
    provider_key: str
    account: str | None = None


def run(ctx: Context, opts: TokenOptions) -> None:
    t = target(ctx, opts.where, announce=False)
    if t.mode == HOSTED:
        raise UsageError("Slack keeps the tokens of hosted apps and hands them to functions at run time",
                         "authorize locally instead: slackctl external-auth add --provider "
                         f"{opts.provider_key} --local")
    get_provider(t.project.manifest, opts.provider_key)
    chosen = local.resolve_account(ctx, t.project, opts.provider_key, opts.account)
    ctx.io.out(local.fresh_access_token(ctx, t.project, opts.provider_key, chosen))
