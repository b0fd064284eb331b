"""`slackctl external-auth select-auth`: choose which account a workflow uses (local: also the default account)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import typer

from slackctl.cli.commands.external_auth.common import PROVIDER, AppWhereOptions, target
from slackctl.cli.context import Context
from slackctl.cli.verb import Verb
from slackctl.core.extauth import hosted, local, store
from slackctl.core.extauth.providers import (
    HOSTED,
    LOCAL,
    get_provider,
)


@dataclass(kw_only=True)
class SelectAuthOptions(AppWhereOptions):
    """The options of `slackctl external-auth select-auth`."""

    provider_key: Annotated[str, PROVIDER]
    workflow: Annotated[str, typer.Option("--workflow", help="Workflow id (Wf…).")]
    account: Annotated[str, typer.Option("--account", help="The account the workflow uses.")]


COMMAND = Verb(
    SelectAuthOptions,
    examples="""
        slackctl external-auth select-auth --provider google --workflow Wf0123456789 --account ada@example.com
    """,
)


def run(ctx: Context, opts: SelectAuthOptions) -> None:
    t = target(ctx, opts.where)
    get_provider(t.project.manifest, opts.provider_key, local=t.mode == LOCAL)
    if t.mode == HOSTED:
        assert t.app_id
        with hosted.slack_client(ctx) as client:
            token_id = hosted.token_id_for(client, t.app_id, opts.provider_key, opts.account)
            hosted.select_auth(client, t.app_id, opts.provider_key, opts.workflow, token_id)
        ctx.io.success(f"Workflow {opts.workflow} now uses {opts.provider_key} account {opts.account}")
        return
    chosen = local.resolve_account(ctx, t.project, opts.provider_key, opts.account)
    store.select_account(ctx, t.project, opts.provider_key, chosen, opts.workflow)
    ctx.io.success(
        f"Workflow {opts.workflow} now uses {opts.provider_key} account {chosen}; it is also the default "
        f"for {store.env_var_name(opts.provider_key)}"
    )
