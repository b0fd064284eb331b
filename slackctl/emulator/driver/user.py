"""The user you can drive: post, run a slash command, use a shortcut, click, submit a modal, open App Home, react,
and see what that user sees. One code path for the CLI verbs, the control surface (POST /_emulator/drive/VERB) and
Python (`emu.user("ada").post("#general", "hi")`).

Every action goes through the same Web API handlers a client would use (as the user, with a user token), so the
events it causes are the ones real use causes. A message, reaction, App Home visit or assistant thread happens
whether or not an app acknowledges the events it causes (Slack retries them): those verbs return the deliveries
with their outcome, and raise DriveError("not_acknowledged") only when asked to expect acks. A slash command,
shortcut, click or submission fails without an ack, as the user sees an error on Slack too.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from slackctl.emulator.delivery import deliverer as deliv
from slackctl.emulator.delivery import events, subscriptions
from slackctl.emulator.driver import addressing, clicks, viewstate
from slackctl.emulator.driver.waiting import wait_for
from slackctl.emulator.driver.workflows import WorkflowActions
from slackctl.emulator.webapi.inproc import DriveError, api
from slackctl.emulator.webapi.registry import ApiError
from slackctl.emulator.world import appinstall

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator

__all__ = ["DriveError", "User", "wait_for"]

DEFAULT_USER = "ada"


class User(WorkflowActions):
    """One workspace member acting in the emulator (running triggers and functions: driver/workflows.py)."""

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
                other = addressing.member(world, name)
                if other is None:
                    raise DriveError(f"no user or app named {name!r} for a DM")
                return dict(world.open_dm(self.id, other["id"]))
            channel = world.find_channel(ref)
            if channel is None:
                raise DriveError(f"no channel {ref!r}: use a name like #general, an id, or @NAME for a DM")
            return dict(channel)

    def _deliveries(self, pendings: list[deliv.Pending], expect_ack: bool = False) -> list[dict[str, Any]]:
        """What became of the event deliveries the user's action caused (the action has happened either way;
        Slack retries an event the app did not acknowledge). With EXPECT_ACK, a missing ack raises
        DriveError("not_acknowledged") saying what happened."""
        out = deliv.outcomes(self.emu, pendings)
        missing = [d for d in out if d["status"] != "acked"]
        if expect_ack and missing:
            raise DriveError(
                "; ".join(f"{d['app']} did not acknowledge the {d['type']} event: {d['error']}" for d in missing)
                + ". Is the app running and connected? "
                "See GET /_emulator/deliveries",
                "not_acknowledged",
            )
        return out

    def _deliver(self, app: dict[str, Any], kind: str, payload: dict[str, Any], what: str) -> deliv.Ack:
        ack = deliv.deliver(self.emu, app["app_id"], kind, payload)
        if not ack.ok:
            # A user sees an error here on Slack too ("... didn't respond"): the driver fails.
            raise DriveError(
                f"the app {app['name']} did not acknowledge {what}: {ack.detail or ack.error}. Is it "
                "running and connected? See GET /_emulator/deliveries",
                "not_acknowledged",
            )
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
    def post(self, channel: str, text: str, thread: str | None = None, expect_ack: bool = False) -> dict[str, Any]:
        """Post TEXT as typed in Slack's composer: @name becomes a mention of that user or app, @here/@channel/
        @everyone a broadcast."""
        ch = self.channel(channel)
        params: dict[str, Any] = {"channel": ch["id"], "text": addressing.linked(self.emu.world, text)}
        if thread:
            params["thread_ts"] = thread
        with events.capture() as pendings:
            result = api(self.emu, self._token(), "chat.postMessage", **params)
        deliveries = self._deliveries(pendings, expect_ack)
        return {**result["message"], "channel": ch["id"], "deliveries": deliveries}

    def _resolve(self, what: str, text: str) -> str:
        return addressing.resolve(self.emu.world, self.id, what, text)

    def react(self, channel: str, ts: str, name: str, expect_ack: bool = False) -> dict[str, Any]:
        ch = self.channel(channel)
        with events.capture() as pendings:
            api(self.emu, self._token(), "reactions.add", channel=ch["id"], timestamp=ts, name=name.strip(":"))
        deliveries = self._deliveries(pendings, expect_ack)
        return {"ok": True, "channel": ch["id"], "ts": ts, "reaction": name.strip(":"), "deliveries": deliveries}

    def command(self, name: str, text: str = "", channel: str = "#general") -> dict[str, Any]:
        from slackctl.emulator.delivery import responseurl
        from slackctl.emulator.world import triggers

        name = name if name.startswith("/") else f"/{name}"
        app = self._app_for(None, lambda a: subscriptions.slash_command(a, name), f"the slash command {name}")
        ch = self.channel(channel)
        trigger_id = triggers.mint(self.emu, self.id, app["app_id"], channel_id=ch["id"])
        response_url = responseurl.mint(
            self.emu, kind="commands", app_id=app["app_id"], channel_id=ch["id"], user_id=self.id
        )
        team = self.emu.world.team
        payload = {
            "token": app["verification_token"],
            "team_id": team["id"],
            "team_domain": team["domain"],
            "channel_id": ch["id"],
            "channel_name": ch.get("name") or "directmessage",
            "user_id": self.id,
            "user_name": self.name,
            "command": name,
            "text": text,
            "api_app_id": app["app_id"],
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
        ack = self._deliver(app, "slash_commands", payload, f"{name}")
        response = ack.payload
        if isinstance(response, str):
            response = {"text": response}
        if isinstance(response, dict) and (response.get("text") or response.get("blocks")):
            rec = {
                "app_id": app["app_id"],
                "channel_id": ch["id"],
                "user_id": self.id,
                "message_ts": None,
                "is_ephemeral": False,
            }
            responseurl.answer(self.emu, rec, response)
        return {
            "ok": True,
            "command": name,
            "channel": ch["id"],
            "trigger_id": trigger_id,
            "response": response,
            "ack": ack.to_dict(),
        }

    def shortcut(self, callback_id: str, message: str | None = None) -> dict[str, Any]:
        from slackctl.emulator.delivery import responseurl
        from slackctl.emulator.world import triggers

        app = self._app_for(None, lambda a: subscriptions.shortcut(a, callback_id), f"the shortcut {callback_id}")
        trigger_id = triggers.mint(self.emu, self.id, app["app_id"])
        payload: dict[str, Any] = {
            "type": "shortcut",
            "token": app["verification_token"],
            "action_ts": f"{time.time():.6f}",
            "team": self._team(),
            "user": self._ident(),
            "is_enterprise_install": False,
            "enterprise": None,
            "callback_id": callback_id,
            "trigger_id": trigger_id,
        }
        if message:
            ch, msg = self._message(message)
            payload.update(
                type="message_action",
                channel={"id": ch["id"], "name": ch.get("name", "")},
                message=msg,
                message_ts=msg["ts"],
                response_url=responseurl.mint(
                    self.emu, kind="actions", app_id=app["app_id"], channel_id=ch["id"], user_id=self.id
                ),
            )
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

    def click(
        self, action_id: str, message: str | None = None, view: str | None = None, value: str | None = None
    ) -> dict[str, Any]:
        """Click (or pick in) the element ACTION_ID: in MESSAGE (CHANNEL:TS), in VIEW (an id, or "home" for the
        App Home), else wherever it is on the user's screen when that is one place."""
        from slackctl.emulator.delivery import responseurl
        from slackctl.emulator.world import triggers, views

        if message and view:
            raise DriveError("click takes --message CHANNEL:TS or --view VIEW_ID, not both")
        world = self.emu.world
        if message:
            ch, msg = self._message(message)
            target = clicks.Target("message", msg.get("blocks") or [], msg.get("app_id"), msg, ch)
        elif view:
            target = clicks.view_target(self.emu, self.id, self.name, view, action_id)
        else:
            target = clicks.locate(self.emu, self.id, action_id, addressing.visible(world, self.id))
        found = clicks.find_element(target.blocks, action_id)
        if found is None:
            raise DriveError(f"no element with action_id {action_id!r} in {target.describe()}")
        block, element = found
        with world.lock:
            app = world.apps.get(target.app_id or "")
        if app is None:
            raise DriveError(f"{action_id} is not in a message or view of an app")
        action = clicks.action(element, block, value, self._resolve, f"{time.time():.6f}")
        trigger_id = triggers.mint(self.emu, self.id, app["app_id"])
        source, ch = target.source, target.channel
        if target.kind == "message":  # a button of a workflow step's own message (interactive_blocks)
            stepped = self._workflow_button(ch["id"], source["ts"], action, trigger_id)
            if stepped is not None:
                return stepped
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": self._ident(),
            "api_app_id": app["app_id"],
            "token": app["verification_token"],
            "trigger_id": trigger_id,
            "team": self._team(),
            "enterprise": None,
            "is_enterprise_install": False,
            "actions": [action],
        }
        if target.kind == "message":
            payload.update(
                container={
                    "type": "message",
                    "message_ts": source["ts"],
                    "channel_id": ch["id"],
                    "is_ephemeral": False,
                },
                channel={"id": ch["id"], "name": ch.get("name", "")},
                message=source,
                state=viewstate.build(target.blocks),
                response_url=responseurl.mint(
                    self.emu,
                    kind="actions",
                    app_id=app["app_id"],
                    channel_id=ch["id"],
                    user_id=self.id,
                    message_ts=source["ts"],
                ),
            )
            self._function_context(payload, message=(ch["id"], source["ts"]))
        else:
            state = viewstate.build(target.blocks, {}, (source.get("state") or {}).get("values"))
            views.set_values(self.emu, source["id"], state["values"])
            payload.update(container={"type": "view", "view_id": source["id"]}, view={**source, "state": state})
            self._function_context(payload, view_id=source["id"])
        ack = self._deliver(app, "interactive", payload, f"the click on {action_id}")
        where = f"{ch['id']}:{source['ts']}" if target.kind == "message" else source["id"]
        return {
            "ok": True,
            "action_id": action_id,
            "where": where,
            "trigger_id": trigger_id,
            "action": action,
            "ack": ack.to_dict(),
        }

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
        values = clicks.resolve_values(found["blocks"], values, self._resolve)
        state = viewstate.build(found["blocks"], values, (found.get("state") or {}).get("values"))
        views.set_values(self.emu, view_id, state["values"])
        form = self._submit_form(view_id, state["values"])
        if form is not None:
            return form
        with self.emu.world.lock:
            app = self.emu.world.apps[found["app_id"]]
        payload = {
            "type": "view_submission",
            "team": self._team(),
            "user": self._ident(),
            "api_app_id": app["app_id"],
            "token": app["verification_token"],
            "trigger_id": triggers.mint(self.emu, self.id, app["app_id"]),
            "view": {**found, "state": state},
            "response_urls": clicks.response_urls(self.emu, found, state, app["app_id"], self.id),
            "is_enterprise_install": False,
            "enterprise": None,
        }
        self._function_context(payload, view_id=view_id)
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
            raise DriveError(
                f"the app answered response_action {action!r} with a view Slack refuses: "
                f"{err.error} {err.extra.get('response_metadata', '')}".strip()
            ) from None
        return {
            "ok": True,
            "view_id": view_id,
            "response_action": action,
            "errors": answer.get("errors"),
            "ack": ack.to_dict(),
            "views": self.views(app["app_id"]),
        }

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
            payload = {
                "type": "view_closed",
                "team": self._team(),
                "user": self._ident(),
                "api_app_id": app["app_id"],
                "token": app["verification_token"],
                "view": found,
                "is_cleared": len(closed) > 1,
                "is_enterprise_install": False,
                "enterprise": None,
            }
            acks.append(self._deliver(app, "interactive", payload, f"view_closed of {view_id}").to_dict())
        return {"ok": True, "closed": [v["id"] for v in closed], "acks": acks}

    def open_home(self, app: str | None = None, expect_ack: bool = False) -> dict[str, Any]:
        from slackctl.emulator.world import views

        target = self._app_for(
            app,
            lambda a: "app_home_opened" in subscriptions.bot_events(a) or subscriptions.home_tab_enabled(a),
            "an App Home (app_home_opened)",
        )
        home = views.home(self.emu, target["app_id"], self.id)
        with events.capture() as pendings:
            self.emu.bus.publish("app_home_opened", user=self.id, app_id=target["app_id"], tab="home", view=home)
        deliveries = self._deliveries(pendings, expect_ack)
        return {"ok": True, "app_id": target["app_id"], "deliveries": deliveries}

    def start_assistant_thread(
        self, app: str | None = None, context_channel: str | None = None, expect_ack: bool = False
    ) -> dict[str, Any]:
        """The user opens a new thread in the app's assistant container: assistant_thread_started, in the DM."""
        from slackctl.emulator.driver import assistant

        target = self._app_for(
            app,
            lambda a: "assistant_thread_started" in subscriptions.bot_events(a),
            "assistant_thread_started in its bot events",
        )
        record, pendings = assistant.start(self.emu, self.id, target, context_channel)
        return {
            "ok": True,
            "app_id": target["app_id"],
            "channel": record["channel_id"],
            "thread_ts": record["thread_ts"],
            "context": record["context"],
            "deliveries": self._deliveries(pendings, expect_ack),
        }

    def change_assistant_context(
        self, context_channel: str, thread: str | None = None, expect_ack: bool = False
    ) -> dict[str, Any]:
        """The user moves to CONTEXT_CHANNEL with an assistant THREAD (CHANNEL:TS, default their latest) open:
        assistant_thread_context_changed."""
        from slackctl.emulator.driver import assistant

        record, pendings = assistant.change_context(self.emu, self.id, thread, context_channel)
        return {
            "ok": True,
            "app_id": record["app_id"],
            "channel": record["channel_id"],
            "thread_ts": record["thread_ts"],
            "context": record["context"],
            "deliveries": self._deliveries(pendings, expect_ack),
        }

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """What this user sees in CHANNEL, oldest first: messages and thread replies, and ephemeral messages shown
        to this user (marked "ephemeral": true)."""
        from slackctl.emulator.driver import assistant
        from slackctl.emulator.world import ephemeral

        ch = self.channel(channel)
        with self.emu.world.lock:
            if ch.get("is_private") and self.id not in ch.get("members", []):
                raise DriveError(f"{self.name} is not a member of {channel}")
            shown = [dict(m) for m in self.emu.world.messages.get(ch["id"], [])]
        shown += ephemeral.for_user(self.emu, ch["id"], self.id)
        return assistant.annotate(self.emu, ch["id"], sorted(shown, key=lambda m: float(m["ts"])))

    def views(self, app: str | None = None) -> dict[str, Any]:
        """The user's App Home, open modals (top last) and assistant threads (with status, title, prompts)."""
        from slackctl.emulator.driver import assistant
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
        return {
            "home": home,
            "modals": views.stack(self.emu, self.id),
            "assistant_threads": assistant.shown(self.emu, self.id),
        }
