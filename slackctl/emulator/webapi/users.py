"""Web API: users.list, users.info, users.lookupByEmail, users.profile.get and users.conversations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from slackctl.emulator.webapi.access import user_view
from slackctl.emulator.webapi.conversations.channels import READ, channel_view, conversation_type
from slackctl.emulator.webapi.registry import ApiError, Call, method
from slackctl.emulator.world.userpages import members_json

USERS_READ = {"bot": ["users:read"], "user": ["users:read"]}


@method("users.list", scopes=USERS_READ)
def users_list(call: Call) -> dict[str, Any]:
    world = call.world
    start, end, next_cursor = call.page("user", world.user_count())
    # Already-encoded JSON: encoding 200 user dicts per page was most of a page's server time.
    members = members_json(world, start, end, call.has_scope("users:read.email"))
    return {"members": members, "cache_ts": int(world.now()), "response_metadata": {"next_cursor": next_cursor}}


@method("users.info", scopes=USERS_READ)
def users_info(call: Call) -> dict[str, Any]:
    uid = call.arg("user", required=True, error="user_not_found") or ""
    user = call.world.get_user(uid)
    if user is None:
        raise ApiError("user_not_found")
    return {"user": user_view(call, user)}


EMAIL_READ = {"bot": ["users:read.email"], "user": ["users:read.email"]}


PROFILE_READ = {"bot": ["users.profile:read"], "user": ["users.profile:read"]}


@method("users.lookupByEmail", scopes=EMAIL_READ)
def users_lookup_by_email(call: Call) -> dict[str, Any]:
    email = (call.arg("email", required=True, error="users_not_found") or "").lower()
    for uid in call.world.user_order:
        user = call.world.users[uid]
        if str(user["profile"].get("email", "")).lower() == email and not user.get("deleted"):
            return {"user": user_view(call, user)}
    local, _, domain = email.partition("@")
    if local.startswith("user") and local[4:].isdigit() and domain == "example.com":  # generated users
        generated = call.world.get_user(f"UG{int(local[4:]):08d}")
        if generated is not None:
            return {"user": user_view(call, generated)}
    raise ApiError("users_not_found")


@method("users.profile.get", scopes=PROFILE_READ)
def users_profile_get(call: Call) -> dict[str, Any]:
    uid = call.arg("user") or call.user_id or ""
    user = call.world.get_user(uid)
    if user is None:
        raise ApiError("user_not_found")
    profile = dict(user_view(call, user)["profile"])
    profile.setdefault("status_text", "")
    profile.setdefault("status_emoji", "")
    profile.setdefault("status_expiration", 0)
    profile.setdefault("title", "")
    profile.setdefault("phone", "")
    return {"profile": profile}


@method("users.conversations", scopes=READ)
def users_conversations(call: Call) -> dict[str, Any]:
    types = set(call.list_arg("types") or ["public_channel"])
    if types - {"public_channel", "private_channel", "im", "mpim"}:
        raise ApiError("invalid_types")
    uid = call.arg("user") or call.user_id
    if call.world.get_user(uid or "") is None:
        raise ApiError("user_not_found")
    exclude_archived = call.bool_arg("exclude_archived")
    viewer = call.user_id

    def chosen() -> Iterator[dict[str, Any]]:
        for cid in call.world.channel_order:
            ch = call.world.channels[cid]
            if uid not in ch["members"] or (exclude_archived and ch["is_archived"]):
                continue
            if ch["is_private"] and viewer not in ch["members"]:
                continue  # the caller sees only what it could see itself
            if conversation_type(ch) in types:
                yield ch

    page, next_cursor = call.page_of("uconv", chosen())
    return {"channels": [channel_view(ch, viewer) for ch in page], "response_metadata": {"next_cursor": next_cursor}}
