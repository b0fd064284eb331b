"""`slackctl auth whoami`: the Sign in with Slack identity of the active profile, fetched live with
openid.connect.userInfo."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import typer

from slackctl.cli.context import Context
from slackctl.cli.verb import Verb
from slackctl.credentials import TokenKind
from slackctl.errors import AuthError, SlackApiError


@dataclass
class WhoamiOptions:
    """The options of `slackctl auth whoami`."""

    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False


COMMAND = Verb(
    WhoamiOptions,
    examples="""
        slackctl auth whoami
        slackctl auth whoami --json | jq -r .email
    """,
)


def run(ctx: Context, opts: WhoamiOptions) -> None:
    """The Sign in with Slack identity of the active profile, fetched live with openid.connect.userInfo."""
    from slackctl.cli.output import print_json

    profile = ctx.profile(required=True)
    assert profile is not None
    hint = f"run: slackctl auth login --openid --profile {profile.name}"
    if TokenKind.USER not in profile.kinds:
        raise AuthError(f"profile '{profile.name}' has no user token to ask who you are", hint)
    token = ctx.refreshed_token(profile, TokenKind.USER)
    if not token:
        raise AuthError(f"profile '{profile.name}' has no user token stored", hint)
    with ctx.client(token, profile=profile) as client:
        try:
            data = client.call("openid.connect.userInfo", token=token).data
        except SlackApiError as exc:
            if exc.error in ("missing_scope", "not_allowed_token_type"):
                raise AuthError(f"profile '{profile.name}' was not logged in with Sign in with Slack", hint) from None
            raise
    data.pop("ok", None)
    if opts.json_out or not ctx.io.stdout_is_tty:
        print_json(ctx.io, data)
        return
    name = data.get("name") or data.get("given_name") or data.get("sub", "")
    email = f" <{data['email']}>" if data.get("email") else ""
    ctx.io.out(f"{name}{email}")
    ctx.io.out(
        f"user: {data.get('https://slack.com/user_id', data.get('sub', ''))}  "
        f"team: {data.get('https://slack.com/team_name', '')} ({data.get('https://slack.com/team_id', '')})"
    )
