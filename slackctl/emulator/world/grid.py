"""An Enterprise Grid org (opt-in): the org `E…`, its two workspaces, org-level and workspace-level admins, a
channel shared between the workspaces, Slack Connect invites and the admin's app approvals.

Off by default: a non-Grid world has `world.enterprise = None` and one workspace (`world.team`); every admin.*
method then answers as Slack answers a workspace that is not on an Enterprise plan. `enable()` is what the seed key
`"grid": true` (and `emulator start --grid`, `start_emulator(grid=True)`) runs."""

from __future__ import annotations

from typing import Any

from slackctl.emulator import ids
from slackctl.emulator.world.state import ADMIN_ID, GENERAL_ID, TEAM_ID, World, make_channel, make_user

ENTERPRISE_ID = "E0EMU0001"
ENTERPRISE_NAME = "Emulated Org"
ENTERPRISE_DOMAIN = "emulated-org"
TEAM2_ID = "T0EMU0002"
TEAM2_NAME = "Emulated Workspace Two"
TEAM2_DOMAIN = "emulated-two"
TEAM2_ADMIN_ID = "U0EMU00011"  # a workspace-level admin of the second workspace, not an org admin
SHARED_ID = "C0EMUSHR01"  # a channel shared by both workspaces of the org

_TEAM2_MEMBERS = [
    (TEAM2_ADMIN_ID, "katherine", "Katherine Johnson", True),
    ("U0EMU00012", "dorothy", "Dorothy Vaughan", False),
]


def team_record(team_id: str, name: str, domain: str, admins: list[str]) -> dict[str, Any]:
    """A workspace of the org as admin.teams.* keep it (owners are its admins here)."""
    return {
        "id": team_id,
        "name": name,
        "domain": domain,
        "enterprise_id": ENTERPRISE_ID,
        "enterprise_name": ENTERPRISE_NAME,
        "admins": list(admins),
        "owners": list(admins),
        "description": "",
        "discoverability": "invite_only",
        "default_channels": [],
        "primary_owner": admins[0] if admins else "",
        "created": 1700000000,
    }


def enable(world: World) -> None:
    """Make the world an Enterprise Grid org. Idempotent (reset re-applies the seed that asked for it)."""
    if world.enterprise is not None:
        return
    world.enterprise = {
        "id": ENTERPRISE_ID,
        "name": ENTERPRISE_NAME,
        "domain": ENTERPRISE_DOMAIN,
        "admins": [ADMIN_ID],
        "owners": [ADMIN_ID],
    }
    world.team["enterprise_id"] = ENTERPRISE_ID
    world.team["enterprise_name"] = ENTERPRISE_NAME
    first = [uid for uid in world.user_order if world.users[uid].get("is_admin")]
    world.teams = {
        TEAM_ID: team_record(TEAM_ID, world.team["name"], world.team["domain"], first or [ADMIN_ID]),
        TEAM2_ID: team_record(TEAM2_ID, TEAM2_NAME, TEAM2_DOMAIN, [TEAM2_ADMIN_ID]),
    }
    for uid, name, real, admin in _TEAM2_MEMBERS:
        world.add_user(make_user(uid, name, real, team_id=TEAM2_ID, is_admin=admin))
    for uid in world.user_order:
        mark_enterprise_user(world, world.users[uid])
    shared = make_channel(
        SHARED_ID,
        "org-shared",
        purpose="Shared by both workspaces of the org",
        members=[ADMIN_ID, *(u[0] for u in _TEAM2_MEMBERS)],
    )
    world.add_channel(shared)
    share(shared, [TEAM_ID, TEAM2_ID], org=True)
    for channel in world.channels.values():
        channel.setdefault("shared_team_ids", [channel.get("context_team_id", TEAM_ID)])
    world.channels[GENERAL_ID]["shared_team_ids"] = [TEAM_ID]


def mark_enterprise_user(world: World, user: dict[str, Any]) -> None:
    """Slack's `enterprise_user` block and `enterprise_id`, which Grid users carry in users.info/list."""
    assert world.enterprise is not None
    teams = user.get("enterprise_user", {}).get("teams") or [user.get("team_id") or TEAM_ID]
    user["enterprise_id"] = ENTERPRISE_ID
    user["enterprise_user"] = {
        "id": user["id"],
        "enterprise_id": ENTERPRISE_ID,
        "enterprise_name": ENTERPRISE_NAME,
        "is_admin": user["id"] in world.enterprise["admins"],
        "is_owner": user["id"] in world.enterprise["owners"],
        "is_primary_owner": user["id"] == world.enterprise["owners"][0],
        "teams": list(teams),
    }


def share(channel: dict[str, Any], team_ids: list[str], *, org: bool) -> None:
    """Mark a channel shared by these workspaces (org-shared within the org; ext-shared through Slack Connect)."""
    known = channel.get("shared_team_ids") or [channel.get("context_team_id", TEAM_ID)]
    channel["shared_team_ids"] = sorted(set(known) | set(team_ids))
    channel["is_shared"] = len(channel["shared_team_ids"]) > 1
    channel["is_org_shared"] = channel["is_org_shared"] or org
    channel["is_ext_shared"] = channel["is_ext_shared"] or not org
    channel.setdefault("conversation_host_id", channel.get("context_team_id", TEAM_ID))


def teams_of(world: World, user: dict[str, Any]) -> list[str]:
    """The workspaces a user belongs to (one outside Grid)."""
    return list(user.get("enterprise_user", {}).get("teams") or [user.get("team_id") or world.team["id"]])


def team_info(world: World, team_id: str | None) -> dict[str, Any] | None:
    """id, name, domain (and enterprise_id/name under Grid) of a workspace of this world, or None."""
    team_id = team_id or world.team["id"]
    if team_id == world.team["id"]:
        return dict(world.team)
    record = world.teams.get(team_id)
    if record is None:
        return None
    return {k: record[k] for k in ("id", "name", "domain", "enterprise_id", "enterprise_name")}


def new_team(
    world: World, name: str, domain: str, creator: str, description: str = "", discoverability: str = "invite_only"
) -> dict[str, Any]:
    record = team_record(ids.slack_id("T"), name, domain, [creator])
    record.update(description=description, discoverability=discoverability, created=int(world.now()))
    world.teams[record["id"]] = record
    user = world.users.get(creator)
    if user is not None and "enterprise_user" in user:
        user["enterprise_user"]["teams"].append(record["id"])
    return record
