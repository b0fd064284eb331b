"""admin.apps.*: the org admin's decisions on apps — pending requests, approve, restrict, and the lists of each.

A request is pending for each app installed in the emulator that the admin has neither approved nor restricted
(Slack's requests come from members through the UI, which has no Web API; the emulator treats every installed app
as requested once, by the workspace's first admin)."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.webapi.access import org_admin, org_team
from slackctl.emulator.webapi.admin import ADMIN_KIND
from slackctl.emulator.webapi.registry import ApiError, Call, method
from slackctl.emulator.world import grid

READ = {"user": ["admin.apps:read"]}
WRITE = {"user": ["admin.apps:write"]}


def _request_id(app_id: str) -> str:
    return "Ar" + app_id[1:]


def _app_view(app: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": app["app_id"],
        "name": app["name"],
        "description": "",
        "help_url": "",
        "privacy_policy_url": "",
        "app_homepage_url": "",
        "app_directory_url": "",
        "is_app_directory_approved": False,
        "is_internal": True,
        "additional_info": "",
        "icons": {
            "image_32": "",
            "image_36": "",
            "image_48": "",
            "image_64": "",
            "image_72": "",
            "image_96": "",
            "image_128": "",
            "image_192": "",
            "image_512": "",
            "image_1024": "",
            "image_original": "",
        },
    }


def _scopes(app: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"name": s, "description": "", "is_sensitive": False, "token_type": "bot"} for s in app["bot_scopes"]]


def _pending(call: Call) -> list[dict[str, Any]]:
    decided = call.world.admin_apps
    out = []
    for app in call.world.apps.values():
        if app["app_id"] in decided["approved"] or app["app_id"] in decided["restricted"]:
            continue
        team = grid.team_info(call.world, None) or {}
        requester = call.world.users.get((call.world.teams.get(team.get("id", "")) or {}).get("admins", [""])[0])
        out.append(
            {
                "id": _request_id(app["app_id"]),
                "app": _app_view(app),
                "scopes": _scopes(app),
                "message": "",
                "date_created": 1700000000,
                "is_user_app_collaborator": False,
                "previous_resolution": None,
                "user": {
                    "id": requester["id"],
                    "name": requester["name"],
                    "email": requester["profile"].get("email", ""),
                }
                if requester
                else {},
                "team": {"id": team.get("id", ""), "name": team.get("name", ""), "domain": team.get("domain", "")},
            }
        )
    return out


def _decide(call: Call, verdict: str) -> dict[str, Any]:
    team_id = org_team(call)
    if call.arg("enterprise_id") and call.arg("enterprise_id") != call.world.enterprise["id"]:  # type: ignore[index]
        raise ApiError("invalid_enterprise_id")
    org_admin(call, team_id)
    app_id = call.arg("app_id")
    request_id = call.arg("request_id")
    if bool(app_id) == bool(request_id):
        raise ApiError("app_id_or_request_id_required" if not app_id else "invalid_arguments")
    app = next(
        (a for a in call.world.apps.values() if a["app_id"] == app_id or _request_id(a["app_id"]) == request_id), None
    )
    if app is None:
        raise ApiError("app_not_found" if app_id else "invalid_request_id")
    other = "restricted" if verdict == "approved" else "approved"
    call.world.admin_apps[other].pop(app["app_id"], None)
    call.world.admin_apps[verdict][app["app_id"]] = {
        "team_id": team_id,
        "date": int(call.world.now()),
        "by": call.user_id,
    }
    return {}


@method("admin.apps.approve", kinds=ADMIN_KIND, scopes=WRITE)
def admin_apps_approve(call: Call) -> dict[str, Any]:
    return _decide(call, "approved")


@method("admin.apps.restrict", kinds=ADMIN_KIND, scopes=WRITE)
def admin_apps_restrict(call: Call) -> dict[str, Any]:
    return _decide(call, "restricted")


@method("admin.apps.clearResolution", kinds=ADMIN_KIND, scopes=WRITE)
def admin_apps_clear_resolution(call: Call) -> dict[str, Any]:
    org_admin(call, org_team(call))
    app_id = call.arg("app_id", required=True) or ""
    found = [call.world.admin_apps[k].pop(app_id, None) for k in ("approved", "restricted")]
    if not any(found):
        raise ApiError("app_not_found")
    return {}


@method("admin.apps.requests.list", kinds=ADMIN_KIND, scopes=READ)
def admin_apps_requests_list(call: Call) -> dict[str, Any]:
    org_admin(call, org_team(call))
    requests, next_cursor = call.page_of("admin_app_requests", iter(_pending(call)))
    return {"app_requests": requests, "response_metadata": {"next_cursor": next_cursor}}


def _decided(call: Call, verdict: str, field: str) -> dict[str, Any]:
    org_admin(call, org_team(call))
    rows = []
    for app_id, decision in call.world.admin_apps[verdict].items():
        app = call.world.apps.get(app_id)
        if app is not None:
            rows.append(
                {
                    "app": _app_view(app),
                    "scopes": _scopes(app),
                    "date_updated": decision["date"],
                    "last_resolved_by": {"actor_id": decision["by"], "actor_type": "user"},
                }
            )
    listed, next_cursor = call.page_of(f"admin_apps_{verdict}", iter(rows))
    return {field: listed, "response_metadata": {"next_cursor": next_cursor}}


@method("admin.apps.approved.list", kinds=ADMIN_KIND, scopes=READ)
def admin_apps_approved_list(call: Call) -> dict[str, Any]:
    return _decided(call, "approved", "approved_apps")


@method("admin.apps.restricted.list", kinds=ADMIN_KIND, scopes=READ)
def admin_apps_restricted_list(call: Call) -> dict[str, Any]:
    return _decided(call, "restricted", "restricted_apps")
