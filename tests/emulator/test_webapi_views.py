"""views.open/push/update/publish: trigger ids (3 s, once), the 3-view stack, hash conflicts, App Home."""

from __future__ import annotations

import pytest

from slackctl.emulator.world import triggers, views
from tests.emulator.conftest import call

ADA = "U0EMU00001"


def modal(title: str = "Hello", **extra) -> dict:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": [
            {
                "type": "input",
                "block_id": "b",
                "label": {"type": "plain_text", "text": "Name"},
                "element": {"type": "plain_text_input", "action_id": "a"},
            }
        ],
        **extra,
    }


@pytest.fixture
def app_id(emu):
    return emu.default_app["app_id"]


def trigger(emu, app_id) -> str:
    return triggers.mint(emu, ADA, app_id)


def test_open_push_to_the_limit_update_and_close(emu, client, bot, app_id):
    facts = []
    emu.bus.subscribe(lambda kind, data: facts.append((kind, data["action"])))
    root = call(client, "views.open", bot, trigger_id=trigger(emu, app_id), view=modal(callback_id="cb"))["view"]
    assert root["id"].startswith("V") and root["root_view_id"] == root["id"] and root["previous_view_id"] is None
    assert root["app_id"] == app_id and root["team_id"] == "T0EMU0001" and root["state"] == {"values": {}}
    assert root["callback_id"] == "cb" and root["hash"]
    second = call(client, "views.push", bot, trigger_id=trigger(emu, app_id), view=modal("Two"))["view"]
    assert second["root_view_id"] == root["id"] and second["previous_view_id"] == root["id"]
    call(client, "views.push", bot, trigger_id=trigger(emu, app_id), view=modal("Three"))
    full = call(client, "views.push", bot, trigger_id=trigger(emu, app_id), view=modal("Four"))
    assert full["error"] == "push_limit_reached"
    assert [v["title"]["text"] for v in views.stack(emu, ADA)] == ["Hello", "Two", "Three"]
    updated = call(client, "views.update", bot, view_id=second["id"], hash=second["hash"], view=modal("Two!"))
    assert updated["view"]["id"] == second["id"] and updated["view"]["hash"] != second["hash"]
    stale = call(client, "views.update", bot, view_id=second["id"], hash=second["hash"], view=modal("x"))
    assert stale["error"] == "hash_conflict"
    assert call(client, "views.update", bot, view_id="V_NOPE", view=modal())["error"] == "not_found"
    closed = views.close(emu, ADA)
    assert [v["title"]["text"] for v in closed] == ["Three"]
    assert [v["title"]["text"] for v in views.stack(emu, ADA)] == ["Hello", "Two!"]
    assert [v["id"] for v in views.close(emu, ADA, clear=True)] == [second["id"], root["id"]]
    assert views.stack(emu, ADA) == []
    assert [a for _, a in facts] == ["opened", "pushed", "pushed", "updated", "closed", "closed", "closed"]


def test_trigger_ids_expire_after_three_seconds_and_work_once(emu, client, bot, app_id):
    used = trigger(emu, app_id)
    assert call(client, "views.open", bot, trigger_id=used, view=modal())["ok"]
    assert call(client, "views.open", bot, trigger_id=used, view=modal())["error"] == "exchanged_trigger_id"
    late = trigger(emu, app_id)
    emu.advance_time(3.5)
    assert call(client, "views.open", bot, trigger_id=late, view=modal())["error"] == "expired_trigger_id"
    assert call(client, "views.open", bot, trigger_id="1.2.3", view=modal())["error"] == "invalid_trigger_id"
    other_app = emu.create_app(name="Other")
    theirs = triggers.mint(emu, ADA, other_app["app_id"])
    assert call(client, "views.open", bot, trigger_id=theirs, view=modal())["error"] == "invalid_trigger_id"


def test_push_without_an_open_modal_and_bad_views(emu, client, bot, app_id):
    assert call(client, "views.push", bot, trigger_id=trigger(emu, app_id), view=modal())["error"] == "not_found"
    bad = call(client, "views.open", bot, trigger_id=trigger(emu, app_id), view={"type": "modal", "blocks": []})
    assert bad["error"] == "invalid_arguments" and "title" in bad["response_metadata"]["messages"][0]
    long_title = call(client, "views.open", bot, trigger_id=trigger(emu, app_id), view=modal("x" * 25))
    assert long_title["error"] == "invalid_arguments"
    home = call(client, "views.open", bot, trigger_id=trigger(emu, app_id), view={"type": "home", "blocks": []})
    assert home["error"] == "invalid_arguments"


def test_external_id_must_be_unique_and_can_address_an_update(emu, client, bot, app_id):
    call(client, "views.open", bot, trigger_id=trigger(emu, app_id), view=modal(external_id="ext-1"))
    dup = call(client, "views.push", bot, trigger_id=trigger(emu, app_id), view=modal(external_id="ext-1"))
    assert dup["error"] == "duplicate_external_id"
    updated = call(client, "views.update", bot, external_id="ext-1", view=modal("By external id"))
    assert updated["view"]["title"]["text"] == "By external id" and updated["view"]["external_id"] == ""


def test_publish_home_keeps_its_id_and_checks_the_hash(emu, client, bot, app_id):
    home = {"type": "home", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}]}
    first = call(client, "views.publish", bot, user_id=ADA, view=home)["view"]
    assert first["type"] == "home" and views.home(emu, app_id, ADA)["id"] == first["id"]
    second = call(client, "views.publish", bot, user_id=ADA, view=home, hash=first["hash"])["view"]
    assert second["id"] == first["id"] and second["hash"] != first["hash"]
    assert call(client, "views.publish", bot, user_id=ADA, view=home, hash=first["hash"])["error"] == ("hash_conflict")
    assert call(client, "views.publish", bot, user_id="U_NOPE", view=home)["error"] == "user_not_found"
    assert call(client, "views.publish", bot, user_id=ADA, view=modal())["error"] == "invalid_arguments"
    assert views.home(emu, app_id, "U0EMU00002") is None
