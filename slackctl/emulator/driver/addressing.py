"""How a user names people and conversations when typing, as Slack's client turns them into ids: @name in a
message becomes a mention (<@U…>, <!here>), and a select picked as #random or @ada sends the id."""

from __future__ import annotations

import re
from typing import Any

from slackctl.emulator.webapi.inproc import DriveError
from slackctl.emulator.world import appinstall

# What Slack's composer turns into a mention: @name at the start of a word (not an e-mail address's @).
_TYPED_MENTION = re.compile(r"(?<![\w<@!|])@([A-Za-z0-9][\w.\-]*)")
BROADCASTS = ("here", "channel", "everyone")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def member(world: Any, name: str) -> dict[str, Any] | None:
    """A workspace member (a person, or an app's bot user) by id, name, display name or app name (My App is also
    my-app, as typed)."""
    wanted = name.lower()
    with world.lock:
        found = world.get_user(name)
        for user in () if found else world.users.values():
            profile = user.get("profile") or {}
            if wanted in (str(user.get("name", "")).lower(), str(profile.get("display_name", "")).lower()):
                found = user
                break
        if found is None:
            app = appinstall.find_app(world, name) or next(
                (a for a in world.apps.values() if _slug(a["name"]) == _slug(name)), None
            )
            found = world.users.get(app["bot_user_id"]) if app else None
        return dict(found) if found else None


def linked(world: Any, text: str) -> str:
    """TEXT as Slack stores what was typed: @ada -> <@U…>, @here -> <!here>; an unknown @name stays text."""

    def link(match: re.Match[str]) -> str:
        name, rest = match.group(1), ""
        while name and name[-1] in ".-":  # "@ada." ends a sentence
            name, rest = name[:-1], name[-1] + rest
        if name.lower() in BROADCASTS:
            return f"<!{name.lower()}>{rest}"
        found = member(world, name)
        return f"<@{found['id']}>{rest}" if found else match.group(0)

    return _TYPED_MENTION.sub(link, text)


def visible(world: Any, user_id: str) -> list[dict[str, Any]]:
    """The conversations USER can read: public channels, and those they are a member of."""
    with world.lock:
        return [
            dict(c)
            for c in world.channels.values()
            if user_id in c.get("members", []) or not (c.get("is_private") or c.get("is_im") or c.get("is_mpim"))
        ]


def resolve(world: Any, user_id: str, what: str, text: str) -> str:
    """A select's value as Slack sends it: #random or random -> C…, @ada or ada -> U… (ids pass through); WHAT is
    "user" or "conversation" (where @ada is the DM with ada)."""
    if what == "user":
        found = member(world, text.lstrip("@"))
        if found is None:
            raise DriveError(f"no user {text!r} to pick: use a name like ada or an id like U0EMU00001")
        return str(found["id"])
    with world.lock:
        if text.startswith("@"):
            other = member(world, text[1:])
            if other is None:
                raise DriveError(f"no user {text[1:]!r} for a DM to pick")
            return str(world.open_dm(user_id, other["id"])["id"])
        channel = world.find_channel(text)
    if channel is None:
        raise DriveError(f"no conversation {text!r} to pick: use a name like #random or an id")
    return str(channel["id"])
