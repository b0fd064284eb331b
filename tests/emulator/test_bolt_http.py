"""A real slack_bolt app in HTTP mode: Bolt's own signature verification accepts what the emulator sends
(url_verification, events, slash commands, interactions), and retries follow Slack's rules."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient

from slackctl.emulator import Emulator


class BoltServer:
    """Bolt's development server, bound to loopback (slack_bolt's own binds 0.0.0.0): app.dispatch per POST."""

    def __init__(self) -> None:
        self.app: App | None = None
        self.ready = threading.Event()
        self.requests: list[dict[str, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                outer.requests.append({k.lower(): v for k, v in self.headers.items()})
                outer.ready.wait(5)  # url_verification may arrive before the test has built the App
                resp = outer.app.dispatch(BoltRequest(body=body, headers=dict(self.headers)))  # type: ignore
                data = resp.body.encode()
                self.send_response(resp.status)
                for k, vs in resp.headers.items():
                    for v in vs:
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/slack/events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def http_app() -> Any:
    server = BoltServer()
    manifest = {
        "display_information": {"name": "Hooky"},
        "features": {
            "bot_user": {"display_name": "hooky"},
            "slash_commands": [{"command": "/weather", "url": server.url, "description": "Weather"}],
            "shortcuts": [{"name": "Report", "type": "global", "callback_id": "report", "description": "Report"}],
        },
        "oauth_config": {"scopes": {"bot": ["chat:write", "channels:history", "commands"]}},
        "settings": {
            "event_subscriptions": {"request_url": server.url, "bot_events": ["message.channels"]},
            "interactivity": {"is_enabled": True, "request_url": server.url},
        },
    }
    emu = Emulator().start()
    creds = emu.install_app(manifest)
    client = WebClient(token=creds["bot_token"], base_url=emu.url + "/api/")
    app = App(client=client, signing_secret=creds["signing_secret"])  # Bolt verifies every request

    @app.message("hello")
    def hello(message: dict[str, Any], say: Any) -> None:
        say("hello from http")

    @app.message("flaky")
    def flaky(message: dict[str, Any], context: Any, say: Any) -> None:
        say(f"retry {server.requests[-1].get('x-slack-retry-num', '0')}")

    @app.event("message")
    def others() -> None:
        pass

    @app.command("/weather")
    def weather(ack: Any, command: dict[str, Any]) -> None:
        ack(response_type="in_channel", text=f"sunny in {command['text']}")

    @app.shortcut("report")
    def report(ack: Any, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(
            trigger_id=body["trigger_id"],
            view={
                "type": "modal",
                "callback_id": "report_form",
                "title": {"type": "plain_text", "text": "Report"},
                "submit": {"type": "plain_text", "text": "Send"},
                "blocks": [
                    {
                        "type": "input",
                        "block_id": "what",
                        "label": {"type": "plain_text", "text": "What"},
                        "element": {"type": "plain_text_input", "action_id": "text"},
                    }
                ],
            },
        )

    @app.view("report_form")
    def report_submitted(ack: Any, view: dict[str, Any], client: WebClient) -> None:
        text = view["state"]["values"]["what"]["text"]["value"]
        if len(text) < 5:
            ack(response_action="errors", errors={"what": "Say a bit more"})
            return
        ack()
        client.chat_postMessage(channel="C0EMU00002", text=f"report: {text}")

    server.app = app
    server.ready.set()
    yield emu, creds, server
    emu.stop()
    server.close()


def test_url_verification_on_install_is_answered_by_bolt(http_app: Any) -> None:
    emu, creds, server = http_app
    from slackctl.emulator.driver.waiting import wait_for

    (check,) = wait_for(
        emu,
        lambda: [d for d in emu.deliveries_log(creds["app_id"], "url_verification") if d["status"] != "pending"],
        what="url_verification",
    )
    assert check["status"] == "acked"


def test_an_http_event_passes_bolts_signature_check_and_the_reply_lands(http_app: Any) -> None:
    emu, creds, server = http_app
    emu.user("ada").post("#general", "hello")
    from slackctl.emulator.driver.waiting import wait_for

    reply = wait_for(
        emu, lambda: next((m for m in emu.messages("#general") if m.get("text") == "hello from http"), None)
    )
    assert reply["bot_id"]
    event_request = next(
        r for r in server.requests if r.get("content-type") == "application/json" and "x-slack-retry-num" not in r
    )
    assert event_request["x-slack-signature"].startswith("v0=") and event_request["user-agent"].startswith("Slack")


def test_a_bad_signature_is_refused_by_bolt(http_app: Any) -> None:
    emu, creds, server = http_app
    with emu.world.lock:
        emu.world.apps[creds["app_id"]]["signing_secret"] = "0" * 32  # the emulator now signs with another secret
    user = emu.user("ada")
    from slackctl.emulator.driver.user import DriveError

    with pytest.raises(DriveError) as err:
        user.command("/weather", "Paris")
    assert err.value.code == "not_acknowledged"
    (delivery,) = emu.deliveries_log(creds["app_id"], "slash_commands")
    assert delivery["status"] == "failed" and delivery["attempts"][0]["reason"] == "http_error"


def test_a_slash_command_answer_in_channel_is_posted_by_the_app(http_app: Any) -> None:
    emu, creds, _ = http_app
    result = emu.user("grace").command("/weather", "Paris", channel="#random")
    assert result["response"] == {"response_type": "in_channel", "text": "sunny in Paris"}
    (posted,) = [m for m in emu.messages("#random") if m.get("text") == "sunny in Paris"]
    assert posted["bot_id"] == emu.world.apps[creds["app_id"]]["bot_id"]


def test_a_failed_event_is_retried_at_once_with_the_same_event_id_and_retry_headers(http_app: Any) -> None:
    emu, creds, server = http_app
    emu.inject_delivery_fault("500", app_id=creds["app_id"])
    emu.user("ada").post("#general", "flaky")
    from slackctl.emulator.driver.waiting import wait_for

    # post returns after the first attempt (HTTP 500); the retry follows at once, on the delivery's own thread
    assert wait_for(emu, lambda: [m for m in emu.messages("#general") if m.get("text") == "retry 1"], timeout=15)

    def settled() -> dict[str, Any] | None:
        # The app replies while it handles the retry; its 200 is journalled when the answer comes back, just after.
        (found,) = [
            d for d in emu.deliveries_log(creds["app_id"], "events_api") if d["payload"]["event"].get("text") == "flaky"
        ]
        return found if found["status"] == "acked" else None

    delivery = wait_for(emu, settled, timeout=15, what="the retried delivery's ack")
    assert [a["ok"] for a in delivery["attempts"]] == [False, True]
    assert delivery["attempts"][0]["reason"] == "http_error" and delivery["status"] == "acked"
    retried = next(r for r in server.requests if r.get("x-slack-retry-num") == "1")
    assert retried["x-slack-retry-reason"] == "http_error"


def test_shortcut_modal_and_submission_over_http(http_app: Any) -> None:
    emu, creds, server = http_app
    from slackctl.emulator.driver.waiting import wait_for

    ada = emu.user("ada")
    ada.shortcut("report")
    modal = wait_for(emu, lambda: next(iter(ada.views()["modals"]), None), what="the modal")
    refused = ada.submit(modal["id"], {"what.text": "bad"})
    assert refused["response_action"] == "errors" and refused["errors"] == {"what": "Say a bit more"}
    done = ada.submit(modal["id"], {"what.text": "the printer is on fire"})
    assert done["views"]["modals"] == []
    wanted = "report: the printer is on fire"
    assert wait_for(emu, lambda: [m for m in emu.messages("#random") if m.get("text") == wanted])
    forms = [r for r in server.requests if r.get("content-type") == "application/x-www-form-urlencoded"]
    assert len(forms) == 3  # the shortcut and both submissions, each a signed form with one payload field
