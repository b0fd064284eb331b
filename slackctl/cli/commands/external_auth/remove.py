"""`slackctl external-auth remove`: remove an authorized account (local: revoked at the provider when it can be)."""

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
    provider_blocks,
)
from slackctl.errors import UsageError


@dataclass(kw_only=True)
class RemoveOptions(AppWhereOptions):
    """The options of `slackctl external-auth remove`."""

    provider_key: Annotated[str, PROVIDER]
    account: Annotated[str | None, typer.Option("--account", help="The account to remove.")] = None
    all_accounts: Annotated[bool, typer.Option("--all", help="Remove every account of the provider.")] = False
    keep_remote: Annotated[
        bool, typer.Option("--keep-remote", help="Local: do not call the provider's revocation endpoint.")
    ] = False


COMMAND = Verb(
    RemoveOptions,
    examples="""
        slackctl external-auth remove --provider google --account ada@example.com
        slackctl external-auth remove --provider google --all --keep-remote
    """,
)


def run(ctx: Context, opts: RemoveOptions) -> None:
    t = target(ctx, opts.where)
    if opts.account and opts.all_accounts:
        raise UsageError("--account and --all cannot be used together", "pick one")
    orphan = (
        t.mode == LOCAL
        and opts.provider_key not in provider_blocks(t.project.manifest)
        and bool(store.provider_facts(ctx.config, t.project.project_id, opts.provider_key))
    )
    if not orphan:
        get_provider(t.project.manifest, opts.provider_key, local=t.mode == LOCAL)
    elif not opts.keep_remote:
        # Tokens of a provider since dropped from the manifest: still removable, but with no endpoint to call.
        ctx.io.warn(
            f"provider '{opts.provider_key}' is no longer in the manifest: removing its tokens here without "
            "revoking them at the provider"
        )
        opts.keep_remote = True
    if t.mode == HOSTED:
        assert t.app_id
        with hosted.slack_client(ctx) as client:
            if opts.all_accounts:
                hosted.delete(client, t.app_id, opts.provider_key, None)
                ctx.io.success(f"Removed every {opts.provider_key} account of app {t.app_id}")
                return
            if not opts.account:
                found = hosted.accounts(hosted.provider_entry(hosted.list_all(client, t.app_id), opts.provider_key))
                opts.account = _only(opts.provider_key, [str(x.get("external_user_id")) for x in found])
            token_id = hosted.token_id_for(client, t.app_id, opts.provider_key, opts.account)
            hosted.delete(client, t.app_id, opts.provider_key, token_id)
        ctx.io.success(f"Removed {opts.provider_key} account {opts.account} of app {t.app_id}")
        return
    known = sorted(store.accounts_of(ctx.config, t.project.project_id, opts.provider_key))
    if opts.all_accounts:
        targets = known
    elif opts.account:
        targets = [local.resolve_account(ctx, t.project, opts.provider_key, opts.account)]
    else:
        targets = [_only(opts.provider_key, known)]
    removed = local.remove(ctx, t.project, opts.provider_key, targets, revoke=not opts.keep_remote)
    if orphan and opts.all_accounts:
        store.delete_client_secret(ctx, t.project, opts.provider_key)  # nothing is left that could use it
    revoked = ""
    if not opts.keep_remote and not orphan:
        provider = get_provider(t.project.manifest, opts.provider_key)
        revoked = f" and revoked at {provider.provider_name}" if provider.revocation_url else ""
    ctx.io.success(f"Removed {len(removed)} {opts.provider_key} account(s){revoked}: {', '.join(removed) or 'none'}")


def _only(provider_key: str, accounts: list[str]) -> str:
    if len(accounts) == 1:
        return accounts[0]
    if not accounts:
        raise UsageError(f"no account is authorized for provider '{provider_key}'", "nothing to remove")
    raise UsageError(
        f"provider '{provider_key}' has {len(accounts)} accounts: {', '.join(accounts)}",
        "name one with --account A, or pass --all",
    )
