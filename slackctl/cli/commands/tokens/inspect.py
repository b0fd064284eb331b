"""`slackctl tokens inspect`: what a token is:"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

from slackctl.cli.commands.tokens.common import parse_name
from slackctl.cli.output import expiry_text
from slackctl.cli.verb import Verb

if TYPE_CHECKING:
    from slackctl.cli.context import Context


@dataclass
class InspectOptions:
    """The options of `slackctl tokens inspect`."""

    name: Annotated[str, typer.Argument(help="PROFILE/KIND, or - to read a token from stdin.")]
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False


COMMAND = Verb(
    InspectOptions,
    examples="""
        slackctl tokens inspect acme/bot
        slackctl tokens inspect acme/bot --json | jq .scopes
    """,
)


def run(ctx: Context, opts: InspectOptions) -> int:
    """Exit code 4 when Slack does not accept the token."""
    from slackctl.cli.output import print_json
    from slackctl.errors import SlackctlError, UsageError
    from slackctl.slack import tokens as tk

    profile = None
    if opts.name == "-":
        lines = ctx.prompter.secret_lines("Paste a token (input hidden): ")
        if not lines:
            raise UsageError("no token on stdin", "pipe it in: printf '%s' \"$TOKEN\" | slackctl tokens inspect -")
        token, kind, expires = lines[0], tk.guess_kind(lines[0]) or "unknown", None
    else:
        profile, kind = parse_name(ctx, opts.name)
        token = ctx.get_secret(profile, kind) or ""
        expires = profile.expires.get(kind)
    info: dict[str, Any] = {
        "name": opts.name if profile else "(stdin)",
        "kind": kind,
        "type": tk.describe_prefix(token),
        "masked": tk.mask(token),
        "expires": expires,
    }
    if token.startswith(("xoxb-", "xoxp-", "xoxe.xoxb-", "xoxe.xoxp-")):
        with ctx.client(profile=profile) as client:
            try:
                resp = client.call("auth.test", token=token)
                info.update(
                    valid=True,
                    team_id=resp.data.get("team_id"),
                    team=resp.data.get("team"),
                    user_id=resp.data.get("user_id"),
                    user=resp.data.get("user"),
                    scopes=resp.scopes,
                )
            except SlackctlError as exc:
                info.update(valid=False, error=getattr(exc, "error", exc.message))
    else:
        info["valid"] = None
        info["note"] = "auth.test cannot check this kind of credential"
    if opts.json_out:
        print_json(ctx.io, info)
    else:
        for key in (
            "name",
            "kind",
            "type",
            "masked",
            "valid",
            "error",
            "team",
            "team_id",
            "user",
            "user_id",
            "scopes",
            "expires",
            "note",
        ):
            if key in info:
                value = info[key]
                value = ", ".join(value) if isinstance(value, list) else value
                value = expiry_text(value) if key == "expires" else value
                if key == "valid" and isinstance(value, bool):
                    value = "yes" if value else "no"
                ctx.io.out(f"{key + ':':10} {'-' if value is None else value}")
    return 4 if info.get("valid") is False else 0
