"""apps.datastore.* over real HTTP: Slack's answers for a Run-on-Slack app's datastores, its errors for everyone
else, state across reset and --state."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from slackctl.emulator import start_emulator
from tests.emulator.conftest import SHARED_SSL, call

HOSTED = {
    "display_information": {"name": "Tasks"},
    "features": {"bot_user": {"display_name": "tasks"}},
    "oauth_config": {"scopes": {"bot": ["datastore:read", "datastore:write", "chat:write"]}},
    "settings": {"function_runtime": "slack"},
    "datastores": {
        "tasks": {
            "primary_key": "id",
            "attributes": {
                "id": {"type": "string"},
                "title": {"type": "string"},
                "status": {"type": "string"},
                "points": {"type": "integer"},
                "done": {"type": "boolean"},
                "owner": {"type": "slack#/types/user_id"},
                "tags": {"type": "array", "items": {"type": "string"}},
            },
        },
    },
}
REMOTE = {**HOSTED, "display_information": {"name": "Bolt"}, "settings": {"function_runtime": "remote"}}


@pytest.fixture
def hosted():
    with start_emulator(manifests=[HOSTED, REMOTE]) as emu:
        apps = {a["name"]: a for a in emu.apps()}
        with httpx.Client(base_url=emu.url, timeout=10, verify=SHARED_SSL) as client:
            yield emu, client, apps["Tasks"]["bot_token"], apps["Bolt"]["bot_token"]


def tasks_token(emu: Any) -> str:
    return next(a["bot_token"] for a in emu.apps() if a["name"] == "Tasks")


def put(client: httpx.Client, token: str, **item: Any) -> dict[str, Any]:
    return call(client, "apps.datastore.put", token, datastore="tasks", item=item)


def test_put_replaces_update_merges_get_and_delete(hosted) -> None:
    _emu, client, token, _ = hosted
    assert put(client, token, id="1", title="Write docs", status="open", points=3) == {
        "ok": True,
        "datastore": "tasks",
        "item": {"id": "1", "title": "Write docs", "status": "open", "points": 3},
    }
    put(client, token, id="1", title="Write the docs")  # replaces: status and points are gone
    got = call(client, "apps.datastore.get", token, datastore="tasks", id="1")
    assert got["item"] == {"id": "1", "title": "Write the docs"}
    updated = call(client, "apps.datastore.update", token, datastore="tasks", item={"id": "1", "done": True})
    assert updated["item"] == {"id": "1", "title": "Write the docs", "done": True}
    created = call(client, "apps.datastore.update", token, datastore="tasks", item={"id": "2", "points": 1})
    assert created["item"] == {"id": "2", "points": 1}
    assert call(client, "apps.datastore.delete", token, datastore="tasks", id="1") == {"ok": True}
    assert call(client, "apps.datastore.get", token, datastore="tasks", id="1") == {
        "ok": True,
        "datastore": "tasks",
        "item": {},
    }


def test_query_pages_by_items_looked_at_and_count_counts_matches(hosted) -> None:
    _emu, client, token, _ = hosted
    for n in range(10):
        put(client, token, id=f"t{n}", status="open" if n % 3 == 0 else "closed", points=n)
    args = {
        "datastore": "tasks",
        "expression": "#s = :s",
        "expression_attributes": {"#s": "status"},
        "expression_values": {":s": "open"},
    }
    seen, cursor, pages = [], None, 0
    while True:
        page = call(client, "apps.datastore.query", token, limit=4, **args, **({"cursor": cursor} if cursor else {}))
        pages += 1
        seen += [item["id"] for item in page["items"]]
        cursor = page["response_metadata"]["next_cursor"]
        if not cursor:
            break
    assert (seen, pages) == (["t0", "t3", "t6", "t9"], 3)
    assert call(client, "apps.datastore.count", token, **args) == {"ok": True, "datastore": "tasks", "count": 4}
    assert call(client, "apps.datastore.count", token, datastore="tasks")["count"] == 10
    bad = call(client, "apps.datastore.query", token, datastore="tasks", cursor="bm9wZQ==")
    assert bad == {"ok": False, "error": "invalid_cursor"}


def test_a_bad_expression_is_a_datastore_error_naming_the_problem(hosted) -> None:
    _emu, client, token, _ = hosted
    answer = call(
        client, "apps.datastore.query", token, datastore="tasks", expression="#s = :s", expression_values={":s": "open"}
    )
    assert answer["ok"] is False and answer["error"] == "datastore_error"
    (error,) = answer["errors"]
    assert error["code"] == "invalid_expression" and "attribute name: #s" in error["message"]
    alone = call(client, "apps.datastore.count", token, datastore="tasks", expression_values={":s": "open"})
    assert alone["error"] == "datastore_error" and "expression is missing" in alone["errors"][0]["message"]
    for limit in (0, 1001):
        answer = call(client, "apps.datastore.query", token, datastore="tasks", limit=limit)
        assert answer["error"] == "invalid_arguments", limit


def test_bulk_calls_and_a_partial_failure(hosted) -> None:
    emu, client, token, _ = hosted
    items = [{"id": f"b{n}", "points": n} for n in range(4)]
    assert call(client, "apps.datastore.bulkPut", token, datastore="tasks", items=items) == {
        "ok": True,
        "datastore": "tasks",
        "failed_items": [],
    }
    got = call(client, "apps.datastore.bulkGet", token, datastore="tasks", ids=["b1", "nope", "b3"])
    assert [i["id"] for i in got["items"]] == ["b1", "b3"]
    emu.inject_fault("apps.datastore.bulkPut", "partial")
    more = [{"id": f"c{n}", "points": n} for n in range(4)]
    partial = call(client, "apps.datastore.bulkPut", token, datastore="tasks", items=more)
    assert partial == {"ok": False, "error": "partial_failure", "datastore": "tasks", "failed_items": more[2:]}
    assert call(client, "apps.datastore.count", token, datastore="tasks")["count"] == 6
    emu.inject_fault("apps.datastore.bulkDelete", "partial")
    deleted = call(client, "apps.datastore.bulkDelete", token, datastore="tasks", ids=["b0", "b1", "c0", "c1"])
    assert deleted == {"ok": False, "error": "partial_failure", "datastore": "tasks", "failed_items": ["c0", "c1"]}
    assert call(client, "apps.datastore.count", token, datastore="tasks")["count"] == 4


def test_a_bulk_put_with_a_bad_item_writes_nothing_and_names_it(hosted) -> None:
    _emu, client, token, _ = hosted
    items = [{"id": "ok", "points": 1}, {"id": "bad", "points": "one"}]
    answer = call(client, "apps.datastore.bulkPut", token, datastore="tasks", items=items)
    assert answer["error"] == "datastore_error"
    (error,) = answer["errors"]
    assert (error["code"], error["pointer"], error["item"]) == ("attribute_type_mismatch", "/items/1/points", items[1])
    assert call(client, "apps.datastore.count", token, datastore="tasks")["count"] == 0


@pytest.mark.parametrize(
    ("item", "code", "pointer"),
    [
        ({"id": "1", "points": "3"}, "attribute_type_mismatch", "/item/points"),
        ({"id": "1", "points": 2.5}, "attribute_type_mismatch", "/item/points"),
        ({"id": "1", "done": "yes"}, "attribute_type_mismatch", "/item/done"),
        ({"id": "1", "owner": None}, "attribute_type_mismatch", "/item/owner"),
        ({"id": "1", "tags": ["a", 2]}, "attribute_type_mismatch", "/item/tags"),
        ({"id": "1", "colour": "red"}, "unknown_attribute", "/item/colour"),
        ({"title": "no key"}, "missing_primary_key", "/item/id"),
        ({"id": 7}, "missing_primary_key", "/item/id"),
    ],
)
def test_an_item_slack_would_refuse(hosted, item: dict[str, Any], code: str, pointer: str) -> None:
    _emu, client, token, _ = hosted
    answer = call(client, "apps.datastore.put", token, datastore="tasks", item=item)
    assert answer["ok"] is False and answer["error"] == "datastore_error"
    assert (answer["errors"][0]["code"], answer["errors"][0]["pointer"]) == (code, pointer)


def test_unknown_datastore_not_hosted_app_and_scopes(hosted) -> None:
    emu, client, token, remote = hosted
    unknown = call(client, "apps.datastore.get", token, datastore="nope", id="1")
    assert unknown == {
        "ok": False,
        "error": "datastore_error",
        "errors": [
            {
                "code": "datastore_config_not_found",
                "message": "The datastore configuration could not be found",
                "pointer": "/datastores",
            }
        ],
    }
    assert call(client, "apps.datastore.get", remote, datastore="tasks", id="1") == {
        "ok": False,
        "error": "app_not_hosted",
    }
    weak = emu.mint_token("bot", scopes=["datastore:read"], app_id=emu.apps()[0]["app_id"])["token"]
    assert call(client, "apps.datastore.put", weak, datastore="tasks", item={"id": "1"})["error"] == "missing_scope"
    other = call(client, "apps.datastore.get", token, datastore="tasks", id="1", app_id=emu.default_app["app_id"])
    assert other == {"ok": False, "error": "invalid_app_id"}


def test_items_survive_a_restart_with_state_and_go_with_reset(tmp_path) -> None:
    state = tmp_path / "state.json"
    with start_emulator(manifests=[HOSTED], state_file=state) as emu:
        token = tasks_token(emu)
        with httpx.Client(base_url=emu.url, timeout=10, verify=SHARED_SSL) as client:
            put(client, token, id="kept", title="across restarts")
    with start_emulator(manifests=[HOSTED], state_file=state) as emu:
        token = tasks_token(emu)
        with httpx.Client(base_url=emu.url, timeout=10, verify=SHARED_SSL) as client:
            assert (
                call(client, "apps.datastore.get", token, datastore="tasks", id="kept")["item"]["title"]
                == "across restarts"
            )
            emu.reset()
            answer = call(client, "apps.datastore.get", tasks_token(emu), datastore="tasks", id="kept")
            assert answer == {"ok": True, "datastore": "tasks", "item": {}}


def test_slack_sdk_calls_with_json_bodies_and_forms(hosted) -> None:
    """slack_sdk has no apps_datastore_* helpers: apps call them with api_call, as JSON or as a form whose
    structured fields are JSON text; both reach the same datastore."""
    import json as _json

    from slack_sdk import WebClient

    emu, _client, token, _ = hosted
    sdk = WebClient(token=token, base_url=f"{emu.url}/api/")
    put = sdk.api_call("apps.datastore.put", json={"datastore": "tasks", "item": {"id": "1", "title": "sdk"}})
    assert put["item"] == {"id": "1", "title": "sdk"}
    form = sdk.api_call(
        "apps.datastore.update", params={"datastore": "tasks", "item": _json.dumps({"id": "1", "points": 2})}
    )
    assert form["item"] == {"id": "1", "title": "sdk", "points": 2}
    sdk.api_call(
        "apps.datastore.bulkPut", json={"datastore": "tasks", "items": [{"id": "2"}, {"id": "3", "points": 9}]}
    )
    got = sdk.api_call("apps.datastore.bulkGet", params={"datastore": "tasks", "ids": _json.dumps(["2", "3"])})
    assert [i["id"] for i in got["items"]] == ["2", "3"]
    found = sdk.api_call(
        "apps.datastore.query",
        json={
            "datastore": "tasks",
            "expression": "#p > :n",
            "expression_attributes": {"#p": "points"},
            "expression_values": {":n": 1},
            "limit": 10,
        },
    )
    assert [i["id"] for i in found["items"]] == ["1", "3"]
    assert sdk.api_call("apps.datastore.count", params={"datastore": "tasks"})["count"] == 3
