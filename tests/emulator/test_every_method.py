"""Every method in the catalog answers (issue 28): none is unknown_method; each checks its token's kind and its
required arguments as Slack does; the generic ones answer with their response shape."""

from __future__ import annotations

import pytest

from slackctl.emulator.webapi import generic
from slackctl.emulator.webapi.registry import REGISTRY
from slackctl.slack import catalog
from tests.emulator.conftest import call

KINDS = ("bot", "user", "app", "config")
VALUES = {"integer": 1, "number": 1.5, "boolean": True, "object": {}, "array": ["x"]}


def valid_args(info: catalog.MethodInfo) -> dict[str, object]:
    return {name: VALUES.get(type_text, "x") for name, type_text in info.required.items()}


def token_for(emu, info: catalog.MethodInfo, kind: str | None = None) -> str:
    spec = generic.spec_for(info.name)
    assert spec is not None
    kind = kind or spec.kinds[0]
    scopes = sorted({s for ss in info.scopes.values() for s in ss}) or None
    return emu.mint_token(kind, scopes=scopes)["token"]


ALL = catalog.names()
GENERIC = [n for n in ALL if n not in REGISTRY]


def test_most_of_the_catalog_is_answered_by_the_generic_layer_and_the_rest_by_handlers():
    assert len(ALL) >= 322
    assert 0 < len(GENERIC) < len(ALL)


@pytest.fixture(scope="module")
def emu():
    from slackctl.emulator import start_emulator

    with start_emulator(rate_limits=False, grid=True) as emulator:  # Grid: admin.* answer too
        yield emulator


@pytest.fixture(scope="module")
def client(emu):
    import httpx

    with httpx.Client(base_url=emu.url, timeout=10) as c:
        yield c


def test_no_catalogued_method_answers_unknown_method(emu, client):
    unknown = []
    for name in ALL:
        info = catalog.get(name)
        token = token_for(emu, info) if info.auth else None
        body = call(client, name, token, **valid_args(info))
        if body.get("error") == "unknown_method":
            unknown.append(name)
    assert unknown == []


def test_a_generic_method_answers_ok_with_its_response_shape(emu, client):
    failed = {}
    for name in GENERIC:
        if name in generic.RETIRED:
            continue
        info = catalog.get(name)
        token = token_for(emu, info) if info.auth else None
        body = call(client, name, token, **valid_args(info))
        expected = {"ok": True, **generic.success(name)}
        if body != expected:
            failed[name] = body
    assert failed == {}


def test_a_generic_answer_carries_the_objects_slack_returns(emu, client):
    assert "apps.event.authorizations.list" in GENERIC
    info = catalog.get("apps.event.authorizations.list")
    body = call(client, "apps.event.authorizations.list", emu.mint_token("app")["token"], event_context="x")
    assert body["ok"] is True and body["authorizations"] == []
    assert body["response_metadata"] == {"next_cursor": ""}
    assert info.paginated


def test_a_paging_generic_method_carries_an_empty_next_cursor(emu, client):
    name = next(n for n in GENERIC if catalog.get(n).paginated)
    info = catalog.get(name)
    body = call(client, name, token_for(emu, info) if info.auth else None, **valid_args(info))
    assert body["response_metadata"] == {"next_cursor": ""}


@pytest.mark.parametrize("name", [n for n in ALL if catalog.get(n).required and catalog.get(n).auth])
def test_a_missing_required_argument_is_refused(emu, client, name):
    info = catalog.get(name)
    body = call(client, name, token_for(emu, info))
    assert body["ok"] is False
    if name in GENERIC:
        first = next(iter(info.required))
        assert body == {
            "ok": False,
            "error": "invalid_arguments",
            "response_metadata": {"messages": [f"[ERROR] missing required field: {first}"]},
        }
    else:
        assert body["error"] != "unknown_method"


# auth.test and auth.revoke (any token tests or revokes itself) are the catalogued methods every kind of token may
# call; methods that take no token (the OAuth exchanges authenticate the client instead) have no kind to check.
KIND_CHECKED = [n for n in ALL if generic.spec_for(n).auth and set(KINDS) - set(generic.spec_for(n).kinds)]


def test_every_method_but_auth_test_and_revoke_refuses_some_kind_of_token():
    untokened = {n for n in ALL if not generic.spec_for(n).auth}
    assert set(ALL) - set(KIND_CHECKED) == untokened | {"auth.test", "auth.revoke"}


@pytest.mark.parametrize("name", KIND_CHECKED)
def test_a_token_of_the_wrong_kind_is_not_allowed(emu, client, name):
    spec = generic.spec_for(name)
    wrong = next(k for k in KINDS if k not in spec.kinds)
    body = call(client, name, emu.mint_token(wrong)["token"], **valid_args(catalog.get(name)))
    assert body["error"] == "not_allowed_token_type", body


def test_a_generic_method_checks_scopes_like_slack(emu, client):
    body = call(
        client,
        "bookmarks.add",
        emu.mint_token("bot", scopes=["chat:write"])["token"],
        channel_id="C1",
        title="t",
        type="link",
    )
    assert body["error"] == "missing_scope"
    assert body["needed"] == "bookmarks:write" and body["provided"] == "chat:write"


def test_a_generic_method_checks_argument_types(emu, client):
    info = catalog.get("admin.users.list")
    body = call(client, "admin.users.list", token_for(emu, info), limit="many")
    assert body["error"] == "invalid_arguments"
    assert body["response_metadata"]["messages"] == ["[ERROR] expected an integer for field: limit"]


def test_the_catalog_tier_limits_a_generic_method(client):
    from slackctl.emulator import start_emulator

    with start_emulator(rate_limits=True) as limited:
        import httpx

        with httpx.Client(base_url=limited.url, timeout=10) as c:
            info = catalog.get("admin.apps.requests.list")  # Tier 2: 20 a minute
            assert info.tier == "2"
            token = token_for(limited, info)
            answers = [
                c.post("/api/admin.apps.requests.list", json={}, headers={"Authorization": f"Bearer {token}"})
                for _ in range(21)
            ]
    assert [r.status_code for r in answers[:20]] == [200] * 20
    assert answers[20].status_code == 429 and int(answers[20].headers["Retry-After"]) >= 1


def test_files_upload_answers_as_slack_answers_it_since_its_sunset(emu, client):
    info = catalog.get("files.upload")
    body = call(client, "files.upload", token_for(emu, info), channels="C0EMU00001", content="hello")
    assert body == {"ok": False, "error": "method_deprecated"}


def test_slack_sdk_files_upload_v2_still_works_where_files_upload_is_retired(emu):
    from slack_sdk import WebClient

    sdk = WebClient(token=emu.mint_token("bot")["token"], base_url=emu.url + "/api/")
    result = sdk.files_upload_v2(channel="C0EMU00001", content="hello", filename="a.txt")
    assert result["ok"] is True and result["file"]["id"].startswith("F")
