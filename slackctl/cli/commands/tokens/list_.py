"""`slackctl tokens list`: every stored credential: profile, kind, masked value, expiry, storage (no network)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

from slackctl.cli.output import expiry_text
from slackctl.cli.verb import Verb

if TYPE_CHECKING:
    from slackctl.cli.context import Context


@dataclass
class ListOptions:
    """The options of `slackctl tokens list`."""

    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False


COMMAND = Verb(
    ListOptions,
    examples="""
        slackctl tokens list
        slackctl tokens list --json | jq -r '.[] | select(.expires != null) | .name'
    """,
)


def run(ctx: Context, opts: ListOptions) -> None:
    from slackctl.cli.output import print_json, print_table

    rows = collect_rows(ctx)
    if opts.json_out:
        print_json(ctx.io, rows)
        return
    if not rows:
        ctx.io.err("no stored credentials; log in with: slackctl auth login")
        return
    print_table(
        ctx.io,
        ["name", "kind", "value", "expires", "storage"],
        [[r["name"], r["kind"], r["masked"], expiry_text(r["expires"]), r["storage"]] for r in rows],
    )


def collect_rows(c: Context) -> list[dict[str, Any]]:
    from slackctl.core.project import app_profile, known_apps
    from slackctl.slack.tokens import mask

    rows: list[dict[str, Any]] = []
    for profile in sorted(c.config.profiles.values(), key=lambda p: p.name):
        store = c.credentials.store_for(profile.storage)
        for kind in profile.kinds:
            rows.append(
                {
                    "name": f"{profile.name}/{kind}",
                    "profile": profile.name,
                    "kind": _kind_label(kind),
                    "masked": mask(store.get(profile.name, kind) or ""),
                    "expires": profile.expires.get(kind),
                    "storage": _storage_label(profile.storage),
                }
            )
    for app_id, facts in sorted(known_apps(c).items()):
        store = c.credentials.store_for(facts.get("storage", "keyring"))
        for kind in facts.get("kinds", []):
            rows.append(
                {
                    "name": f"{app_profile(app_id)}/{kind}",
                    "profile": app_profile(app_id),
                    "kind": kind,
                    "masked": mask(store.get(app_profile(app_id), kind) or ""),
                    "expires": None,
                    "storage": _storage_label(facts.get("storage", "keyring")),
                }
            )
    from slackctl.core.extauth.local import list_local_accounts

    for row in list_local_accounts(c):
        rows.append({"profile": "", **row})
    return rows


def _kind_label(kind: str) -> str:
    return "refresh" if kind.endswith("-refresh") else kind


def _storage_label(storage: str) -> str:
    return "plaintext file" if storage == "file" else storage
