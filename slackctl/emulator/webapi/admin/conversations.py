"""admin.conversations.*: the org's channels across workspaces — search, create, archive, rename, invite, and
which workspaces a channel is shared with (setTeams/getTeams)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from slackctl.emulator import ids
from slackctl.emulator.webapi.access import org_admin, org_team
from slackctl.emulator.webapi.admin import ADMIN_KIND
from slackctl.emulator.webapi.registry import ApiError, Call, method
from slackctl.emulator.world import grid
from slackctl.emulator.world.state import make_channel

READ = {"user": ["admin.conversations:read"]}
WRITE = {"user": ["admin.conversations:write"]}
_TYPES = {
    "private": "is_private",
    "archived": "is_archived",
    "org_shared": "is_org_shared",
    "external_shared": "is_ext_shared",
    "exclude_archived": "",
}


def _teams(channel: dict[str, Any]) -> list[str]:
    return list(channel.get("shared_team_ids") or [channel.get("context_team_id", "")])


def search_view(call: Call, channel: dict[str, Any]) -> dict[str, Any]:
    """A channel as admin.conversations.search lists one (Slack's flat fields, not the conversation object)."""
    msgs = call.world.messages.get(channel["id"]) or []
    return {
        "id": channel["id"],
        "name": channel["name"],
        "purpose": channel["purpose"]["value"],
        "member_count": len(channel["members"]),
        "created": channel["created"],
        "creator_id": channel.get("creator", ""),
        "is_private": channel["is_private"],
        "is_archived": channel["is_archived"],
        "is_general": channel["is_general"],
        "last_activity_ts": int(float(msgs[-1]["ts"])) if msgs else 0,
        "is_ext_shared": channel["is_ext_shared"],
        "is_global_shared": False,
        "is_org_default": False,
        "is_org_mandatory": False,
        "is_org_shared": channel["is_org_shared"],
        "is_frozen": False,
        "connected_team_ids": _teams(channel),
        "internal_team_ids_count": len(_teams(channel)),
        "internal_team_ids_sample_team": _teams(channel)[0],
        "pending_connected_team_ids": [],
        "is_pending_ext_shared": False,
        "context_team_id": channel.get("context_team_id", ""),
        "channel_email_addresses": [],
    }


def _channel(call: Call) -> dict[str, Any]:
    cid = call.arg("channel_id", required=True) or ""
    channel = call.world.channels.get(cid)
    if channel is None or channel.get("is_im") or channel.get("is_mpim"):
        raise ApiError("channel_not_found")
    return channel


@method("admin.conversations.search", kinds=ADMIN_KIND, scopes=READ)
def admin_conversations_search(call: Call) -> dict[str, Any]:
    org_admin(call)
    query = (call.arg("query") or "").lower()
    team_ids = call.list_arg("team_ids")
    for team_id in team_ids:
        if team_id not in call.world.teams:
            raise ApiError("team_not_found")
    kinds = call.list_arg("search_channel_types")
    if set(kinds) - set(_TYPES):
        raise ApiError("invalid_search_channel_type")

    def chosen() -> Iterator[dict[str, Any]]:
        for cid in call.world.channel_order:
            ch = call.world.channels[cid]
            if ch.get("is_im") or ch.get("is_mpim") or (query and query not in ch["name"].lower()):
                continue
            if team_ids and not set(team_ids) & set(_teams(ch)):
                continue
            if "exclude_archived" in kinds and ch["is_archived"]:
                continue
            if any(_TYPES[k] and not ch.get(_TYPES[k]) for k in kinds):
                continue
            yield search_view(call, ch)

    if call.bool_arg("total_count_only"):
        return {"conversations": [], "total_count": sum(1 for _ in chosen()), "next_cursor": ""}
    found, next_cursor = call.page_of("admin_conversations", chosen())
    return {"conversations": found, "next_cursor": next_cursor}


@method("admin.conversations.create", kinds=ADMIN_KIND, scopes=WRITE)
def admin_conversations_create(call: Call) -> dict[str, Any]:
    name = call.arg("name", required=True) or ""
    is_private = call.bool_arg("is_private")
    org_wide = call.bool_arg("org_wide")
    team_id = org_team(call)
    if not org_wide and not team_id:
        raise ApiError("team_not_found")
    org_admin(call, team_id)
    if any(ch.get("name") == name for ch in call.world.channels.values()):
        raise ApiError("name_taken")
    channel = make_channel(
        ids.slack_id("G" if is_private else "C"),
        name,
        creator=call.user_id or "",
        is_private=is_private,
        created=int(call.world.now()),
        purpose=call.arg("description") or "",
    )
    channel["context_team_id"] = channel["conversation_host_id"] = team_id or call.world.team["id"]
    channel["shared_team_ids"] = [channel["context_team_id"]]
    call.world.add_channel(channel)
    if org_wide:
        grid.share(channel, list(call.world.teams), org=True)
    return {"channel_id": channel["id"]}


@method("admin.conversations.archive", kinds=ADMIN_KIND, scopes=WRITE)
def admin_conversations_archive(call: Call) -> dict[str, Any]:
    org_admin(call)
    channel = _channel(call)
    if channel["is_archived"]:
        raise ApiError("already_archived")
    if channel["is_general"]:
        raise ApiError("cant_archive_general")
    channel["is_archived"] = True
    return {}


@method("admin.conversations.unarchive", kinds=ADMIN_KIND, scopes=WRITE)
def admin_conversations_unarchive(call: Call) -> dict[str, Any]:
    org_admin(call)
    channel = _channel(call)
    if not channel["is_archived"]:
        raise ApiError("channel_not_archived")
    channel["is_archived"] = False
    return {}


@method("admin.conversations.rename", kinds=ADMIN_KIND, scopes=WRITE)
def admin_conversations_rename(call: Call) -> dict[str, Any]:
    org_admin(call)
    channel = _channel(call)
    name = call.arg("name", required=True) or ""
    if any(ch.get("name") == name and ch is not channel for ch in call.world.channels.values()):
        raise ApiError("name_taken")
    channel["previous_names"] = [channel["name"], *channel.get("previous_names", [])]
    channel["name"] = channel["name_normalized"] = name
    return {}


@method("admin.conversations.invite", kinds=ADMIN_KIND, scopes=WRITE)
def admin_conversations_invite(call: Call) -> dict[str, Any]:
    org_admin(call)
    channel = _channel(call)
    users = call.list_arg("user_ids")
    if not users:
        raise ApiError(
            "invalid_arguments", response_metadata={"messages": ["[ERROR] missing required field: user_ids"]}
        )
    for uid in users:
        if call.world.get_user(uid) is None:
            raise ApiError("user_not_found")
    for uid in users:
        if uid not in channel["members"]:
            channel["members"].append(uid)
    return {}


@method("admin.conversations.setTeams", kinds=ADMIN_KIND, scopes=WRITE)
def admin_conversations_set_teams(call: Call) -> dict[str, Any]:
    org_admin(call)
    channel = _channel(call)
    targets = call.list_arg("target_team_ids")
    for team_id in targets:
        if team_id not in call.world.teams:
            raise ApiError("team_not_found")
    if call.bool_arg("org_channel"):
        targets = list(call.world.teams)
    home = channel.get("context_team_id", call.world.team["id"])
    channel["shared_team_ids"] = sorted(set(targets) | {home})
    channel["is_shared"] = channel["is_org_shared"] = len(channel["shared_team_ids"]) > 1
    return {}


@method("admin.conversations.getTeams", kinds=ADMIN_KIND, scopes=READ)
def admin_conversations_get_teams(call: Call) -> dict[str, Any]:
    org_admin(call)
    channel = _channel(call)
    return {"team_ids": _teams(channel), "response_metadata": {"next_cursor": ""}}
