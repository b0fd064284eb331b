"""Access checks shared by the Web API namespaces: which conversation the caller may see or post to, whether it
must be a member, and whether it may read e-mail addresses."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.webapi.registry import ApiError, Call
from slackctl.emulator.world.userpages import hide_email
from slackctl.slack import catalog


def visible_channel(call: Call, required: bool = True, name: str = "channel") -> dict[str, Any]:
    ref = call.arg(name, required=required, error="channel_not_found")
    channel = call.world.find_channel(ref or "")
    if channel is None or (channel["is_private"] and call.user_id not in channel["members"]):
        raise ApiError("channel_not_found")
    return channel


def require_member(call: Call, channel: dict[str, Any], public_scope: str | None = None) -> None:
    """Bots must be members (unless they hold e.g. chat:write.public for a public channel)."""
    if call.user_id in channel["members"]:
        return
    if call.kind == "user" and not channel["is_private"]:
        return
    if public_scope and not channel["is_private"] and call.has_scope(public_scope):
        return
    raise ApiError("not_in_channel")


def target_channel(call: Call) -> dict[str, Any]:
    """`channel` for posting: a channel (id or name), or a user id, meaning the caller's DM with that user."""
    ref = call.arg("channel") or ""
    if ref[:1] in ("U", "W") and call.world.get_user(ref) is not None and call.user_id:
        return call.world.open_dm(call.user_id, ref)
    return visible_channel(call)


def user_view(call: Call, user: dict[str, Any]) -> dict[str, Any]:
    return user if call.has_scope("users:read.email") else hide_email(user)


def visible_message(call: Call, *, ts_name: str = "timestamp") -> tuple[dict[str, Any], dict[str, Any]]:
    if not call.arg("channel") and not call.arg(ts_name):
        raise ApiError("no_item_specified")
    channel = visible_channel(call)
    ts = call.arg(ts_name)
    if not ts:
        raise ApiError("no_item_specified")
    try:
        float(ts)
    except ValueError:
        raise ApiError("bad_timestamp") from None
    message = call.world.find_message(channel["id"], ts)
    if message is None:
        raise ApiError("message_not_found")
    return channel, message


def enterprise(call: Call) -> dict[str, Any]:
    """The Grid org; outside Grid, the error Slack gives a workspace not on an Enterprise plan (the method's own
    name for it where its documented errors have `not_an_enterprise`, else `feature_not_enabled`)."""
    org = call.world.enterprise
    if org is None:
        info = catalog.get(call.method)
        raise ApiError(
            "not_an_enterprise" if info is None or "not_an_enterprise" in info.errors else "feature_not_enabled"
        )
    return org


def org_admin(call: Call, team_id: str | None = None) -> dict[str, Any]:
    """An admin.* caller: an org admin or owner; a workspace admin only for its own workspace (`team_id`)."""
    org = enterprise(call)
    uid = call.user_id
    if uid in org["admins"] or uid in org["owners"]:
        return org
    if team_id and uid in call.world.teams.get(team_id, {}).get("admins", []):
        return org
    raise ApiError("not_an_admin")


def org_team(call: Call, name: str = "team_id", required: bool = False) -> str | None:
    """A workspace id argument of an admin.* call: one of the org's, else team_not_found."""
    team_id = call.arg(name, required=required)
    if team_id is not None and team_id not in call.world.teams:
        raise ApiError("team_not_found")
    return team_id
