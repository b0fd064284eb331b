"""The user you can drive: post, run a slash command, use a shortcut, click, submit a modal, open App Home, react,
and see what that user sees. One code path for the CLI verbs, the control surface (POST /_emulator/drive/VERB) and
Python (`emu.user("ada").post("#general", "hi")`).

Every action goes through the same Web API handlers a client would use (as the user, with a user token), so the
events it causes are the ones real use causes; each returns once the apps concerned acknowledged, or raises
DriveError("not_acknowledged") after the ack timeout (3 s).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from slackctl.emulator.delivery import deliverer as deliv
from slackctl.emulator.delivery import events, subscriptions
from slackctl.emulator.driver import viewstate
from slackctl.emulator.driver.waiting import wait_for
from slackctl.emulator.webapi.inproc import DriveError, api, app_api
from slackctl.emulator.webapi.registry import ApiError
from slackctl.emulator.world import appinstall

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator

__all__ = ["DriveError", "User", "control", "wait_for"]

DEFAULT_USER = "ada"


class User:
    """One workspace member acting in the emulator."""

    def __init__(self, emu: Emulator, ref: str | None = None) -> None:
        self.emu = emu
        world = emu.world
        ref = (ref or DEFAULT_USER).lstrip("@")
        with world.lock:
            user = world.get_user(ref) or next((u for u in world.users.values() if u["name"] == ref), None)
            if user is None or user.get("is_bot"):
                raise DriveError(f"no user {ref!r} in the workspace: use a name like ada or an id like U0EMU00001")
            self.id: str = user["id"]
            self.name: str = user["name"]

    # ---- helpers ------------------------------------------------------------------------------------------
    def _token(self) -> str:
        world = self.emu.world
        with world.lock:
            cache = world.driver_tokens
            token = cache.get(self.id)
            if token is None or token not in world.tokens:
                token = world.mint_token("user", user=self.id)["token"]
                cache[self.id] = token
            return token

    def _ident(self) -> dict[str, Any]:
        return {"id": self.id, "username": self.name, "name": self.name, "team_id": self.emu.world.team["id"]}

    def _team(self) -> dict[str, Any]:
        team = self.emu.world.team
        return {"id": team["id"], "domain": team["domain"]}

    def channel(self, ref: str) -> dict[str, Any]:
        """CHANNEL as a name (#general or general), an id, or @NAME for the DM between this user and NAME."""
        world = self.emu.world
        with world.lock:
            if ref.startswith("@"):
                name = ref[1:]
                other = world.get_user(name) or next((u for u in world.users.values() if u["name"] == name), None)
                if other is None:
                    app = appinstall.find_app(world, name)
                    other = world.users.get(app["bot_user_id"]) if app else None
                if other is None:
                    raise DriveError(f"no user or app named {name!r} for a DM")
                return dict(world.open_dm(self.id, other["id"]))
            channel = world.find_channel(ref)
            if channel is None:
                raise DriveError(f"no channel {ref!r}: use a name like #general, an id, or @NAME for a DM")
            return dict(channel)

    def _wait(self, pendings: list[deliv.Pending], what: str) -> list[dict[str, Any]]:
        timeout = self.emu.deliveries.ack_timeout
        deadline = time.monotonic() + timeout + 0.5
        acks = []
        for pending in pendings:
            ack = pending.wait(max(0.0, deadline - time.monotonic()))
            if ack is None or not ack.ok:
                reason = ack.error if ack else "no answer"
                raise DriveError(f"the app did not acknowledge {what} within {timeout:g} s ({reason}): is it "
                                 "running and connected? See GET /_emulator/deliveries", "not_acknowledged")
            acks.append(ack.to_dict())
        return acks

    def _deliver(self, app: dict[str, Any], kind: str, payload: dict[str, Any], what: str) -> deliv.Ack:
        ack = deliv.deliver(self.emu, app["app_id"], kind, payload)
        if not ack.ok:
            raise DriveError(f"the app {app['name']} did not acknowledge {what} within "
                             f"{self.emu.deliveries.ack_timeout:g} s ({ack.error}): is it running and connected? "
                             "See GET /_emulator/deliveries", "not_acknowledged")
        return ack

    def _app_for(self, app_ref: str | None, test: Any, what: str) -> dict[str, Any]:
        world = self.emu.world
        with world.lock:
            if app_ref:
                app = appinstall.find_app(world, app_ref)
                if app is None:
                    raise DriveError(f"no app {app_ref!r}")
                return app
            apps = [a for a in world.apps.values() if test(a)]
        if not apps:
            raise DriveError(f"no installed app has {what}: check the manifest")
        return apps[0]

    # ---- actions ------------------------------------------------------------------------------------------
    def post(self, channel: str, text: str, thread: str | None = None) -> dict[str, Any]:
        ch = self.channel(channel)
        params: dict[str, Any] = {"channel": ch["id"], "text": text}
        if thread:
            params["thread_ts"] = thread
        with events.capture() as pendings:
            result = api(self.emu, self._token(), "chat.postMessage", **params)
        self._wait(pendings, "the message event")
        return {**result["message"], "channel": ch["id"]}

    def react(self, channel: str, ts: str, name: str) -> dict[str, Any]:
        ch = self.channel(channel)
        with events.capture() as pendings:
            api(self.emu, self._token(), "reactions.add", channel=ch["id"], timestamp=ts, name=name.strip(":"))
        self._wait(pendings, "the reaction event")
        return {"ok": True, "channel": ch["id"], "ts": ts, "reaction": name.strip(":")}

    def command(self, name: str, text: str = "", channel: str = "#general") -> dict[str, Any]:
        from slackctl.emulator.delivery import responseurl
        from slackctl.emulator.world import triggers

        name = name if name.startswith("/") else f"/{name}"
        app = self._app_for(None, lambda a: subscriptions.slash_command(a, name), f"the slash command {name}")
        ch = self.channel(channel)
        trigger_id = triggers.mint(self.emu, self.id, app["app_id"], channel_id=ch["id"])
        response_url = responseurl.mint(self.emu, kind="commands", app_id=app["app_id"], channel_id=ch["id"],
                                        user_id=self.id)
        team = self.emu.world.team
        payload = {"token": app["verification_token"], "team_id": team["id"], "team_domain": team["domain"],
                   "channel_id": ch["id"], "channel_name": ch.get("name") or "directmessage", "user_id": self.id,
                   "user_name": self.name, "command": name, "text": text, "api_app_id": app["app_id"],
                   "is_enterprise_install": "false", "response_url": response_url, "trigger_id": trigger_id}
        ack = self._deliver(app, "slash_commands", payload, f"{name}")
        response = ack.payload
        if isinstance(response, str):
            response = {"text": response}
        if isinstance(response, dict) and (response.get("text") or response.get("blocks")):
            rec = {"app_id": app["app_id"], "channel_id": ch["id"], "user_id": self.id, "message_ts": None,
                   "is_ephemeral": False}
            responseurl.answer(self.emu, rec, response)
        return {"ok": True, "command": name, "channel": ch["id"], "trigger_id": trigger_id, "response": response,
                "ack": ack.to_dict()}

    def shortcut(self, callback_id: str, message: str | None = None) -> dict[str, Any]:
        from slackctl.emulator.delivery import responseurl
        from slackctl.emulator.world import triggers

        app = self._app_for(None, lambda a: subscriptions.shortcut(a, callback_id), f"the shortcut {callback_id}")
        trigger_id = triggers.mint(self.emu, self.id, app["app_id"])
        payload: dict[str, Any] = {
            "type": "shortcut", "token": app["verification_token"], "action_ts": f"{time.time():.6f}",
            "team": self._team(), "user": self._ident(), "is_enterprise_install": False, "enterprise": None,
            "callback_id": callback_id, "trigger_id": trigger_id}
        if message:
            ch, msg = self._message(message)
            payload.update(type="message_action", channel={"id": ch["id"], "name": ch.get("name", "")},
                           message=msg, message_ts=msg["ts"], response_url=responseurl.mint(
                               self.emu, kind="actions", app_id=app["app_id"], channel_id=ch["id"],
                               user_id=self.id))
        ack = self._deliver(app, "interactive", payload, f"the shortcut {callback_id}")
        return {"ok": True, "callback_id": callback_id, "trigger_id": trigger_id, "ack": ack.to_dict()}

    def _message(self, ref: str) -> tuple[dict[str, Any], dict[str, Any]]:
        channel, sep, ts = ref.rpartition(":")
        if not sep or not channel:
            raise DriveError(f"--message {ref!r} must be CHANNEL:TS, for example #general:1700000000.000100")
        ch = self.channel(channel)
        with self.emu.world.lock:
            msg = self.emu.world.find_message(ch["id"], ts)
            if msg is None:
                raise DriveError(f"no message {ts} in {channel}")
            return ch, dict(msg)

    def click(self, action_id: str, message: str | None = None, view: str | None = None,
              value: str | None = None) -> dict[str, Any]:
        from slackctl.emulator.delivery import responseurl
        from slackctl.emulator.world import triggers, views

        if bool(message) == bool(view):
            raise DriveError("click needs exactly one of --message CHANNEL:TS or --view VIEW_ID")
        world = self.emu.world
        if message:
            ch, msg = self._message(message)
            blocks, app_id = msg.get("blocks") or [], msg.get("app_id")
            source: dict[str, Any] = msg
        else:
            found = views.get(self.emu, view or "")
            if found is None:
                raise DriveError(f"no view {view}")
            blocks, app_id, source = found["blocks"], found["app_id"], found
        block, element = _find_element(blocks, action_id)
        with world.lock:
            app = world.apps.get(app_id or "")
        if app is None:
            raise DriveError(f"{action_id} is not in a message or view of an app")
        action = {"action_id": action_id, "block_id": block.get("block_id", ""), "type": element.get("type"),
                  "action_ts": f"{time.time():.6f}"}
        if element.get("type") in ("button", "overflow", None):
            action["value"] = value if value is not None else element.get("value", "")
            if element.get("text"):
                action["text"] = element["text"]
        else:
            action.update({k: v for k, v in viewstate.element_state(element, value).items() if k != "type"})
        trigger_id = triggers.mint(self.emu, self.id, app["app_id"])
        payload: dict[str, Any] = {
            "type": "block_actions", "user": self._ident(), "api_app_id": app["app_id"],
            "token": app["verification_token"], "trigger_id": trigger_id, "team": self._team(),
            "enterprise": None, "is_enterprise_install": False, "actions": [action]}
        if message:
            payload.update(container={"type": "message", "message_ts": source["ts"], "channel_id": ch["id"],
                                      "is_ephemeral": False},
                           channel={"id": ch["id"], "name": ch.get("name", "")}, message=source,
                           state=viewstate.build(blocks),
                           response_url=responseurl.mint(self.emu, kind="actions", app_id=app["app_id"],
                                                         channel_id=ch["id"], user_id=self.id,
                                                         message_ts=source["ts"]))
        else:
            state = viewstate.build(blocks, {}, (source.get("state") or {}).get("values"))
            views.set_values(self.emu, source["id"], state["values"])
            payload.update(container={"type": "view", "view_id": source["id"]},
                           view={**source, "state": state})
        ack = self._deliver(app, "interactive", payload, f"the click on {action_id}")
        return {"ok": True, "action_id": action_id, "trigger_id": trigger_id, "ack": ack.to_dict()}

    def submit(self, view_id: str, values: dict[str, str] | None = None) -> dict[str, Any]:
        from slackctl.emulator.world import triggers, views

        found = views.get(self.emu, view_id)
        if found is None or views.owner(self.emu, view_id) != self.id:
            raise DriveError(f"no open view {view_id} for {self.name}")
        values = dict(values or {})
        known = viewstate.known_keys(found["blocks"])
        for key in values:
            if key not in known and not any(k.endswith(f".{key}") for k in known):
                raise DriveError(f"the view has no input {key!r}: it has {', '.join(sorted(known)) or 'none'}")
        state = viewstate.build(found["blocks"], values, (found.get("state") or {}).get("values"))
        views.set_values(self.emu, view_id, state["values"])
        with self.emu.world.lock:
            app = self.emu.world.apps[found["app_id"]]
        payload = {"type": "view_submission", "team": self._team(), "user": self._ident(),
                   "api_app_id": app["app_id"], "token": app["verification_token"],
                   "trigger_id": triggers.mint(self.emu, self.id, app["app_id"]),
                   "view": {**found, "state": state}, "response_urls": [], "is_enterprise_install": False,
                   "enterprise": None}
        ack = self._deliver(app, "interactive", payload, f"the submission of {view_id}")
        answer = ack.payload if isinstance(ack.payload, dict) else {}
        action = answer.get("response_action")
        try:
            if action == "errors":
                pass  # the modal stays open, showing the errors
            elif action == "update":
                views.update(self.emu, app["app_id"], answer.get("view"), view_id=view_id)
            elif action == "push":
                views.push(self.emu, app["app_id"], self.id, answer.get("view"))
            elif action == "clear":
                views.close(self.emu, self.id, clear=True)
            else:
                views.close(self.emu, self.id, view_id)
        except ApiError as err:
            raise DriveError(f"the app answered response_action {action!r} with a view Slack refuses: "
                             f"{err.error} {err.extra.get('response_metadata', '')}".strip()) from None
        return {"ok": True, "view_id": view_id, "response_action": action, "errors": answer.get("errors"),
                "ack": ack.to_dict(), "views": self.views(app["app_id"])}

    def close_view(self, view_id: str) -> dict[str, Any]:
        """The user closes a modal (the X); apps with notify_on_close get view_closed."""
        from slackctl.emulator.world import views

        found = views.get(self.emu, view_id)
        if found is None or views.owner(self.emu, view_id) != self.id:
            raise DriveError(f"no open view {view_id} for {self.name}")
        closed = views.close(self.emu, self.id, view_id)
        acks = []
        if found.get("notify_on_close"):
            with self.emu.world.lock:
                app = self.emu.world.apps[found["app_id"]]
            payload = {"type": "view_closed", "team": self._team(), "user": self._ident(),
                       "api_app_id": app["app_id"], "token": app["verification_token"], "view": found,
                       "is_cleared": len(closed) > 1, "is_enterprise_install": False, "enterprise": None}
            acks.append(self._deliver(app, "interactive", payload, f"view_closed of {view_id}").to_dict())
        return {"ok": True, "closed": [v["id"] for v in closed], "acks": acks}

    def open_home(self, app: str | None = None) -> dict[str, Any]:
        from slackctl.emulator.world import views

        target = self._app_for(app, lambda a: "app_home_opened" in subscriptions.bot_events(a)
                               or subscriptions.home_tab_enabled(a), "an App Home (app_home_opened)")
        home = views.home(self.emu, target["app_id"], self.id)
        with events.capture() as pendings:
            self.emu.bus.publish("app_home_opened", user=self.id, app_id=target["app_id"], tab="home", view=home)
        acks = self._wait(pendings, "app_home_opened")
        return {"ok": True, "app_id": target["app_id"], "acks": acks}

    def start_assistant_thread(self, app: str | None = None, context_channel: str | None = None) -> dict[str, Any]:
        """The user opens a new thread in the app's assistant container: assistant_thread_started, in the DM."""
        target = self._app_for(app, lambda a: "assistant_thread_started" in subscriptions.bot_events(a),
                               "assistant_thread_started in its bot events")
        world = self.emu.world
        with world.lock:
            dm = world.open_dm(self.id, target["bot_user_id"])
        # The thread needs a root the app can reply under: a message of the app's, as Slack's container shows.
        description = ((subscriptions.manifest(target).get("features") or {}).get("assistant_view") or {}).get(
            "assistant_description") or "New assistant thread"
        context = self.channel(context_channel)["id"] if context_channel else None
        with events.capture() as pendings:
            thread_ts = app_api(self.emu, target, "chat.postMessage", channel=dm["id"], text=description)["ts"]
            self.emu.bus.publish("assistant_thread_started", channel_id=dm["id"], thread_ts=thread_ts, user=self.id,
                                 app_id=target["app_id"], context_channel_id=context)
        acks = self._wait(pendings, "assistant_thread_started")
        return {"ok": True, "app_id": target["app_id"], "channel": dm["id"], "thread_ts": thread_ts, "acks": acks}

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """What this user sees in CHANNEL, oldest first: messages and thread replies, and ephemeral messages shown
        to this user (marked "ephemeral": true)."""
        from slackctl.emulator.world import ephemeral

        ch = self.channel(channel)
        with self.emu.world.lock:
            if ch.get("is_private") and self.id not in ch.get("members", []):
                raise DriveError(f"{self.name} is not a member of {channel}")
            shown = [dict(m) for m in self.emu.world.messages.get(ch["id"], [])]
        shown += ephemeral.for_user(self.emu, ch["id"], self.id)
        return sorted(shown, key=lambda m: float(m["ts"]))

    def views(self, app: str | None = None) -> dict[str, Any]:
        from slackctl.emulator.world import views

        world = self.emu.world
        with world.lock:
            candidates = [appinstall.find_app(world, app)] if app else list(world.apps.values())
        home = None
        for candidate in candidates:
            if candidate is not None:
                home = views.home(self.emu, candidate["app_id"], self.id)
                if home is not None:
                    break
        return {"home": home, "modals": views.stack(self.emu, self.id)}


def _find_element(blocks: list[dict[str, Any]], action_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    for block in blocks or []:
        elements = list(block.get("elements") or []) if block.get("type") == "actions" else []
        for key in ("accessory", "element"):
            if isinstance(block.get(key), dict):
                elements.append(block[key])
        for element in elements:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return block, element
    raise DriveError(f"no element with action_id {action_id!r} there")


# ---- the control surface's POST /_emulator/drive/VERB ----------------------------------------------------------
VERBS = {
    "post": ("post", ("channel", "text", "thread")),
    "command": ("command", ("name", "text", "channel")),
    "shortcut": ("shortcut", ("callback_id", "message")),
    "click": ("click", ("action_id", "message", "view", "value")),
    "submit": ("submit", ("view_id", "values")),
    "close-view": ("close_view", ("view_id",)),
    "open-home": ("open_home", ("app",)),
    "assistant-thread": ("start_assistant_thread", ("app", "context_channel")),
    "react": ("react", ("channel", "ts", "name")),
    "messages": ("messages", ("channel",)),
    "views": ("views", ("app",)),
}


def control(emu: Emulator, verb: str, body: dict[str, Any]) -> dict[str, Any]:
    """Run VERB for body["user"] (default ada); {"ok": true, "result": ...} or {"ok": false, "error", "message"}."""
    if verb not in VERBS:
        return {"ok": False, "error": "bad_input",
                "message": f"no driver verb {verb!r}: use one of {', '.join(VERBS)}"}
    name, allowed = VERBS[verb]
    unknown = set(body) - set(allowed) - {"user"}
    if unknown:
        return {"ok": False, "error": "bad_input", "message": f"{verb} takes no {', '.join(sorted(unknown))}"}
    try:
        user = User(emu, body.get("user"))
        result = getattr(user, name)(**{k: v for k, v in body.items() if k != "user" and v is not None})
    except DriveError as exc:
        return {"ok": False, "error": exc.code, "message": str(exc)}
    except TypeError as exc:
        return {"ok": False, "error": "bad_input", "message": f"{verb}: {exc}"}
    return {"ok": True, "result": result}
