"""Web API: users.list, users.info, users.lookupByEmail, users.profile.get/set, users.conversations and
users.setPresence/getPresence, users.setPhoto/deletePhoto."""

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


# Profile fields a user may set on themself (users.profile.set); the rest are Slack's to fill.
PROFILE_WRITABLE = (
    "display_name",
    "first_name",
    "last_name",
    "real_name",
    "title",
    "phone",
    "pronouns",
    "status_text",
    "status_emoji",
    "status_expiration",
    "start_date",
    "fields",
)
MAX_STATUS_TEXT = 100


@method("users.profile.set", scopes={"user": ["users.profile:write"]}, kinds=("user",))
def users_profile_set(call: Call) -> dict[str, Any]:
    target = call.arg("user") or call.user_id or ""
    if target != call.user_id:
        raise ApiError("not_admin")  # only admins of paid plans set other people's profiles
    user = call.world.get_user(target)
    if user is None:
        raise ApiError("user_not_found")
    changes = call.json_arg("profile")
    if changes is None:
        name = call.arg("name")
        if not name:
            raise ApiError("invalid_profile")
        changes = {name: call.params.get("value", "")}
    if not isinstance(changes, dict) or any(k not in PROFILE_WRITABLE for k in changes):
        raise ApiError("invalid_profile")
    if len(str(changes.get("status_text", ""))) > MAX_STATUS_TEXT:
        raise ApiError("too_long")
    profile = user["profile"]
    profile.update(changes)
    if "real_name" in changes:
        user["real_name"] = profile["real_name_normalized"] = str(changes["real_name"])
    if "display_name" in changes:
        profile["display_name_normalized"] = str(changes["display_name"])
    call.publish("user_changed", user=dict(user))
    return {"profile": dict(user_view(call, user)["profile"]), "username": user["name"]}


@method("users.setPresence", scopes={"bot": ["users:write"], "user": ["users:write"]})
def users_set_presence(call: Call) -> dict[str, Any]:
    presence = call.arg("presence", required=True, error="invalid_presence")
    if presence not in ("auto", "away"):
        raise ApiError("invalid_presence")
    call.world.presence[call.user_id or ""] = presence
    return {}


@method("users.getPresence", scopes=USERS_READ)
def users_get_presence(call: Call) -> dict[str, Any]:
    uid = call.arg("user") or call.user_id or ""
    if call.world.get_user(uid) is None:
        raise ApiError("user_not_found")
    manual_away = call.world.presence.get(uid) == "away"
    out: dict[str, Any] = {"presence": "away" if manual_away else "active"}
    if uid == call.user_id:  # Slack tells the details only about the caller
        out.update(
            online=not manual_away,
            auto_away=False,
            manual_away=manual_away,
            connection_count=1,
            last_activity=int(call.world.now()),
        )
    return out


PHOTO_SIZES = ("24", "32", "48", "72", "192", "512", "1024")
MAX_PHOTO_BYTES = 10 * 1024 * 1024  # Slack refuses larger images with too_large


def _photo_urls(user: dict[str, Any], version: str | None) -> None:
    """The profile's image_* URLs: an uploaded photo's (versioned, so clients refetch) or the default ones."""
    profile = user["profile"]
    for size in PHOTO_SIZES:
        profile[f"image_{size}"] = (
            f"https://avatars.slack-edge.com/emulator/{user['id']}_{version}_{size}.png"
            if version
            else f"https://a.slack-edge.com/emulator_{size}.png"
        )
    profile["image_original"] = profile["image_1024"] if version else ""
    profile["is_custom_image"] = bool(version)
    profile["avatar_hash"] = version or ""


@method("users.setPhoto", scopes={"user": ["users.profile:write"]}, kinds=("user",))
def users_set_photo(call: Call) -> dict[str, Any]:
    image = call.params.get("image")
    if not isinstance(image, dict) or not image.get("size"):
        raise ApiError("bad_image")  # the image must come as a multipart file part
    if image["size"] > MAX_PHOTO_BYTES:
        raise ApiError("too_large")
    user = call.world.get_user(call.user_id or "")
    if user is None:
        raise ApiError("user_not_found")
    from slackctl.emulator import ids

    _photo_urls(user, ids.alnum(12).lower())
    call.publish("user_changed", user=dict(user))
    return {"profile": {k: v for k, v in user["profile"].items() if k.startswith("image_") or k == "avatar_hash"}}


@method("users.deletePhoto", scopes={"user": ["users.profile:write"]}, kinds=("user",))
def users_delete_photo(call: Call) -> dict[str, Any]:
    user = call.world.get_user(call.user_id or "")
    if user is None:
        raise ApiError("user_not_found")
    _photo_urls(user, None)
    call.publish("user_changed", user=dict(user))
    return {}
