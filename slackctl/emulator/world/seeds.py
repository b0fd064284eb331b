"""Seed data (JSON or TOML, a file or a dict): team, users, channels, messages and a generator shorthand.

    {"team": {"name": "Acme", "domain": "acme"},
     "users": [{"name": "bob", "real_name": "Bob Smith", "email": "bob@acme.test", "is_admin": false}],
     "channels": [{"name": "eng", "is_private": false, "members": ["bob"], "topic": "…", "purpose": "…"}],
     "messages": {"eng": [{"user": "bob", "text": "hello"}]},
     "generate": {"users": 20000, "channels": 50, "messages_per_channel": 10},
     "grid": true}

`grid` makes the world an Enterprise Grid org with a second workspace (world/grid.py), before the rest applies.

Generated users are computed from their index on demand (a million cost no memory); generated channels
and messages are stored.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any

from slackctl.emulator import ids
from slackctl.emulator.world import grid
from slackctl.emulator.world.state import ADMIN_ID, World, make_channel, make_user


class SeedError(ValueError):
    pass


def load(seed: Any) -> dict[str, Any]:
    if isinstance(seed, dict):
        return seed
    path = Path(os.fspath(seed))
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SeedError(f"cannot read seed file {path}: {exc.strerror}") from None
    try:
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise SeedError(f"seed file {path} is not valid {path.suffix.lstrip('.') or 'JSON'}: {exc}") from None
    if not isinstance(data, dict):
        raise SeedError(f"seed file {path} must hold an object")
    return data


def _user_ref(world: World, ref: str) -> str:
    if world.get_user(ref) is not None:
        return ref
    for uid in world.user_order:
        if world.users[uid]["name"] == ref:
            return uid
    raise SeedError(f"seed refers to unknown user {ref!r}")


def apply(world: World, seed: dict[str, Any]) -> None:
    unknown = set(seed) - {"team", "users", "channels", "messages", "generate", "grid"}
    if unknown:
        raise SeedError(f"unknown seed keys: {', '.join(sorted(unknown))}")
    with world.lock:
        if seed.get("grid"):
            grid.enable(world)
        team = seed.get("team") or {}
        for key in ("name", "domain"):
            if key in team:
                world.team[key] = str(team[key])
        for u in seed.get("users") or []:
            if "name" not in u:
                raise SeedError("each seeded user needs a name")
            extra = {k: v for k, v in u.items() if k not in ("id", "name", "real_name", "email", "is_admin")}
            user = make_user(
                u.get("id") or ids.slack_id("U"),
                u["name"],
                u.get("real_name", u["name"]),
                team_id=world.team["id"],
                is_admin=bool(u.get("is_admin")),
                email=u.get("email"),
                **extra,
            )
            world.add_user(user)
            if world.enterprise is not None:
                grid.mark_enterprise_user(world, user)
        for c in seed.get("channels") or []:
            if "name" not in c:
                raise SeedError("each seeded channel needs a name")
            existing = world.find_channel(c["name"])
            members = [_user_ref(world, m) for m in c.get("members", [])]
            if existing is not None:
                existing["members"] = sorted(set(existing["members"]) | set(members))
                continue
            world.add_channel(
                make_channel(
                    c.get("id") or ids.slack_id("C"),
                    c["name"],
                    is_private=bool(c.get("is_private")),
                    members=members or [ADMIN_ID],
                    topic=c.get("topic", ""),
                    purpose=c.get("purpose", ""),
                )
            )
        for ref, msgs in (seed.get("messages") or {}).items():
            channel = world.find_channel(ref)
            if channel is None:
                raise SeedError(f"seed messages for unknown channel {ref!r}")
            for m in msgs:
                message = {"user": _user_ref(world, m.get("user", ADMIN_ID)), "text": m.get("text", "")}
                if m.get("ts"):
                    message["ts"] = str(m["ts"])
                if m.get("thread_ts"):
                    message["thread_ts"] = str(m["thread_ts"])
                world.post(channel["id"], message)
        gen = seed.get("generate") or {}
        if gen:
            _generate(world, gen)


def _generate(world: World, gen: dict[str, Any]) -> None:
    world.generated_users = int(gen.get("users", 0))
    per_channel = int(gen.get("messages_per_channel", 0))
    count = int(gen.get("channels", 0))
    base = 1600000000.0
    for i in range(1, count + 1):
        cid = f"CG{i:08d}"
        if cid not in world.channels:
            world.add_channel(make_channel(cid, f"generated-{i}", members=[ADMIN_ID], purpose="generated"))
    targets = [cid for cid in world.channel_order] if per_channel else []
    for cid in targets:
        msgs = world.messages.setdefault(cid, [])
        for j in range(per_channel):
            msgs.append(
                {
                    "type": "message",
                    "user": ADMIN_ID,
                    "text": f"message {j + 1}",
                    "ts": f"{base + j:.6f}",
                    "team": world.team["id"],
                }
            )
        msgs.sort(key=lambda m: float(m["ts"]))
