"""The emulated world: one workspace with its users, channels, messages, apps, tokens and OAuth codes."""

from __future__ import annotations

import copy
import functools
import threading
import time
from typing import Any

from slackctl.emulator import ids

TEAM_ID = "T0EMU0001"
TEAM_NUM = "1000000000001"
TEAM_NAME = "Emulated Workspace"
TEAM_DOMAIN = "emulated"

DEFAULT_APP_ID = "A0EMU00001"
DEFAULT_CLIENT_ID = "1000000000001.1000000000001"
DEFAULT_CLIENT_SECRET = "5ec7e75ec7e75ec7e75ec7e75ec7e700"
DEFAULT_SIGNING_SECRET = "5167e55167e55167e55167e55167e500"
DEFAULT_VERIFICATION_TOKEN = "EmuVerificationToken0001"
DEFAULT_REDIRECT_URLS = [
    "http://localhost:8765/callback",
    "https://localhost:8766/callback",
    "http://localhost:3000/callback",
    "https://localhost:3000/callback",
]
ADMIN_ID = "U0EMU00001"
GENERAL_ID = "C0EMU00001"
RANDOM_ID = "C0EMU00002"

BOT_SCOPES = [
    "app_mentions:read",
    "channels:history",
    "channels:join",
    "channels:manage",
    "channels:read",
    "chat:write",
    "commands",
    "files:read",
    "files:write",
    "groups:history",
    "groups:read",
    "groups:write",
    "im:history",
    "im:read",
    "im:write",
    "mpim:history",
    "mpim:read",
    "mpim:write",
    "pins:read",
    "pins:write",
    "reactions:read",
    "reactions:write",
    "team:read",
    "users.profile:read",
    "users:read",
    "users:read.email",
    "assistant:write",
    "bookmarks:read",
    "bookmarks:write",
    "usergroups:read",
    "usergroups:write",
    "users:write",
    "dnd:read",
    "emoji:read",
    "team.billing:read",
    "team.preferences:read",
    "links:write",
    "calls:read",
    "calls:write",
    "canvases:read",
    "canvases:write",
    "remote_files:read",
    "remote_files:write",
    "remote_files:share",
]
USER_SCOPES = sorted(
    {
        *BOT_SCOPES,
        "channels:write",
        "email",
        "openid",
        "profile",
        "search:read",
        "users.profile:read",
        "reminders:read",
        "reminders:write",
        "dnd:write",
        "users.profile:write",
        "stars:read",
        "stars:write",
    }
    - {"app_mentions:read", "commands", "channels:join", "channels:manage"}
)
APP_SCOPES = ["authorizations:read", "connections:write"]
CONFIG_SCOPES = ["app_configurations:read", "app_configurations:write"]
# Granted by default only under Grid: Slack Connect to bots and users, the admin.* families to users.
CONNECT_SCOPES = ["conversations.connect:read", "conversations.connect:write", "conversations.connect:manage"]
DEFAULT_SCOPES = {"bot": BOT_SCOPES, "user": USER_SCOPES, "app": APP_SCOPES, "config": CONFIG_SCOPES}
ROTATING_LIFETIME = 43200
CODE_LIFETIME = 600
GENERATED_USER_PREFIX = "UG"
GENERATED_ID_DIGITS = 8  # UG00000001: the number zero-padded to this width

_DEFAULT_MEMBERS = [
    (ADMIN_ID, "ada", "Ada Lovelace", True),
    ("U0EMU00002", "grace", "Grace Hopper", False),
    ("U0EMU00003", "linus", "Linus Torvalds", False),
    ("U0EMU00004", "margaret", "Margaret Hamilton", False),
]


USER_COLOR = "9f69e7"  # Slack picks each user's colour from a palette; one colour is enough offline
_AVATAR_SIZES = (24, 32, 48, 72, 192, 512)


