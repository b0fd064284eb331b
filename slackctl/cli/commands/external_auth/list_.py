"""`slackctl external-auth list`: the manifest's providers, whether a client secret is set, the authorized accounts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import typer

from slackctl.cli.commands.external_auth.common import AppWhereOptions, target
from slackctl.cli.context import Context
from slackctl.cli.output import expiry_text, print_json, print_table
from slackctl.cli.verb import Verb
from slackctl.core.extauth import hosted, store
from slackctl.core.extauth.providers import (
    HOSTED,
    LOCAL,
    parse_providers,
)


@dataclass(kw_only=True)
class ListOptions(AppWhereOptions):
    """The options of `slackctl external-auth list`."""

    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False


COMMAND = Verb(
    ListOptions,
    examples="""
        slackctl external-auth list
        slackctl external-auth list --hosted --app A0123456789 --json
    """,
)


def run(ctx: Context, opts: ListOptions) -> None:
    t = target(ctx, opts.where)
    providers = parse_providers(t.project.manifest, local=t.mode == LOCAL)
    rows: list[dict[str, Any]] = []
    workflows: list[Any] = []
    if t.mode == LOCAL:
        pid = t.project.project_id
        for key, provider in providers.items():
            default = store.default_account(ctx.config, pid, key)
            accounts = [
                {
                    "account": name,
                    "expires": facts.get("expires"),
                    "scopes": facts.get("scopes", []),
                    "default": name == default,
                }
                for name, facts in sorted(store.accounts_of(ctx.config, pid, key).items())
            ]
            secret = bool(store.provider_facts(ctx.config, pid, key).get("client_secret"))
            rows.append({**provider.describe(), "client_secret": secret, "accounts": accounts})
    else:
        assert t.app_id
        with hosted.slack_client(ctx) as client:
            listing = hosted.list_all(client, t.app_id)
        workflows = listing["workflows"]
        for key, provider in providers.items():
            entry = hosted.provider_entry(listing, key)
            accounts = [
                {
                    "account": tok.get("external_user_id"),
                    "id": tok.get("external_token_id"),
                    "updated": tok.get("date_updated"),
                }
                for tok in hosted.accounts(entry)
            ]
            rows.append(
                {**provider.describe(), "client_secret": bool(entry.get("client_secret_exists")), "accounts": accounts}
            )
    if opts.json_out:
        data: dict[str, Any] = {"mode": t.mode, "providers": rows}
        if t.mode == HOSTED:
            data.update(app_id=t.app_id, workflows=workflows)
        print_json(ctx.io, data)
        return
    if not rows:
        ctx.io.err("No providers are declared in the manifest (external_auth_providers.oauth2).")
        return
    table: list[list[str]] = []
    for row in rows:
        accounts = row["accounts"] or [{}]
        for acct in accounts:
            name = str(acct.get("account") or "-") + (" (default)" if acct.get("default") else "")
            when = expiry_text(acct.get("expires")) if t.mode == LOCAL and acct else "-"
            table.append([row["provider"], row["name"], "yes" if row["client_secret"] else "no", name, when])
    print_table(ctx.io, ["provider", "name", "secret", "account", "expires"], table)
