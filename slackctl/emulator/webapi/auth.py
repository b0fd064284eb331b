"""Web API: auth.test and auth.revoke."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.webapi.registry import Call, method
from slackctl.emulator.world import grid

ALL_KINDS = ("bot", "user", "app", "config")


@method("auth.test", kinds=ALL_KINDS)
def auth_test(call: Call) -> dict[str, Any]:
    tok = call.token or {}
    user = call.world.get_user(tok.get("user_id") or "") or {}
    team = grid.team_info(call.world, tok["team_id"]) or call.world.team
    out: dict[str, Any] = {
        "url": call.workspace_url(),
        "team": team["name"],
        "user": user.get("name", ""),
        "team_id": tok["team_id"],
        "user_id": tok.get("user_id"),
    }
    if tok["kind"] == "bot":
        out["bot_id"] = tok["bot_id"]
    if tok["kind"] == "app":
        out["app_id"] = tok["app_id"]
    if call.world.enterprise is not None:  # Slack adds the org's id for a workspace of a Grid org
        out["enterprise_id"] = call.world.enterprise["id"]
    out["is_enterprise_install"] = bool(tok.get("enterprise_install"))
    return out


@method("auth.revoke", kinds=ALL_KINDS)
def auth_revoke(call: Call) -> dict[str, Any]:
    if call.bool_arg("test"):
        return {"revoked": False}
    assert call.token is not None
    call.token["revoked"] = True
    return {"revoked": True}


@method("auth.teams.list")
def auth_teams_list(call: Call) -> dict[str, Any]:
    """The workspaces the app's token reaches: every workspace of the org for an org-wide install (Grid), else the
    token's own."""
    tok = call.auth
    team_ids = list(call.world.teams) if tok.get("enterprise_install") else [tok["team_id"]]
    rows = []
    for team_id in team_ids:
        team = grid.team_info(call.world, team_id) or {}
        row: dict[str, Any] = {"id": team_id, "name": team.get("name", "")}
        if call.bool_arg("include_icon"):
            row["icon"] = {"image_default": True}
        rows.append(row)
    teams, next_cursor = call.page_of("auth_teams", iter(rows))
    return {"teams": teams, "response_metadata": {"next_cursor": next_cursor}}