def make_user(
    uid: str,
    name: str,
    real_name: str,
    *,
    team_id: str = TEAM_ID,
    is_admin: bool = False,
    is_bot: bool = False,
    email: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    first, _, last = real_name.partition(" ")
    # The fields of Slack's documented user example (tests/data/slack-object-examples/), with neutral values.
    profile = {
        "title": "",
        "phone": "",
        "skype": "",
        "real_name": real_name,
        "real_name_normalized": real_name,
        "display_name": name,
        "display_name_normalized": name,
        "fields": {},
        "status_text": "",
        "status_emoji": "",
        "status_emoji_display_info": [],
        "status_expiration": 0,
        "avatar_hash": "g0emulator00",
        "start_date": "",
        "pronouns": "",
        "huddle_state": "default_unset",
        "huddle_state_expiration_ts": 0,
        "first_name": first,
        "last_name": last,
        "team": team_id,
        **{f"image_{size}": f"https://a.slack-edge.com/emulator_{size}.png" for size in _AVATAR_SIZES},
    }
    if not is_bot:
        profile["email"] = email or f"{name}@example.com"
    user = {
        "id": uid,
        "team_id": team_id,
        "name": name,
        "deleted": False,
        "color": USER_COLOR,
        "real_name": real_name,
        "tz": "Europe/London",
        "tz_label": "Greenwich Mean Time",
        "tz_offset": 0,
        "profile": profile,
        "is_admin": is_admin,
        "is_owner": is_admin,
        "is_primary_owner": is_admin,
        "is_restricted": False,
        "is_ultra_restricted": False,
        "is_bot": is_bot,
        "is_app_user": False,
        "updated": 1700000000,
        "is_email_confirmed": not is_bot,
        "who_can_share_contact_card": "EVERYONE",
    }
    user.update(extra)
    return user


def make_channel(
    cid: str,
    name: str,
    *,
    creator: str = ADMIN_ID,
    is_private: bool = False,
    members: list[str] | None = None,
    created: int = 1700000000,
    topic: str = "",
    purpose: str = "",
    is_general: bool = False,
) -> dict[str, Any]:
    return {
        "id": cid,
        "name": name,
        "is_channel": not is_private,
        "is_group": is_private,
        "is_im": False,
        "is_mpim": False,
        "is_private": is_private,
        "created": created,
        "is_archived": False,
        "is_general": is_general,
        "unlinked": 0,
        "name_normalized": name,
        "is_shared": False,
        "is_frozen": False,
        "is_org_shared": False,
        "is_pending_ext_shared": False,
        "pending_shared": [],
        "context_team_id": TEAM_ID,
        "updated": created * 1000,
        "parent_conversation": None,
        "creator": creator,
        "is_ext_shared": False,
        "shared_team_ids": [TEAM_ID],
        "pending_connected_team_ids": [],
        "previous_names": [],
        "topic": {"value": topic, "creator": creator if topic else "", "last_set": created if topic else 0},
        "purpose": {"value": purpose, "creator": creator if purpose else "", "last_set": created if purpose else 0},
        "members": list(members or []),
    }


def make_im(cid: str, members: list[str], created: int) -> dict[str, Any]:
    """An im: Slack's DM object has no name; `user` (the other party) is filled in per viewer."""
    return {
        "id": cid,
        "name": "",
        "created": created,
        "is_im": True,
        "is_channel": False,
        "is_group": False,
        "is_mpim": False,
        "is_private": True,
        "is_archived": False,
        "is_general": False,
        "is_org_shared": False,
        "is_shared": False,
        "is_ext_shared": False,
        "is_user_deleted": False,
        "priority": 0,
        "context_team_id": TEAM_ID,
        "members": list(members),
    }


class World:
    """Everything the emulator knows. All mutation happens under `lock` (handlers run holding it)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.clock_offset = 0.0
        self.reset()

    def now(self) -> float:
        return time.time() + self.clock_offset

    # ---- construction -------------------------------------------------------------------------------------
    def reset(self) -> None:
        with self.lock:
            self.team = {"id": TEAM_ID, "name": TEAM_NAME, "domain": TEAM_DOMAIN}
            self.users: dict[str, dict[str, Any]] = {}
            self.user_order: list[str] = []
            self.generated_users = 0
            self.channels: dict[str, dict[str, Any]] = {}
            self.channel_order: list[str] = []
            self.messages: dict[str, list[dict[str, Any]]] = {}
            self.apps: dict[str, dict[str, Any]] = {}
            self.tokens: dict[str, dict[str, Any]] = {}
            self.refresh_tokens: dict[str, dict[str, Any]] = {}
            self.codes: dict[str, dict[str, Any]] = {}
            self.pending_consents: dict[str, dict[str, Any]] = {}
            self.uploads: dict[str, dict[str, Any]] = {}
            self.external: dict[str, dict[str, Any]] = {}
            self.external_states: dict[str, dict[str, Any]] = {}
            # Workspace features apps manage (webapi/bookmarks.py, reminders.py, usergroups.py, dnd.py, users.py).
            self.bookmarks: dict[str, list[dict[str, Any]]] = {}  # channel id -> its bookmarks, in order
            self.reminders: dict[str, dict[str, Any]] = {}  # reminder id -> reminder
            self.usergroups: dict[str, dict[str, Any]] = {}  # usergroup id -> usergroup
            self.presence: dict[str, str] = {}  # user id -> "auto" or "away" (set by users.setPresence)
            self.dnd: dict[str, dict[str, Any]] = {}  # user id -> snooze state
            self.calls: dict[str, dict[str, Any]] = {}  # call id -> call (webapi/calls.py)
            self.canvases: dict[str, dict[str, Any]] = {}  # canvas id -> canvas with its sections (webapi/canvases.py)
            self.stars: dict[str, list[dict[str, Any]]] = {}  # user id -> starred items, newest first
            self.remote_files: dict[str, dict[str, Any]] = {}  # file id -> an app's remote file (files/remote.py)
            self.webhooks: dict[str, dict[str, Any]] = {}  # /services/T/B/SECRET -> channel, app (delivery/webhooks.py)
            self.provider: dict[str, dict[str, Any]] = {"clients": {}, "codes": {}, "tokens": {}, "refresh": {}}
            self.last_ts = 0.0
            # What apps see of the workspace beyond channels (E2): ephemeral messages per "CHANNEL|USER",
            # views by id, each user's modal stack (view ids, top last), App Home per "APP|USER", trigger ids,
            # pins per channel, scheduled messages, assistant thread state, message streams.
            self.ephemeral: dict[str, list[dict[str, Any]]] = {}
            self.views: dict[str, dict[str, Any]] = {}
            self.view_stacks: dict[str, list[str]] = {}
            self.homes: dict[str, str] = {}
            self.triggers: dict[str, dict[str, Any]] = {}
            self.pins: dict[str, list[dict[str, Any]]] = {}
            self.scheduled: dict[str, dict[str, Any]] = {}
            self.assistant_threads: dict[str, dict[str, Any]] = {}
            # The automation platform (emulator/automation/): function and workflow executions by id (Fx…, Wx…),
            # workflow triggers by id (Ft…; not the interaction trigger_ids above), which function execution
            # posted a message ("CHANNEL|TS" -> Fx…, so its buttons carry function_data), and the activity log.
            self.function_executions: dict[str, dict[str, Any]] = {}
            self.workflow_executions: dict[str, dict[str, Any]] = {}
            self.workflow_triggers: dict[str, dict[str, Any]] = {}
            self.function_messages: dict[str, str] = {}
            self.workflow_buttons: dict[str, dict[str, Any]] = {}  # "CHANNEL|TS" of a step's interactive_blocks
            self.activities: list[dict[str, Any]] = []
            self.streams: dict[str, str] = {}  # "CHANNEL|TS" of a message still streaming -> its bot_id
            # response_url records by "ID/SECRET" (delivery/responseurl.py) and the user token the driver acts
            # with, per user (driver/user.py): state like any other, so reset and save/restore cover them.
            self.response_urls: dict[str, dict[str, Any]] = {}
            self.driver_tokens: dict[str, str] = {}
            # App datastores (world/datastores.py): "APP_ID" -> datastore name -> primary key -> item.
            self.datastores: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
            # Enterprise Grid (world/grid.py, opt-in): the org (None outside Grid), its workspaces by id, Slack
            # Connect invites by id, and the org admin's app decisions and requests (webapi/admin/apps.py).
            self.enterprise: dict[str, Any] | None = None
            self.teams: dict[str, dict[str, Any]] = {}
            self.connect_invites: dict[str, dict[str, Any]] = {}
            self.admin_apps: dict[str, dict[str, Any]] = {"approved": {}, "restricted": {}, "requests": {}}
            for uid, name, real, admin in _DEFAULT_MEMBERS:
                self.add_user(make_user(uid, name, real, is_admin=admin))
            self.add_channel(
                make_channel(
                    GENERAL_ID,
                    "general",
                    is_general=True,
                    purpose="Company-wide",
                    members=[u[0] for u in _DEFAULT_MEMBERS],
                )
            )
            self.add_channel(
                make_channel(RANDOM_ID, "random", purpose="Anything goes", members=[u[0] for u in _DEFAULT_MEMBERS])
            )
            default = self.create_app(
                app_id=DEFAULT_APP_ID,
                client_id=DEFAULT_CLIENT_ID,
                client_secret=DEFAULT_CLIENT_SECRET,
                signing_secret=DEFAULT_SIGNING_SECRET,
                verification_token=DEFAULT_VERIFICATION_TOKEN,
                name="Emulator Default App",
                redirect_urls=DEFAULT_REDIRECT_URLS,
                pkce_enabled=True,
                token_rotation=False,
                bot_scopes=BOT_SCOPES,
                user_scopes=USER_SCOPES,
                bot_user_id="U0EMUBOT01",
                bot_id="B0EMU00001",
            )
            for cid in (GENERAL_ID, RANDOM_ID):
                self.channels[cid]["members"].append(default["bot_user_id"])

    def add_user(self, user: dict[str, Any]) -> None:
        if user["id"] not in self.users:
            self.user_order.append(user["id"])
        self.users[user["id"]] = user

    def add_channel(self, channel: dict[str, Any]) -> None:
        if channel["id"] not in self.channels:
            self.channel_order.append(channel["id"])
            self.messages.setdefault(channel["id"], [])
        self.channels[channel["id"]] = channel

    # ---- users --------------------------------------------------------------------------------------------
    def user_count(self) -> int:
        return len(self.user_order) + self.generated_users

    def get_user(self, uid: str) -> dict[str, Any] | None:
        user = self.users.get(uid)
        if user is not None:
            return user
        if uid.startswith(GENERATED_USER_PREFIX) and uid[2:].isdigit():
            n = int(uid[2:])
            if 1 <= n <= self.generated_users:
                return generated_user(n, self.team["id"])
        return None

    # ---- channels & messages ------------------------------------------------------------------------------
    def find_channel(self, ref: str) -> dict[str, Any] | None:
        if ref in self.channels:
            return self.channels[ref]
        name = ref.lstrip("#")
        if not name:
            return None
        for ch in self.channels.values():
            if ch["name"] == name:
                return ch
        return None

    # ---- direct messages (E2) -------------------------------------------------------------------------------
    def find_dm(self, user_a: str, user_b: str) -> dict[str, Any] | None:
        members = sorted({user_a, user_b})
        for ch in self.channels.values():
            if ch.get("is_im") and sorted(ch["members"]) == members:
                return ch
        return None

    def open_dm(self, user_a: str, user_b: str) -> dict[str, Any]:
        """The im between two users (a user and itself is allowed, as on Slack); created on first use."""
        channel = self.find_dm(user_a, user_b)
        if channel is None:
            channel = make_im(ids.slack_id("D"), sorted({user_a, user_b}), int(self.now()))
            self.add_channel(channel)
        return channel

    def find_mpim(self, creator: str, users: list[str]) -> dict[str, Any] | None:
        members = sorted({creator, *users})
        for ch in self.channels.values():
            if ch.get("is_mpim") and sorted(ch["members"]) == members:
                return ch
        return None

    def open_mpim(self, creator: str, users: list[str]) -> dict[str, Any]:
        """The multi-person DM of exactly these users (the creator included); new ones get C ids, as Slack's do."""
        channel = self.find_mpim(creator, users)
        if channel is not None:
            return channel
        members = sorted({creator, *users})
        names = [(self.get_user(uid) or {"name": uid})["name"] for uid in members]
        channel = make_channel(
            ids.slack_id("C"),
            "mpdm-" + "--".join(names) + "-1",
            creator=creator,
            is_private=True,
            members=members,
            created=int(self.now()),
        )
        channel.update(
            is_group=False,
            is_mpim=True,
            purpose={
                "value": "Group messaging with: " + " ".join(f"@{n}" for n in names),
                "creator": creator,
                "last_set": int(self.now()),
            },
        )
        self.add_channel(channel)
        return channel

    def next_ts(self) -> str:
        ts = max(round(self.now(), 6), round(self.last_ts + 0.000001, 6))
        self.last_ts = ts
        return f"{ts:.6f}"

    def post(self, channel_id: str, message: dict[str, Any]) -> dict[str, Any]:
        message = {"type": "message", **message}
        message.setdefault("ts", self.next_ts())
        message.setdefault("team", self.team["id"])
        msgs = self.messages.setdefault(channel_id, [])
        if msgs and float(msgs[-1]["ts"]) > float(message["ts"]):
            msgs.append(message)
            msgs.sort(key=lambda m: float(m["ts"]))
        else:
            msgs.append(message)
        return message

    def find_message(self, channel_id: str, ts: str) -> dict[str, Any] | None:
        for m in reversed(self.messages.get(channel_id, [])):
            if m["ts"] == ts:
                return m
        return None

    # ---- apps ---------------------------------------------------------------------------------------------
    def create_app(
        self,
        *,
        app_id: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        signing_secret: str | None = None,
        verification_token: str | None = None,
        name: str = "Emulated App",
        redirect_urls: list[str] | None = None,
        pkce_enabled: bool = False,
        token_rotation: bool = False,
        bot_scopes: list[str] | None = None,
        user_scopes: list[str] | None = None,
        manifest: dict[str, Any] | None = None,
        bot_user_id: str | None = None,
        bot_id: str | None = None,
    ) -> dict[str, Any]:
        app_id = app_id or ids.slack_id("A")
        app: dict[str, Any] = {
            "app_id": app_id,
            "name": name,
            "client_id": client_id or f"{TEAM_NUM}.{ids.digits(13)}",
            "client_secret": client_secret or ids.hex_secret(),
            "signing_secret": signing_secret or ids.hex_secret(),
            "verification_token": verification_token or ids.alnum(24),
            "redirect_urls": list(redirect_urls or []),
            "pkce_enabled": bool(pkce_enabled),
            "token_rotation": bool(token_rotation),
            "bot_scopes": list(BOT_SCOPES if bot_scopes is None else bot_scopes),
            "user_scopes": list(USER_SCOPES if user_scopes is None else user_scopes),
            "bot_user_id": bot_user_id or ids.slack_id("U"),
            "bot_id": bot_id or ids.slack_id("B"),
            "manifest": manifest,
        }
        self.apps[app_id] = app
        self.add_user(
            make_user(
                app["bot_user_id"],
                name.lower().replace(" ", "-")[:21],
                name,
                is_bot=True,
                bot_id=app["bot_id"],
                app_id=app_id,
            )
        )
        return app

    def app_by_client_id(self, client_id: str) -> dict[str, Any] | None:
        for app in self.apps.values():
            if app["client_id"] == client_id:
                return app
        return None

    # ---- tokens -------------------------------------------------------------------------------------------
    def mint_token(
        self,
        kind: str = "bot",
        scopes: list[str] | None = None,
        user: str | None = None,
        rotating: bool = False,
        expires_in: float | None = None,
        app_id: str | None = None,
        team: str | None = None,
        enterprise_install: bool = False,
    ) -> dict[str, Any]:
        """A token of `kind` for the app; `team` picks a workspace of a Grid org (default: the first) and
        `enterprise_install` makes it an org-wide install's token (Grid only)."""
        if kind not in DEFAULT_SCOPES:
            raise ValueError(f"unknown token kind {kind!r}: use bot, user, app or config")
        app = self.apps.get(app_id or DEFAULT_APP_ID)
        if app is None:
            raise ValueError(f"unknown app {app_id!r}")
        owner = self.users.get(user or "") if kind == "user" else None
        team_id = team or (owner or {}).get("team_id") or self.team["id"]
        if team_id != self.team["id"] and team_id not in self.teams:
            raise ValueError(f"unknown team {team_id!r}")
        if enterprise_install and self.enterprise is None:
            raise ValueError("an org-wide install needs an Enterprise Grid org (start the emulator with --grid)")
        if kind == "config":
            rotating = True
        if rotating and kind == "app":
            raise ValueError("app-level tokens do not rotate")
        if rotating and expires_in is None:
            expires_in = ROTATING_LIFETIME
        if kind == "bot":
            user_id = app["bot_user_id"]
            token = ids.rotating_token("bot") if rotating else ids.bot_token()
        else:
            user_id = user or (ADMIN_ID if team_id == self.team["id"] else self.teams[team_id]["admins"][0])
            if kind == "app":
                token = ids.app_token(app["app_id"])
            else:
                token = ids.rotating_token("user") if rotating else ids.user_token()
        default_scopes = list(DEFAULT_SCOPES[kind])
        if self.enterprise is not None and kind in ("bot", "user"):
            default_scopes += CONNECT_SCOPES + (admin_scopes() if kind == "user" else [])
        record = {
            "token": token,
            "kind": kind,
            "scopes": list(default_scopes if scopes is None else scopes),
            "user_id": user_id,
            "team_id": team_id,
            "app_id": app["app_id"],
            "enterprise_install": enterprise_install,
            "bot_id": app["bot_id"] if kind == "bot" else None,
            "rotating": rotating,
            "expires_at": None if expires_in is None else self.now() + expires_in,
            "revoked": False,
        }
        self.tokens[token] = record
        out = {
            "token": token,
            "user_id": user_id,
            "team_id": team_id,
            "app_id": app["app_id"],
            "scopes": list(record["scopes"]),
        }
        if kind == "bot":
            out["bot_id"] = app["bot_id"]
        if expires_in is not None:
            out["expires_in"] = int(expires_in)
        if rotating:
            refresh = ids.refresh_token()
            self.refresh_tokens[refresh] = {
                "kind": kind,
                "app_id": app["app_id"],
                "user_id": user if kind != "bot" else None,
                "scopes": list(record["scopes"]),
            }
            out["refresh_token"] = refresh
        return out

    def refresh(self, refresh_token: str, app_id: str | None = None) -> dict[str, Any] | None:
        """Use up a refresh token; a new access/refresh pair of the same kind, or None if it is unknown."""
        rec = self.refresh_tokens.get(refresh_token)
        if rec is None or (app_id is not None and rec["app_id"] != app_id):
            return None
        del self.refresh_tokens[refresh_token]
        return self.mint_token(
            rec["kind"], scopes=rec["scopes"], user=rec["user_id"], rotating=True, app_id=rec["app_id"]
        )

    # ---- persistence --------------------------------------------------------------------------------------
    _PERSISTED = (
        "team",
        "users",
        "user_order",
        "generated_users",
        "channels",
        "channel_order",
        "messages",
        "apps",
        "tokens",
        "refresh_tokens",
        "codes",
        "uploads",
        "external",
        "external_states",
        "provider",
        "last_ts",
        "clock_offset",
        "ephemeral",
        "views",
        "view_stacks",
        "homes",
        "pins",
        "scheduled",
        "assistant_threads",
        "function_executions",
        "workflow_executions",
        "workflow_triggers",
        "function_messages",
        "workflow_buttons",
        "activities",
        "streams",
        "webhooks",
        "response_urls",
        "driver_tokens",
        "bookmarks",
        "reminders",
        "usergroups",
        "presence",
        "dnd",
        "datastores",
        "calls",
        "canvases",
        "stars",
        "remote_files",
        "enterprise",
        "teams",
        "connect_invites",
        "admin_apps",
    )

    def to_dict(self) -> dict[str, Any]:
        with self.lock:
            return copy.deepcopy({k: getattr(self, k) for k in self._PERSISTED})

    def load_dict(self, data: dict[str, Any]) -> None:
        with self.lock:
            for key in self._PERSISTED:
                if key in data:
                    setattr(self, key, data[key])


@functools.cache
def admin_scopes() -> list[str]:
    """Every admin.* scope the catalog names: an org admin's user token holds them all under Grid."""
    from slackctl.slack import catalog

    return sorted(
        {
            s
            for name in catalog.names()
            if name.startswith("admin.")
            for scopes in catalog.get(name).scopes.values()  # type: ignore[union-attr]
            for s in scopes
        }
    )


def generated_user(n: int, team_id: str) -> dict[str, Any]:
    """Generated user number n (1-based), computed from n alone so a million of them cost no memory."""
    return generated_user_fields(f"{n:0{GENERATED_ID_DIGITS}d}", str(n), team_id)


def generated_user_fields(padded: str, number: str, team_id: str) -> dict[str, Any]:
    """A generated user from its zero-padded and plain number as text (userpages builds a JSON template with
    placeholders through this, so the template and generated_user() cannot drift apart)."""
    return make_user(
        f"{GENERATED_USER_PREFIX}{padded}",
        f"user{number}",
        f"User {number}",
        team_id=team_id,
        email=f"user{number}@example.com",
    )
