"""pytest plugin (entry point pytest11 "slackctl"): fixtures that run the Slack emulator for an app's tests.

    def test_hello(slack, slack_app):       # slack: a Slack for this test; slack_app: your app's credentials
        ...build your Bolt app against slack.api_url with slack_app["bot_token"]...
        slack.connect(bolt_app)              # Socket Mode, waits until connected (slack.serve(bolt_app): HTTP)
        slack.user("ada").post("#general", "hello")
        reply = slack.wait_for_message("#general", lambda m: m.get("bot_id"))

The manifest comes from the `slack_manifest` fixture (override it), else the `slackctl_manifest` ini option, else
manifest.json / manifest.yaml / manifest.yml in the rootdir. Nothing heavy is imported until a fixture is used.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from slackctl.settings import MANIFEST_FILES

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from slackctl.emulator import Emulator
    from slackctl.emulator.driver.user import User


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("slackctl_manifest", "the app manifest (JSON or YAML) the slack fixture installs", default="")


class Slack:
    """A running emulator with the driver and the waits a test needs."""

    def __init__(self, emu: Emulator) -> None:
        self.emu = emu
        self._handlers: list[Any] = []
        self._servers: list[Any] = []

    @property
    def url(self) -> str:
        return self.emu.url

    @property
    def api_url(self) -> str:
        """The Web API base URL (slack_sdk's base_url)."""
        return self.emu.url + "/api/"

    def apps(self) -> list[dict[str, Any]]:
        return self.emu.apps()

    def user(self, ref: str = "ada") -> User:
        return self.emu.user(ref)

    def messages(self, channel: str, as_user: str = "ada") -> list[dict[str, Any]]:
        return self.emu.user(as_user).messages(channel)

    def views(self, as_user: str = "ada") -> dict[str, Any]:
        return self.emu.user(as_user).views()

    def deliveries(self, app_id: str | None = None) -> list[dict[str, Any]]:
        return self.emu.deliveries_log(app_id)

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0, what: str = "the condition") -> Any:
        from slackctl.emulator.driver.waiting import wait_for

        return wait_for(self.emu, predicate, timeout, what)

    def wait_for_message(
        self, channel: str, match: Callable[[dict[str, Any]], Any], as_user: str = "ada", timeout: float = 5.0
    ) -> dict[str, Any]:
        """The first message in CHANNEL (as AS_USER sees it, ephemeral ones included) that MATCH accepts."""
        return self.wait_for(
            lambda: next((m for m in self.messages(channel, as_user) if match(m)), None),
            timeout,
            f"a matching message in {channel}",
        )

    def wait_for_view(
        self, match: Callable[[dict[str, Any]], Any], as_user: str = "ada", timeout: float = 5.0
    ) -> dict[str, Any]:
        """The first view of AS_USER (App Home, then the open modals) that MATCH accepts."""

        def find() -> Any:
            seen = self.views(as_user)
            return next((v for v in [seen["home"], *seen["modals"]] if v and match(v)), None)

        return self.wait_for(find, timeout, "a matching view")

    def trigger(self, trigger_id: str, as_user: str = "ada", channel: str | None = None) -> dict[str, Any]:
        """AS_USER clicks the link trigger TRIGGER_ID (made with workflows.triggers.create); its workflow
        execution as it stands once the first waiting step is reached (see wait_for_execution)."""
        return self.emu.user(as_user).trigger(trigger_id, channel)

    def run_function(
        self,
        callback_id: str,
        inputs: dict[str, Any] | None = None,
        app: str | None = None,
        as_user: str = "ada",
        wait: float = 5.0,
    ) -> dict[str, Any]:
        """Run one custom function (function_executed to its app) and wait up to WAIT seconds for it to end:
        {"function_execution_id", "status" (completed, failed or running), "outputs", "error"}."""
        return self.emu.user(as_user).run_function(callback_id, app, inputs, wait)

    def executions(self, execution_id: str | None = None) -> list[dict[str, Any]]:
        """Workflow and function executions, oldest first (each workflow's steps with status, inputs, outputs)."""
        from slackctl.emulator.automation import engine

        return engine.listing(self.emu, execution_id)

    def wait_for_execution(self, execution_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """The execution once it has ended (completed or failed)."""
        return self.wait_for(
            lambda: next((e for e in self.executions(execution_id) if e["status"] != "running"), None),
            timeout,
            f"the end of {execution_id}",
        )

    def connect(self, bolt_app: App, app_token: str | None = None, timeout: float = 10.0) -> SocketModeHandler:
        """Run BOLT_APP over Socket Mode (slack_bolt's SocketModeHandler) until the test ends; returns once its
        connection is open."""
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        app = self._app_of(bolt_app)
        app_id = app["app_id"]
        token = app_token or app["app_token"]
        handler = SocketModeHandler(bolt_app, token, web_client=bolt_app.client)
        handler.connect()
        self._handlers.append(handler)
        if not self.emu.socket_mode.wait_connected(app_id, timeout=timeout):
            raise TimeoutError(f"the Bolt app did not connect over Socket Mode within {timeout:g} s")
        return handler

    def serve(self, bolt_app: Any) -> str:
        """Serve BOLT_APP over HTTP on 127.0.0.1 (each request goes to Bolt's dispatch) until the test ends, and
        point the installed app's request URLs (events, interactivity, slash commands) at it, as deploying the
        manifest with a public URL does; the URL. Requests are signed with the app's signing secret."""
        from slackctl.testing_http import BoltHTTPServer

        app = self._app_of(bolt_app)
        server = BoltHTTPServer(bolt_app)
        self._servers.append(server)
        from slack_sdk import WebClient

        config = WebClient(token=self.emu.mint_token("config")["token"], base_url=self.api_url)
        manifest = config.apps_manifest_export(app_id=app["app_id"])["manifest"]
        config.apps_manifest_update(app_id=app["app_id"], manifest=_pointed_at(manifest, server.url))
        return server.url

    def _app_of(self, bolt_app: Any) -> dict[str, Any]:
        bot_user = bolt_app.client.auth_test()["user_id"]
        app = next((a for a in self.apps() if a["bot_user_id"] == bot_user), None)
        if app is None:
            raise ValueError("the Bolt app's token is not a bot token of an app installed in this emulator")
        return app

    def close(self) -> None:
        for server in self._servers:
            server.close()
        self._servers.clear()
        for handler in self._handlers:
            # slack_sdk's built-in client closes only after its blocking read times out (seconds); cutting the
            # connection from our side first (with reconnects off) ends that read at once.
            handler.client.auto_reconnect_enabled = False
        self.emu.socket_mode.disconnect(None, reason=None)
        for handler in self._handlers:
            handler.close()
        self._handlers.clear()


def _pointed_at(manifest: dict[str, Any], url: str) -> dict[str, Any]:
    """MANIFEST with every request URL Slack calls (events, interactivity, options, slash commands) set to URL."""
    import copy

    out = copy.deepcopy(manifest)
    settings = out.setdefault("settings", {})
    settings.pop("socket_mode_enabled", None)
    for key in ("event_subscriptions", "interactivity"):
        if isinstance(settings.get(key), dict):
            settings[key]["request_url"] = url
    if isinstance(settings.get("interactivity"), dict) and settings["interactivity"].get("options_load_url"):
        settings["interactivity"]["options_load_url"] = url
    for command in (out.get("features") or {}).get("slash_commands") or []:
        command["url"] = url
    return out


def find_manifest(config: pytest.Config) -> Path | None:
    configured = config.getini("slackctl_manifest")
    if configured:
        path = Path(configured)
        return path if path.is_absolute() else Path(config.rootpath) / path
    for name in MANIFEST_FILES:
        candidate = Path(config.rootpath) / name
        if candidate.is_file():
            return candidate
    return None


@pytest.fixture
def slack_manifest(request: pytest.FixtureRequest) -> dict[str, Any] | str | os.PathLike[str] | None:
    """The manifest to install (a dict or a file path); override this fixture to choose another."""
    return find_manifest(request.config)


@pytest.fixture
def slack(slack_manifest: dict[str, Any] | str | os.PathLike[str] | None) -> Iterator[Slack]:
    """A fresh emulator for the test, with the manifest's app installed."""
    from slackctl.emulator import Emulator

    emu = Emulator(manifests=[slack_manifest] if slack_manifest else None)
    emu.start()
    wrapper = Slack(emu)
    try:
        yield wrapper
    finally:
        wrapper.close()
        emu.stop()


@pytest.fixture
def slack_app(slack: Slack) -> dict[str, Any]:
    """The installed app's credentials: app_id, name, bot_user_id, bot_token, app_token, signing_secret, ..."""
    apps = [a for a in slack.apps() if a["app_id"] != "A0EMU00001"]
    if not apps:
        raise pytest.UsageError(
            "no app manifest: add manifest.json, set slackctl_manifest in the pytest ini, "
            "or override the slack_manifest fixture"
        )
    return apps[0]
