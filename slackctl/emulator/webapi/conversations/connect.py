"""Slack Connect between the workspaces of a Grid org: conversations.inviteShared, acceptSharedInvite and
listConnectInvites. Outside Grid the emulated workspace is on the free plan, where Slack answers `not_paid`.

Slack connects separate organisations (within one org it answers `invite_from_same_org`); the emulator has one
org, so it lets its two workspaces connect, which is what an app's Slack Connect code needs to meet offline."""

from __future__ import annotations

from typing import Any

from slackctl.emulator import ids
from slackctl.emulator.webapi.access import require_member, visible_channel
from slackctl.emulator.webapi.registry import ApiError, Call, method
from slackctl.emulator.world import grid

WRITE = {"bot": ["conversations.connect:write"]}
MANAGE = {"bot": ["conversations.connect:manage"]}
MAX_EMAILS = 3  # Slack invites at most this many addresses (or users) per call


def _grid_only(call: Call) -> None:
    if call.world.enterprise is None:
        raise ApiError("not_paid")


@method("conversations.inviteShared", kinds=("bot",), scopes=WRITE)
def conversations_invite_shared(call: Call) -> dict[str, Any]:
    _grid_only(call)
    channel = visible_channel(call)
    if channel.get("is_im") or channel.get("is_mpim"):
        raise ApiError("invalid_channel_type")
    if channel["is_archived"]:
        raise ApiError("channel_archived")
    if channel.get("is_general"):
        raise ApiError("cannot_share_mandatory_channel")
    require_member(call, channel)
    emails, user_ids = call.list_arg("emails"), call.list_arg("user_ids")
    if not emails and not user_ids:
        raise ApiError("recipients_not_specified")
    if len(emails) > MAX_EMAILS or len(user_ids) > MAX_EMAILS:
        raise ApiError("too_many_emails")
    for uid in user_ids:
        if call.world.get_user(uid) is None:
            raise ApiError("user_not_found")
    invite = {
        "id": ids.slack_id("I"),
        "channel_id": channel["id"],
        "inviting_team": call.auth["team_id"],
        "inviting_user": call.user_id,
        "emails": emails,
        "user_ids": user_ids,
        "status": "pending",
        "date_created": int(call.world.now()),
        "accepted_by": None,
    }
    call.world.connect_invites[invite["id"]] = invite
    return {"invite_id": invite["id"], "is_legacy_shared_channel": False}


@method("conversations.acceptSharedInvite", kinds=("bot",), scopes=WRITE)
def conversations_accept_shared_invite(call: Call) -> dict[str, Any]:
    _grid_only(call)
    call.arg("channel_name", required=True)
    invite_id, channel_id = call.arg("invite_id"), call.arg("channel_id")
    if not invite_id and not channel_id:
        raise ApiError(
            "invalid_arguments", response_metadata={"messages": ["[ERROR] either invite_id or channel_id is required"]}
        )
    team_id = call.auth["team_id"]
    invite = next(
        (
            i
            for i in call.world.connect_invites.values()
            if (i["id"] == invite_id or (not invite_id and i["channel_id"] == channel_id))
            and i["inviting_team"] != team_id
        ),
        None,
    )
    if invite is None:
        raise ApiError("invite_not_found")
    if invite["status"] == "accepted":
        raise ApiError("invite_used")
    channel = call.world.channels[invite["channel_id"]]
    invite.update(status="accepted", accepted_by={"team": team_id, "user": call.user_id, "date": int(call.world.now())})
    grid.share(channel, [team_id], org=False)
    for uid in [call.user_id, *invite["user_ids"]]:
        if uid and uid not in channel["members"]:
            channel["members"].append(uid)
    return {"implicit_approval": True, "channel_id": channel["id"], "invite_id": invite["id"]}


def _row(call: Call, invite: dict[str, Any]) -> dict[str, Any]:
    channel = call.world.channels[invite["channel_id"]]
    outgoing = invite["inviting_team"] == call.auth["team_id"]
    inviter = call.world.get_user(invite["inviting_user"] or "") or {}
    accepted = invite["accepted_by"]
    return {
        "direction": "outgoing" if outgoing else "incoming",
        "status": "approved" if accepted else "pending",
        "date_last_updated": accepted["date"] if accepted else invite["date_created"],
        "invite_type": "channel",
        "channel": {
            "id": channel["id"],
            "name": channel["name"],
            "is_private": channel["is_private"],
            "is_im": False,
            "pending_shared": [] if accepted else [invite["inviting_team"]],
        },
        "invite": {
            "id": invite["id"],
            "date_created": invite["date_created"],
            "date_invalid": invite["date_created"] + 14 * 86400,
            "inviting_team": grid.team_info(call.world, invite["inviting_team"]),
            "inviting_user": {
                "id": inviter.get("id", ""),
                "name": inviter.get("name", ""),
                "team_id": inviter.get("team_id", ""),
            },
            "recipient_email": (invite["emails"] or [""])[0],
            "recipient_user_id": (invite["user_ids"] or [""])[0],
        },
        "acceptances": [
            {
                "approval_status": "approved",
                "date_accepted": accepted["date"],
                "accepting_team": grid.team_info(call.world, accepted["team"]),
                "accepting_user": {"id": accepted["user"]},
            }
        ]
        if accepted
        else [],
        "reviews": [],
    }


@method("conversations.listConnectInvites", kinds=("bot",), scopes=MANAGE)
def conversations_list_connect_invites(call: Call) -> dict[str, Any]:
    _grid_only(call)
    team_id = call.arg("team_id") or call.auth["team_id"]
    rows = (
        _row(call, i)
        for i in call.world.connect_invites.values()
        if team_id in (i["inviting_team"], (i["accepted_by"] or {}).get("team")) or not i["accepted_by"]
    )
    invites, next_cursor = call.page_of("connect_invites", rows)
    return {"invites": invites, "response_metadata": {"next_cursor": next_cursor}}
