"""Rate limits (with time_scale), injected faults of every kind, and the redacted request log."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from slackctl.emulator import start_emulator
from tests.emulator.conftest import call


def test_tier_limit_answers_429_with_retry_after_then_recovers():
    # Tier 1 allows 1 call a minute; at time_scale 120 a minute lasts half a second.
    with start_emulator(rate_limits=True, time_scale=120) as emu, httpx.Client(base_url=emu.url) as client:
        config = emu.mint_token("config")["token"]
        headers = {"Authorization": f"Bearer {config}"}
        manifest = {"display_information": {"name": "x"}}
        first = client.post("/api/apps.manifest.create", json={"manifest": manifest}, headers=headers)
        assert first.json()["ok"] is True
        limited = client.post("/api/apps.manifest.create", json={"manifest": manifest}, headers=headers)
        assert limited.status_code == 429
        assert limited.json() == {"ok": False, "error": "ratelimited"}
        assert limited.headers["Retry-After"] == "1"
        precise = float(limited.headers["X-Emulator-Retry-After-Precise"])
        assert 0 < precise <= 0.5
        deadline = time.monotonic() + 5
        while True:  # poll: the bucket refills after `precise` real seconds
            again = client.post("/api/apps.manifest.create", json={"manifest": manifest}, headers=headers)
            if again.status_code == 200 or time.monotonic() > deadline:
                break
            time.sleep(precise / 4)
        assert again.status_code == 200


def test_post_message_allows_a_short_burst_per_channel_then_limits_it():
    """Slack: about one message a second per channel, short bursts allowed (issue 28: a thread reply right after
    its parent is not a 429)."""
    from slackctl.emulator.webapi.ratelimit import POST_MESSAGE_BURST

    with start_emulator(rate_limits=True) as emu, httpx.Client(base_url=emu.url) as client:
        bot = emu.mint_token("bot")["token"]
        parent = call(client, "chat.postMessage", bot, channel="C0EMU00001", text="parent")
        assert parent["ok"] is True
        reply = call(client, "chat.postMessage", bot, channel="C0EMU00001", text="reply", thread_ts=parent["ts"])
        assert reply["ok"] is True
        for n in range(int(POST_MESSAGE_BURST) - 2):
            assert call(client, "chat.postMessage", bot, channel="C0EMU00001", text=f"burst {n}")["ok"] is True
        over = client.post(
            "/api/chat.postMessage",
            json={"channel": "C0EMU00001", "text": "one too many"},
            headers={"Authorization": f"Bearer {bot}"},
        )
        assert over.status_code == 429 and int(over.headers["Retry-After"]) >= 1
        assert call(client, "chat.postMessage", bot, channel="C0EMU00002", text="other channel")["ok"] is True


def test_rate_limits_off_by_default_in_the_python_api(emu, client, bot):
    for _ in range(5):
        assert call(client, "chat.postMessage", bot, channel="C0EMU00001", text="x")["ok"] is True


@pytest.mark.parametrize(
    "kind,status,error",
    [("429", 429, "ratelimited"), ("500", 500, "internal_error"), ("503", 503, "service_unavailable")],
)
def test_injected_http_faults_answer_once_then_recover(emu, client, bot, kind, status, error):
    emu.inject_fault("auth.test", kind, retry_after=7)
    resp = client.post("/api/auth.test", headers={"Authorization": f"Bearer {bot}"})
    assert resp.status_code == status and resp.json()["error"] == error
    if kind != "500":
        assert resp.headers["Retry-After"] == "7"
    assert client.post("/api/auth.test", headers={"Authorization": f"Bearer {bot}"}).json()["ok"] is True


def test_drop_fault_closes_the_connection_without_an_answer(emu, client, bot):
    emu.inject_fault("auth.test", "drop", count=2)
    for _ in range(2):
        with pytest.raises(httpx.RemoteProtocolError):
            client.post("/api/auth.test", headers={"Authorization": f"Bearer {bot}"})
    assert client.post("/api/auth.test", headers={"Authorization": f"Bearer {bot}"}).json()["ok"] is True


def test_slow_fault_delays_then_answers(emu, client, bot):
    emu.inject_fault("auth.test", "slow", delay=0.3)
    started = time.monotonic()
    assert client.post("/api/auth.test", headers={"Authorization": f"Bearer {bot}"}).json()["ok"] is True
    assert time.monotonic() - started >= 0.3
    with pytest.raises(httpx.ReadTimeout):
        emu.inject_fault("auth.test", "slow", delay=0.5)
        client.post("/api/auth.test", headers={"Authorization": f"Bearer {bot}"}, timeout=0.1)


def test_faults_only_hit_their_method(emu, client, bot):
    emu.inject_fault("chat.postMessage", "500")
    assert call(client, "auth.test", bot)["ok"] is True


def test_unknown_fault_kind_is_refused(emu):
    with pytest.raises(ValueError):
        emu.inject_fault("auth.test", "teapot")


@pytest.mark.parametrize("body", [{"count": 0}, {"count": -2}, {"delay": -1}])
@pytest.mark.parametrize(
    ("path", "fault"), [("faults", {"method": "auth.test", "kind": "500"}), ("delivery-faults", {"kind": "500"})]
)
def test_web_api_and_delivery_faults_share_one_validation(emu, path, fault, body):
    # One queue class: a count below 1 or a negative delay is refused for both (delivery faults once took a
    # count of 0 as 1), and nothing is queued.
    resp = httpx.post(f"{emu.url}/_emulator/{path}", json={**fault, **body})
    assert resp.status_code == 400
    assert emu.faults.take("auth.test") is None
    assert emu.deliveries.faults.take(emu.default_app["app_id"]) is None


def test_request_log_records_calls_and_never_holds_a_secret(emu, client, bot):
    app = emu.default_app
    refresh = emu.mint_token("config")["refresh_token"]
    call(client, "chat.postMessage", bot, channel="C0EMU00001", text="logged")
    client.get("/api/auth.test", params={"token": bot})
    client.post("/api/auth.test", data={"token": bot})
    client.post(
        "/api/oauth.v2.access",
        data={
            "code": "x",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "code_verifier": "v" * 50,
        },
    )
    client.post("/api/tooling.tokens.rotate", data={"refresh_token": refresh})
    client.post("/api/auth.test", auth=(app["client_id"], app["client_secret"]))
    client.get("/api/oauth.v2.access", params={"client_id": app["client_id"], "client_secret": app["client_secret"]})
    client.post("/api/auth.test", content=b"{bad json " + bot.encode(), headers={"Content-Type": "application/json"})
    log = emu.requests()
    dumped = json.dumps(log)
    for secret in (bot, app["client_secret"], refresh, "v" * 50):
        assert secret not in dumped
    posted = emu.requests("chat.postMessage")[-1]
    assert posted["body"] == {"channel": "C0EMU00001", "text": "logged"}
    assert posted["headers"]["Authorization"] == "Bearer xoxb-…REDACTED"
    assert posted["http_method"] == "POST" and posted["status"] == 200
    assert posted["content_type"] == "application/json"
    assert emu.requests("auth.test")[0]["body"]["token"] == "xoxb-…REDACTED"
    assert "xoxb-…REDACTED" in emu.requests("auth.test")[0]["path"]


def test_request_log_is_bounded():
    from slackctl.emulator.requestlog import RequestLog

    log = RequestLog(size=3)
    for i in range(5):
        log.add({"method": str(i)})
    assert [e["method"] for e in log.list()] == ["2", "3", "4"]
