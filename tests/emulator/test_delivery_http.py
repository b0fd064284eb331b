"""HTTP delivery against a tiny real app server on loopback: Slack's signature (checked with slack_sdk's own
verifier), the event_callback envelope, retries (at once, then on Slack's schedule scaled by --time-scale) with the
same event_id, timeouts, X-Slack-No-Retry, url_verification failures, and a journal without secrets."""

from __future__ import annotations

import json
import queue
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from slack_sdk.signature import SignatureVerifier

from slackctl.emulator import start_emulator
from slackctl.emulator.driver.waiting import wait_for


class Receiver:
    """Records each request; answers from `script` (status, delay seconds, extra headers), then 200."""

    def __init__(self) -> None:
        self.requests: queue.Queue = queue.Queue()
        self.script: list[tuple[int, float, dict[str, str]]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.requests.put(
                    {"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body, "at": time.monotonic()}
                )
                status, delay, headers = outer.script.pop(0) if outer.script else (200, 0.0, {})
                if delay:
                    time.sleep(delay)  # an app that is slow to answer
                data = b""
                if body.startswith(b"{") and b'"url_verification"' in body:
                    data = json.dumps({"challenge": json.loads(body)["challenge"]}).encode()
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/slack/events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def next(self, timeout: float = 5) -> dict[str, Any]:
        return self.requests.get(timeout=timeout)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def manifest(url: str, events: list[str], scopes: list[str]) -> dict[str, Any]:
    return {
        "display_information": {"name": "Hook"},
        "features": {"bot_user": {"display_name": "hook"}},
        "oauth_config": {"scopes": {"bot": scopes}},
        "settings": {"event_subscriptions": {"request_url": url, "bot_events": events}},
    }


@pytest.fixture
def receiver() -> Any:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def hooked(receiver: Receiver) -> Any:
    with start_emulator(time_scale=600) as emu:
        app = emu.install_app(
            manifest(
                receiver.url,
                [
                    "message.channels",
                    "message.groups",
                    "message.im",
                    "message.mpim",
                    "reaction_added",
                    "reaction_removed",
                    "member_joined_channel",
                    "app_mention",
                ],
                [
                    "channels:history",
                    "groups:history",
                    "im:history",
                    "mpim:history",
                    "reactions:read",
                    "channels:read",
                    "groups:read",
                    "app_mentions:read",
                    "chat:write",
                    "channels:join",
                ],
            )
        )
        assert json.loads(receiver.next()["body"])["type"] == "url_verification"
        yield emu, app, receiver


def events(receiver: Receiver, n: int) -> list[dict[str, Any]]:
    return [json.loads(receiver.next()["body"]) for _ in range(n)]


def test_the_request_is_signed_as_slack_signs_and_carries_the_envelope(hooked: Any) -> None:
    emu, app, receiver = hooked
    posted = emu.user("ada").post("#general", "signed?")
    req = receiver.next()
    verifier = SignatureVerifier(app["signing_secret"])
    assert verifier.is_valid(
        req["body"], req["headers"]["x-slack-request-timestamp"], req["headers"]["x-slack-signature"]
    )
    assert req["headers"]["content-type"] == "application/json"
    body = json.loads(req["body"])
    assert body["type"] == "event_callback" and body["api_app_id"] == app["app_id"]
    assert body["token"] == app["verification_token"] and body["team_id"] == "T0EMU0001"
    assert body["event_id"].startswith("Ev") and isinstance(body["event_time"], int) and body["event_context"]
    assert body["authorizations"] == [
        {
            "enterprise_id": None,
            "team_id": "T0EMU0001",
            "user_id": app["bot_user_id"],
            "is_bot": True,
            "is_enterprise_install": False,
        }
    ]
    event = body["event"]
    assert (event["type"], event["channel_type"], event["text"], event["ts"], event["user"]) == (
        "message",
        "channel",
        "signed?",
        posted["ts"],
        "U0EMU00001",
    )


def test_channel_types_and_membership_decide_who_gets_a_message(hooked: Any) -> None:
    emu, app, receiver = hooked
    ada = emu.user("ada")
    from slackctl.emulator.webapi.inproc import api

    token = ada._token()
    private = api(emu, token, "conversations.create", name="secret-plans", is_private=True)["channel"]
    ada.post(private["id"], "the bot is not here")  # not a member: no event
    api(emu, token, "conversations.invite", channel=private["id"], users=app["bot_user_id"])
    (joined,) = events(receiver, 1)
    assert joined["event"]["type"] == "member_joined_channel" and joined["event"]["channel_type"] == "G"
    ada.post(private["id"], "now it is")
    ada.post(f"@{app['name']}", "a DM to the app")
    mpim = api(emu, token, "conversations.open", users=f"U0EMU00002,{app['bot_user_id']}")["channel"]
    ada.post(mpim["id"], "three of us")
    got = events(receiver, 3)
    assert [(e["event"]["text"], e["event"]["channel_type"]) for e in got] == [
        ("now it is", "group"),
        ("a DM to the app", "im"),
        ("three of us", "mpim"),
    ]
    assert receiver.requests.empty()


def test_a_missing_scope_means_no_event(receiver: Receiver) -> None:
    with start_emulator() as emu:
        emu.install_app(manifest(receiver.url, ["message.channels", "reaction_added"], ["chat:write"]))
        receiver.next()  # url_verification
        posted = emu.user("ada").post("#general", "nobody hears this")
        emu.user("ada").react("#general", posted["ts"], "eyes")
        assert emu.deliveries_log(kind="events_api") == []


def test_reactions_mentions_and_bot_messages(hooked: Any) -> None:
    emu, app, receiver = hooked
    posted = emu.user("grace").post("#general", f"hey <@{app['bot_user_id']}>")
    message, mention = sorted(events(receiver, 2), key=lambda e: e["event"]["type"] == "app_mention")
    assert mention["event"]["type"] == "app_mention" and mention["event"]["user"] == "U0EMU00002"
    assert message["event_id"] != mention["event_id"]
    emu.user("linus").react("#general", posted["ts"], "wave")
    (reaction,) = events(receiver, 1)
    assert reaction["event"] == {
        "type": "reaction_added",
        "user": "U0EMU00003",
        "reaction": "wave",
        "item_user": "U0EMU00002",
        "event_ts": reaction["event"]["event_ts"],
        "item": {"type": "message", "channel": "C0EMU00001", "ts": posted["ts"]},
    }
    from slackctl.emulator.webapi.inproc import app_api

    with emu.world.lock:
        record = emu.world.apps[app["app_id"]]
    app_api(emu, record, "chat.postMessage", channel="C0EMU00001", text="from the bot")
    (own,) = events(receiver, 1)
    assert own["event"]["bot_id"] == record["bot_id"] and own["event"]["text"] == "from the bot"


def test_a_thread_reply_carries_thread_ts_and_parent_user_id(hooked: Any) -> None:
    emu, app, receiver = hooked
    parent = emu.user("ada").post("#general", "parent")
    emu.user("grace").post("#general", "reply", thread=parent["ts"])
    _, reply = events(receiver, 2)
    assert reply["event"]["thread_ts"] == parent["ts"] and reply["event"]["parent_user_id"] == "U0EMU00001"


def test_a_500_is_retried_at_once_then_on_the_scaled_schedule_with_the_same_event_id(hooked: Any) -> None:
    emu, app, receiver = hooked
    receiver.script = [(500, 0, {}), (503, 0, {}), (500, 0, {})]
    emu.time_scale = 120  # Slack's 1 and 5 minutes become 0.5 s and 2.5 s
    from slackctl.emulator.webapi.inproc import api

    api(emu, emu.user("ada")._token(), "chat.postMessage", channel="C0EMU00001", text="try again")  # no waiting
    first, second, third, fourth = (receiver.next(timeout=10) for _ in range(4))
    ids = {json.loads(r["body"])["event_id"] for r in (first, second, third, fourth)}
    assert len(ids) == 1
    assert "x-slack-retry-num" not in first["headers"]
    assert [
        (r["headers"]["x-slack-retry-num"], r["headers"]["x-slack-retry-reason"]) for r in (second, third, fourth)
    ] == [("1", "http_error"), ("2", "http_error"), ("3", "http_error")]
    # Slack retries at once, then waits a minute, then five: at --time-scale 120 that is 0.5 s and 2.5 s.
    assert second["at"] - first["at"] < 0.4
    assert 0.45 <= third["at"] - second["at"] < 2.0 and 2.4 <= fourth["at"] - third["at"] < 4.5
    entry = wait_for(
        emu, lambda: next((e for e in emu.deliveries_log(kind="events_api") if e["status"] == "acked"), None)
    )
    assert len(entry["attempts"]) == 4 and entry["attempts"][-1]["ok"]


def test_an_answer_slower_than_the_ack_timeout_is_retried_as_http_timeout(hooked: Any) -> None:
    emu, app, receiver = hooked
    emu.deliveries.ack_timeout = 0.3
    receiver.script = [(200, 0.6, {})]
    emu.user("ada").post("#general", "slow")
    first, second = receiver.next(), receiver.next()
    assert second["headers"]["x-slack-retry-reason"] == "http_timeout"
    assert json.loads(first["body"])["event_id"] == json.loads(second["body"])["event_id"]


def test_x_slack_no_retry_stops_retries(hooked: Any) -> None:
    emu, app, receiver = hooked
    receiver.script = [(500, 0, {"X-Slack-No-Retry": "1"})]
    with pytest.raises(Exception, match="did not acknowledge the message event: HTTP 500"):
        emu.user("ada").post("#general", "once only", expect_ack=True)
    receiver.next()
    (entry,) = emu.deliveries_log(kind="events_api")
    assert entry["status"] == "failed" and len(entry["attempts"]) == 1
    assert receiver.requests.empty()


def test_an_unreachable_request_url_is_noted_not_fatal() -> None:
    with start_emulator() as emu:
        creds = emu.install_app(manifest("http://127.0.0.1:9/slack/events", ["message.channels"], ["channels:history"]))
        entry = wait_for(
            emu, lambda: next((e for e in emu.deliveries_log(kind="url_verification") if e["status"] == "failed"), None)
        )
        assert "connection_failed" in entry["error"]
        assert any("url_verification" in note and creds["app_id"] in note for note in emu.notes)
        assert httpx.post(f"{emu.url}/api/api.test").json()["ok"] is True  # the emulator serves on


def test_the_journal_over_http_has_no_secrets(hooked: Any) -> None:
    emu, app, receiver = hooked
    emu.user("ada").command  # noqa: B018 - the driver is there; deliveries come from the post below
    emu.user("ada").post("#general", "journal me")
    receiver.next()
    text = httpx.get(f"{emu.url}/_emulator/deliveries").text
    body = json.loads(text)
    kinds = [d["kind"] for d in body["deliveries"]]
    assert kinds == ["url_verification", "events_api"]
    entry = body["deliveries"][1]
    assert entry["transport"] == "http" and entry["status"] == "acked" and entry["ack_latency"] > 0
    assert entry["payload"]["token"] == "[redacted]"
    for secret in (app["verification_token"], app["signing_secret"], app["bot_token"]):
        assert secret not in text


def test_slash_command_fields_are_form_encoded(receiver: Receiver) -> None:
    with start_emulator() as emu:
        emu.install_app(
            {
                "display_information": {"name": "Cmd"},
                "features": {
                    "bot_user": {"display_name": "cmd"},
                    "slash_commands": [{"command": "/deploy", "url": receiver.url, "description": "Deploy"}],
                },
                "oauth_config": {"scopes": {"bot": ["commands"]}},
            }
        )
        result = emu.user("grace").command("/deploy", "prod now", channel="#random")
        req = receiver.next()
        assert req["headers"]["content-type"] == "application/x-www-form-urlencoded"
        fields = dict(urllib.parse.parse_qsl(req["body"].decode()))
        assert {
            k: fields[k]
            for k in (
                "command",
                "text",
                "user_id",
                "user_name",
                "channel_id",
                "channel_name",
                "team_id",
                "team_domain",
                "is_enterprise_install",
            )
        } == {
            "command": "/deploy",
            "text": "prod now",
            "user_id": "U0EMU00002",
            "user_name": "grace",
            "channel_id": "C0EMU00002",
            "channel_name": "random",
            "team_id": "T0EMU0001",
            "team_domain": "emulated",
            "is_enterprise_install": "false",
        }
        assert fields["response_url"].startswith(emu.url + "/commands/T0EMU0001/")
        assert fields["trigger_id"] == result["trigger_id"] and fields["api_app_id"] and fields["token"]


def test_drop_and_delay_faults(hooked: Any) -> None:
    emu, app, receiver = hooked
    emu.deliveries.ack_timeout = 0.3
    emu.inject_delivery_fault("drop", app_id=app["app_id"])
    emu.user("ada").post("#general", "dropped first")  # attempt 1 never sent; the retry (at once) arrives
    got = receiver.next()
    assert got["headers"]["x-slack-retry-num"] == "1" and got["headers"]["x-slack-retry-reason"] == "http_timeout"
    emu.inject_delivery_fault("delay", delay=0.2)
    started = time.monotonic()
    emu.user("ada").post("#general", "late")
    assert time.monotonic() - started >= 0.2
    late = receiver.next()
    assert "x-slack-retry-num" not in late["headers"]
    with pytest.raises(ValueError, match="unknown delivery fault"):
        emu.inject_delivery_fault("explode")


def test_deliveries_reuse_a_kept_alive_connection_and_replace_one_the_app_closed() -> None:
    from slackctl.emulator.delivery import outbound

    peers: list[int] = []

    class KeepAlive(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            peers.append(self.client_address[1])
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
            if len(peers) == 3:
                self.close_connection = True  # closes it without saying so, as idle timeouts do

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), KeepAlive)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/x"
    try:
        for _ in range(3):
            assert outbound.post(url, b"{}", {"Content-Type": "application/json"}, 2).status == 200
        assert len(set(peers)) == 1  # one TCP connection for all three
        assert outbound.post(url, b"{}", {"Content-Type": "application/json"}, 2).status == 200
        assert len(set(peers)) == 2 and len(peers) == 4
    finally:
        server.shutdown()
        server.server_close()
