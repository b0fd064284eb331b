"""`slackctl external-auth token`: print a fresh access token for scripts (local mode), refreshed when near expiry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import typer

from slackctl.cli.commands.external_auth.common import PROVIDER, WhereOptions, target
from slackctl.cli.context import Context
from slackctl.cli.verb import Verb
from slackctl.core.extauth import local
from slackctl.core.extauth.providers import (
    HOSTED,
    get_provider,
)
from slackctl.errors import UsageError


@dataclass(kw_only=True)
class TokenOptions(WhereOptions):
    """The options of `slackctl external-auth token`."""

    provider_key: Annotated[str, PROVIDER]
    account: Annotated[str | None, typer.Option("--account", help="Account (default: the default one).")] = None


COMMAND = Verb(
    TokenOptions,
    examples="""
        curl -H "Authorization: Bearer $(slackctl external-auth token --provider google)" https://www.googleapis.com/oauth2/v3/userinfo
        slackctl external-auth token --provider google --account ada@example.com
    """,
)


def run(ctx: Context, opts: TokenOptions) -> None:
    t = target(ctx, opts.where, announce=False)
    if t.mode == HOSTED:
        raise UsageError(
            "Slack keeps the tokens of hosted apps and hands them to functions at run time",
            f"authorize locally instead: slackctl external-auth add --provider {opts.provider_key} --local",
        )
    get_provider(t.project.manifest, opts.provider_key)
    chosen = local.resolve_account(ctx, t.project, opts.provider_key, opts.account)
    ctx.io.out(local.fresh_access_token(ctx, t.project, opts.provider_key, chosen))
