"""`slackctl auth status`: every profile, checked live with auth.test; exit 4 when the active one fails."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

from slackctl import settings
from slackctl.cli.context import Context
from slackctl.cli.output import expiry_text, print_json, storage_label
from slackctl.cli.verb import Verb
from slackctl.credentials import TokenKind
from slackctl.errors import ExitCode, SlackApiError, SlackctlError
from slackctl.slack import tokens as tk

if TYPE_CHECKING:
    from slackctl.config import Profile
    from slackctl.slack.client import SlackClient


@dataclass
class StatusOptions:
    """The options of `slackctl auth status`."""

    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False


COMMAND = Verb(
    StatusOptions,
    examples="""
        slackctl auth status
        slackctl auth status --json | jq '.profiles[] | select(.ok | not)'
    """,
)


def run(ctx: Context, opts: StatusOptions) -> int:
    from slackctl.credentials import env_token

    config = ctx.config  # an unknown --profile is refused here (Session.config)
    active = config.active  # -p selects which profile to check; only `auth switch` moves the active marker
    selected = ctx.options.profile
    entries: list[dict[str, Any]] = []
    exit_code = 0
    env = env_token()
    if env:
        entry: dict[str, Any] = {
            "profile": None,
            "source": f"environment ({env.variable})",
            "active": True,
            "kind": tk.guess_kind(env.token) or "unknown",
            "token": tk.mask(env.token),
        }
        with ctx.client() as client:
            entry.update(_check(client, env.token))
        if not entry["ok"]:
            exit_code = int(ExitCode.AUTH)
        entries.append(entry)
    for name, profile in sorted(config.profiles.items()):
        if selected and name != selected:
            continue
        is_active = name == active and not env
        decides_exit = name == (selected or active) and not env
        entry = {
            "profile": name,
            "active": is_active,
            "team_id": profile.team_id,
            "team": profile.team_name,
            "user_id": profile.user_id,
            "user": profile.user_name,
            "kinds": list(profile.kinds),
            "scopes": profile.scopes,
            "expires": profile.expires,
            "storage": profile.storage,
            "slack_url": profile.slack_url,
            "tokens": {},
        }
        elsewhere = _logged_in_elsewhere(ctx, profile)
        for kind in (TokenKind.BOT, TokenKind.USER):
            if kind not in profile.kinds:
                continue
            if elsewhere:
                # Its tokens belong to another host: asking --slack-url about them can only say invalid_auth.
                entry["tokens"][kind] = {"ok": None, "not_checked": f"logged in at {elsewhere}"}
                continue
            try:
                with ctx.client(profile=profile) as client:
                    token = ctx.refreshed_token(profile, kind)
                    check = _check(client, token) if token else {"ok": False, "error": "missing from store"}
            except SlackctlError as exc:
                check = {"ok": False, "error": exc.message}
            entry["tokens"][kind] = check
            if check.get("scopes"):
                entry["scopes"][kind] = check["scopes"]
            if decides_exit and not check["ok"]:
                exit_code = int(ExitCode.AUTH)
        entries.append(entry)
    if active and active not in config.profiles and not env:
        exit_code = int(ExitCode.AUTH)
    if opts.json_out:
        print_json(ctx.io, {"profiles": entries}, pretty=ctx.io.stdout_is_tty)
        return exit_code
    io = ctx.io
    if not entries:
        io.error("not logged in to any workspace — run: slackctl auth login")
        return int(ExitCode.AUTH)
    for entry in entries:
        mark = "*" if entry.get("active") else " "
        if entry["profile"] is None:
            state = "ok" if entry["ok"] else f"FAILED ({entry['error']})"
            io.out(f"{mark} {entry['source']}: {entry['kind']} token {entry['token']} — {state}")
            if entry.get("team"):
                io.out(f"    workspace {entry['team']} ({entry['team_id']}), user {entry.get('user', '')}")
            io.out("    (environment tokens win over stored profiles)")
            continue
        io.out(
            f"{mark} {entry['profile']}: {entry['team'] or entry['team_id']} ({entry['team_id']}) "
            f"as {entry['user'] or entry['user_id']} — stored in {storage_label(entry['storage'])}"
        )
        for kind in entry["kinds"]:
            check = entry["tokens"].get(kind)
            state = (
                ""
                if check is None
                else (
                    " ok"
                    if check["ok"]
                    else f" not checked ({check['not_checked']})"
                    if check["ok"] is None
                    else f" FAILED ({check['error']})"
                )
            )
            scopes = ",".join(entry["scopes"].get(kind, []))
            exp = expiry_text(entry["expires"].get(kind)) if kind in entry["expires"] else ""
            io.out(
                f"    {kind:<15}{state}"
                + (f"  scopes: {scopes}" if scopes else "")
                + (f"  expires {exp}" if exp else "")
            )
    return exit_code


def _logged_in_elsewhere(ctx: Context, profile: Profile) -> str | None:
    """The profile's own Slack URL when --slack-url / SLACKCTL_SLACK_URL names another host; else None."""
    override = ctx.slack_url_option
    if not override:
        return None
    own = (profile.slack_url or settings.DEFAULT_SLACK_URL).rstrip("/")
    return own if own != override.rstrip("/") else None


def _check(client: SlackClient, token: str) -> dict[str, Any]:
    try:
        resp = client.call("auth.test", token=token)
    except SlackApiError as exc:
        return {"ok": False, "error": exc.error}
    d = resp.data
    return {
        "ok": True,
        "team": d.get("team"),
        "team_id": d.get("team_id"),
        "user": d.get("user"),
        "user_id": d.get("user_id"),
        "scopes": resp.scopes,
    }
