"""`slackctl function access`: who may use one of the app's custom functions in their workflows (Slack CLI's
flags), with an app configuration token (SLACK_CONFIG_TOKEN, else the profile's)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.commands.trigger.common import CONFIG_TOKEN_HELP, DEFAULT_ENV, AppOption, EnvOption, JsonOption
from slackctl.cli.verb import Verb

if TYPE_CHECKING:
    from slackctl.cli.context import Context

EXAMPLES = """
    slackctl function access greet_user --everyone
    slackctl function access greet_user --users U0123,U0456
    slackctl function access --name greet_user --users U0456 --revoke
    slackctl function access greet_user --info --json
"""


@dataclass
class AccessOptions:
    """The options of `slackctl function access`."""

    callback_id: Annotated[
        str | None, typer.Argument(help="The function's callback_id in the manifest.", show_default=False)
    ] = None
    name: Annotated[str | None, typer.Option("--name", help="The same, as Slack's CLI spells it.")] = None
    everyone: Annotated[bool, typer.Option("--everyone", help="Anyone in the workspace may use it.")] = False
    app_collaborators: Annotated[bool, typer.Option("--app-collaborators", help="Only the app's collaborators.")] = (
        False
    )
    users: Annotated[str | None, typer.Option("--users", help="User ids, comma-separated.")] = None
    grant: Annotated[bool, typer.Option("--grant", help="Add the named users (the default).")] = False
    revoke: Annotated[bool, typer.Option("--revoke", help="Remove the named users.")] = False
    info: Annotated[bool, typer.Option("--info", help="Only show who may use it.")] = False
    app: AppOption = None
    env: EnvOption = DEFAULT_ENV
    json_out: JsonOption = False


COMMAND = Verb(AccessOptions, examples=EXAMPLES, help=CONFIG_TOKEN_HELP)


def run(ctx: Context, opts: AccessOptions) -> int:
    from slackctl.cli.commands.trigger import common
    from slackctl.cli.commands.trigger.access import check, describe, split_ids
    from slackctl.core import triggers
    from slackctl.errors import UsageError

    if opts.callback_id and opts.name and opts.callback_id != opts.name:
        raise UsageError(f"two functions named: {opts.callback_id} and --name {opts.name}", "pass one of them")
    callback_id = opts.callback_id or opts.name
    if not callback_id:
        raise UsageError("which function?", "pass its callback_id: slackctl function access greet_user --info")
    users = split_ids(opts.users)
    check(opts.everyone, opts.app_collaborators, bool(users), opts.grant, opts.revoke, opts.info)
    with common.client(ctx, kinds=("config",)) as slack:
        app_id = common.app_id(ctx, slack, opts.app, opts.env, required=False)
        permissions = triggers.function_access(
            slack,
            callback_id,
            app_id,
            everyone=opts.everyone,
            collaborators=opts.app_collaborators,
            users=users,
            revoke=opts.revoke,
        )
    if opts.json_out:
        common.print_json(ctx, permissions)
    else:
        ctx.io.out(f"{callback_id} may be used by {describe(permissions)}")
    return 0
