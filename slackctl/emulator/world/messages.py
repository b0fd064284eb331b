"""Messages in the world: posting into a channel or a thread (the bookkeeping Slack keeps on a thread's parent)
and the bot profile Slack attaches to a bot's messages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slackctl.emulator.webapi.registry import ApiError

if TYPE_CHECKING:
    from slackctl.emulator.world.state import World


def bot_profile(world: World, bot_id: str) -> dict[str, Any] | None:
    """What Slack attaches to a bot's messages (Bolt's and clients' way to tell who posted)."""
    for app in world.apps.values():
        if app["bot_id"] == bot_id:
            return {
                "id": bot_id,
                "deleted": False,
                "name": app["name"],
                "updated": 1700000000,
                "app_id": app["app_id"],
                "team_id": world.team["id"],
                "icons": {
                    k: f"https://a.slack-edge.com/emulator_{k[6:]}.png" for k in ("image_36", "image_48", "image_72")
                },
            }
    return None


def add_reply(world: World, channel: dict[str, Any], thread_ts: str, reply: dict[str, Any]) -> None:
    """Thread bookkeeping Slack keeps on the parent: reply_count, reply_users (latest_reply once posted)."""
    parent = world.find_message(channel["id"], thread_ts)
    if parent is None or parent.get("thread_ts") not in (None, parent["ts"]):
        raise ApiError("thread_not_found")
    reply["thread_ts"] = thread_ts
    reply["parent_user_id"] = parent.get("user")
    parent["thread_ts"] = thread_ts
    parent["reply_count"] = parent.get("reply_count", 0) + 1
    users = parent.setdefault("reply_users", [])
    if reply.get("user") and reply["user"] not in users:
        users.append(reply["user"])
    parent["reply_users_count"] = len(users)
    parent.setdefault("is_locked", False)
    parent.setdefault("subscribed", False)


def post_in(
    world: World,
    channel: dict[str, Any],
    message: dict[str, Any],
    thread_ts: str | None = None,
    broadcast: bool = False,
) -> dict[str, Any]:
    """Store MESSAGE in CHANNEL, as a reply in THREAD_TS when given (thread_not_found if it is no thread root)."""
    if thread_ts:
        add_reply(world, channel, thread_ts, message)
        if broadcast:
            message["subtype"] = "thread_broadcast"
    stored = world.post(channel["id"], message)
    if thread_ts:
        parent = world.find_message(channel["id"], thread_ts)
        if parent is not None:
            parent["latest_reply"] = stored["ts"]
        assistant = world.assistant_threads.get(f"{channel['id']}|{thread_ts}")
        if assistant is not None and stored.get("bot_id"):
            assistant["status"] = ""  # Slack clears "is thinking…" once the app replies in the thread
    return stored
