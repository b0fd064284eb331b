"""The emulator's incoming webhooks: minting (control surface and Python), posting as the app, Slack's
plain-text answers with their HTTP statuses, the Date offset, and oauth.v2.access's incoming_webhook."""

from __future__ import annotations

import email.utils
import time

import httpx
import pytest

from slackctl.emulator.delivery import webhooks


@pytest.fixture
def hook_app(emu):
    return emu.create_app(name="Hooky", bot_scopes=["chat:write", "incoming-webhook"])


def test_control_mints_a_hook_that_posts_into_its_channel_as_the_app(emu, client, hook_app):
    minted = client.post("/_emulator/webhooks", json={"channel": "random", "app": hook_app["app_id"]}).json()
    assert minted["ok"] and minted["channel"] == "#random" and minted["app_id"] == hook_app["app_id"]
    assert minted["url"].startswith(f"{emu.url}/services/T0EMU0001/B")
    resp = httpx.post(minted["url"], json={"text": "deployed"})
    assert (resp.status_code, resp.text) == (200, "ok")
    assert resp.headers["content-type"].startswith("text/plain")
    last = emu.messages("random")[-1]
    assert last["text"] == "deployed" and last["bot_id"] == hook_app["bot_id"]
    assert last["app_id"] == hook_app["app_id"]


def test_an_app_without_the_scope_gets_no_hook(client):
    resp = client.post("/_emulator/webhooks", json={"channel": "general"})
    assert resp.status_code == 400 and "incoming-webhook" in resp.json()["error"]


def test_the_hook_secret_never_reaches_the_request_log(emu, hook_app):
    url = emu.mint_webhook("general", hook_app["app_id"])["url"]
    httpx.post(url, json={"text": "x"})
    (req,) = emu.requests("webhook")
    assert url.rsplit("/", 1)[1] not in req["path"] and req["path"].endswith("/…REDACTED")


@pytest.mark.parametrize(
    ("body", "answer", "status"),
    [
        ({"username": "only"}, "no_text", 400),
        ({"blocks": "not a list"}, "invalid_payload", 400),
        ({"text": "t", "attachments": [{"text": "a"}] * 101}, "too_many_attachments", 400),
    ],
)
def test_payload_answers(emu, hook_app, body, answer, status):
    url = emu.mint_webhook("general", hook_app["app_id"])["url"]
    resp = httpx.post(url, json=body)
    assert (resp.status_code, resp.text) == (status, answer)


def test_state_answers(emu, hook_app):
    url = emu.mint_webhook("general", hook_app["app_id"])["url"]
    assert httpx.post(url + "x", json={"text": "t"}).text == "no_service"
    assert httpx.post(url, content=b"{not json", headers={"Content-Type": "application/json"}).text == "invalid_payload"
    emu.world.channels["C0EMU00001"]["is_archived"] = True
    resp = httpx.post(url, json={"text": "t"})
    assert (resp.status_code, resp.text) == (410, "channel_is_archived")
    del emu.world.channels["C0EMU00001"]
    assert httpx.post(url, json={"text": "t"}).text == "channel_not_found"


def test_a_forced_answer_is_given_count_times_then_the_hook_works(emu, hook_app):
    url = emu.mint_webhook("general", hook_app["app_id"], answer="action_prohibited", answer_count=2)["url"]
    answers = [httpx.post(url, json={"text": "t"}) for _ in range(3)]
    assert [(a.status_code, a.text) for a in answers] == [(403, "action_prohibited")] * 2 + [(200, "ok")]
    assert set(webhooks.STATUS) >= {"rollup_error", "action_prohibited"}


def test_the_date_header_follows_the_offset_setting(emu, client):
    def skew() -> float:
        date = client.get("/").headers["date"]
        return email.utils.parsedate_to_datetime(date).timestamp() - time.time()

    assert abs(skew()) < 5
    assert client.post("/_emulator/settings", json={"date_offset": -900}).json()["date_offset"] == -900
    assert -905 < skew() < -895
    emu.reset()
    assert abs(skew()) < 5


def test_oauth_v2_access_returns_an_incoming_webhook_for_apps_with_the_scope(emu, client):
    import base64

    from tests.emulator.oauth_helpers import authorize, redirect_params

    redirect = "https://localhost:8766/callback"
    app = emu.create_app(name="Hooky", bot_scopes=["chat:write", "incoming-webhook"], redirect_urls=[redirect])
    params = redirect_params(
        authorize(
            client, client_id=app["client_id"], scope="chat:write,incoming-webhook", redirect_uri=redirect, state="s"
        )
    )
    raw = f"{app['client_id']}:{app['client_secret']}".encode()
    body = client.post(
        "/api/oauth.v2.access",
        data={"code": params["code"], "redirect_uri": redirect},
        headers={"Authorization": "Basic " + base64.b64encode(raw).decode()},
    ).json()
    hook = body["incoming_webhook"]
    assert hook["channel"] == "#general" and hook["channel_id"] == "C0EMU00001"
    assert httpx.post(hook["url"], json={"text": "installed"}).text == "ok"
    assert emu.messages("general")[-1]["bot_id"] == app["bot_id"]
