"""`slackctl trigger access`: who may run a trigger (Slack CLI's flags): everyone, the app's collaborators, or
named users and channels; --revoke takes names away; --info (or no change) shows it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.commands.trigger.common import DEFAULT_ENV, TOKEN_HELP, AppOption, EnvOption, JsonOption
from slackctl.cli.verb import Verb

if TYPE_CHECKING:
    from slackctl.cli.context import Context

EXAMPLES = """
    slackctl trigger access --trigger-id Ft0123ABCDEF --everyone
    slackctl trigger access --trigger-id Ft0123ABCDEF --users U0123,U0456
    slackctl trigger access --trigger-id Ft0123ABCDEF --users U0456 --revoke
    slackctl trigger access --trigger-id Ft0123ABCDEF --info --json
"""


@dataclass
class AccessOptions:
    """The options of `slackctl trigger access`."""

    trigger_id: Annotated[str, typer.Option("--trigger-id", help="The trigger (Ft…).")]
    everyone: Annotated[bool, typer.Option("--everyone", help="Anyone in the workspace may run it.")] = False
    app_collaborators: Annotated[bool, typer.Option("--app-collaborators", help="Only the app's collaborators.")] = (
        False
    )
    users: Annotated[str | None, typer.Option("--users", help="User ids, comma-separated.")] = None
    channels: Annotated[
        str | None, typer.Option("--channels", help="Channel ids, comma-separated (their members).")
    ] = None
    grant: Annotated[bool, typer.Option("--grant", help="Add the named users and channels (the default).")] = False
    revoke: Annotated[bool, typer.Option("--revoke", help="Remove the named users and channels.")] = False
    info: Annotated[bool, typer.Option("--info", help="Only show who may run it.")] = False
    app: AppOption = None
    env: EnvOption = DEFAULT_ENV
    json_out: JsonOption = False


COMMAND = Verb(AccessOptions, examples=EXAMPLES, help=TOKEN_HELP)


def split_ids(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def describe(permissions: dict[str, object]) -> str:
    kind = str(permissions.get("permission_type", ""))
    named = [
        f"{key.removesuffix('_ids')}: {', '.join(map(str, ids))}"
        for key in ("user_ids", "channel_ids")
        if isinstance(ids := permissions.get(key), list) and ids
    ]
    users = permissions.get("users")
    if isinstance(users, list) and users:
        named.append("users: " + ", ".join(str(u.get("id")) for u in users if isinstance(u, dict)))
    return {"everyone": "everyone in the workspace", "app_collaborators": "the app's collaborators"}.get(
        kind, "; ".join(named) or "nobody"
    )


def check(everyone: bool, collaborators: bool, named: bool, grant: bool, revoke: bool, info: bool) -> None:
    from slackctl.errors import UsageError

    if sum([everyone, collaborators, named]) > 1:
        raise UsageError(
            "--everyone, --app-collaborators and named users/channels each set who may run it", "pass one of them"
        )
    if grant and revoke:
        raise UsageError("--grant and --revoke contradict each other", "pass one of them")
    if revoke and not named:
        raise UsageError("--revoke takes names away: say whose", "add --users U1,U2 (or --channels)")
    if info and (everyone or collaborators or named):
        raise UsageError("--info only shows the access; it changes nothing", "drop --info to change it")


def run(ctx: Context, opts: AccessOptions) -> int:
    from slackctl.cli.commands.trigger import common
    from slackctl.core import triggers

    users, channels = split_ids(opts.users), split_ids(opts.channels)
    check(opts.everyone, opts.app_collaborators, bool(users or channels), opts.grant, opts.revoke, opts.info)
    with common.client(ctx) as slack:
        permissions = triggers.trigger_access(
            slack,
            opts.trigger_id,
            everyone=opts.everyone,
            collaborators=opts.app_collaborators,
            users=users,
            channels=channels,
            revoke=opts.revoke,
        )
    if opts.json_out:
        common.print_json(ctx, permissions)
    else:
        ctx.io.out(f"{opts.trigger_id} may be run by {describe(permissions)}")
    return 0
