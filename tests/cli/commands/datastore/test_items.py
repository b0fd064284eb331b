"""`slackctl datastore` put/get/query/update/count/delete against the emulator over HTTP: one round trip of an
item, Slack's request bodies, and the errors a user meets (bad JSON, app not hosted, unknown datastore)."""

from __future__ import annotations

import json

from tests.cli.commands.datastore.conftest import TASKS, install, stored

OPEN = {"expression": "#s = :s", "expression_attributes": {"#s": "status"}, "expression_values": {":s": "open"}}


def arg(**body: object) -> str:
    return json.dumps({"datastore": "tasks", **body})


def test_an_item_round_trips_through_put_get_query_update_count_delete(cli, emulator, tasks_app, ds_env):
    put = cli(
        "datastore", "put", arg(item={"id": "1", "title": "Write docs", "status": "open", "points": 3}), env=ds_env
    )
    assert put.exit_code == 0, put.stderr
    assert json.loads(put.stdout) == {"id": "1", "title": "Write docs", "status": "open", "points": 3}
    assert "stored in tasks" in put.stderr
    (req,) = emulator.requests("apps.datastore.put")
    assert req["body"] == {
        "datastore": "tasks",
        "item": {"id": "1", "title": "Write docs", "status": "open", "points": 3},
    }
    cli("datastore", "put", arg(item={"id": "2", "title": "Review", "status": "closed"}), env=ds_env)

    got = cli("datastore", "get", "--datastore", "tasks", '{"id": "1"}', "--json", env=ds_env)
    assert json.loads(got.stdout) == {
        "ok": True,
        "datastore": "tasks",
        "item": {"id": "1", "title": "Write docs", "status": "open", "points": 3},
    }

    query = cli("datastore", "query", arg(**OPEN), env=ds_env)
    assert query.exit_code == 0, query.stderr
    assert [i["id"] for i in json.loads(query.stdout)] == ["1"]

    updated = cli("datastore", "update", arg(item={"id": "1", "status": "closed"}), env=ds_env)
    assert json.loads(updated.stdout) == {"id": "1", "title": "Write docs", "status": "closed", "points": 3}
    assert stored(emulator, tasks_app)["1"]["status"] == "closed"

    count = cli("datastore", "count", arg(**OPEN), env=ds_env)
    assert (count.exit_code, count.stdout.strip()) == (0, "0")
    assert cli("datastore", "count", arg(), env=ds_env).stdout.strip() == "2"

    deleted = cli("datastore", "delete", arg(id="1"), env=ds_env)
    assert deleted.exit_code == 0 and "deleted '1' from tasks" in deleted.stderr
    gone = cli("datastore", "get", arg(id="1"), env=ds_env)
    assert (gone.exit_code, gone.stdout, gone.stderr.strip()) == (0, "", "no item '1' in tasks")
    assert list(stored(emulator, tasks_app)) == ["2"]


def test_put_replaces_the_whole_item(cli, emulator, tasks_app, ds_env):
    cli("datastore", "put", arg(item={"id": "1", "title": "Write docs", "points": 3}), env=ds_env)
    assert cli("datastore", "put", arg(item={"id": "1", "title": "Docs"}), env=ds_env).exit_code == 0
    assert stored(emulator, tasks_app)["1"] == {"id": "1", "title": "Docs"}


def test_a_bad_json_argument_is_one_line_and_exit_2(cli, emulator, ds_env):
    result = cli("datastore", "put", '{"datastore": "tasks", "item": ', env=ds_env)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "not valid JSON" in result.stderr and "Traceback" not in result.stderr
    assert emulator.requests("apps.datastore.put") == []


def test_a_missing_item_or_datastore_is_a_usage_error(cli, ds_env):
    no_item = cli("datastore", "put", '{"datastore": "tasks"}', env=ds_env)
    assert no_item.exit_code == 2 and '"item"' in no_item.stderr
    no_store = cli("datastore", "get", '{"id": "1"}', env=ds_env)
    assert no_store.exit_code == 2 and "--datastore" in no_store.stderr


def test_an_app_not_on_slacks_runtime_gets_app_not_hosted(cli, emulator, slackctl_env):
    bolt = install(
        emulator, {**TASKS, "display_information": {"name": "Bolt"}, "settings": {"function_runtime": "remote"}}
    )
    result = cli("datastore", "get", arg(id="1"), env={"SLACK_BOT_TOKEN": bolt["bot_token"]})
    assert result.exit_code == 1
    assert "apps.datastore.get failed: app_not_hosted" in result.stderr
    assert "function_runtime: slack" in result.stderr


def test_an_unknown_datastore_is_slacks_datastore_error(cli, ds_env):
    result = cli("datastore", "query", '{"datastore": "todos"}', env=ds_env)
    assert result.exit_code == 1
    assert "datastore_error" in result.stderr and "datastore_config_not_found at /datastores" in result.stderr


def test_an_item_of_the_wrong_type_names_the_attribute(cli, ds_env):
    result = cli("datastore", "put", arg(item={"id": "1", "points": "three"}), env=ds_env)
    assert result.exit_code == 1
    assert "attribute_type_mismatch at /item/points" in result.stderr


def test_a_user_token_needs_the_app(cli, emulator, tasks_app, mint):
    user = mint("user", scopes=["datastore:read"])["token"]
    refused = cli("datastore", "count", arg(), env={"SLACK_TOKEN": user})
    assert refused.exit_code == 2 and "--app" in refused.stderr
    cli("datastore", "put", arg(item={"id": "1"}), env={"SLACK_BOT_TOKEN": tasks_app["bot_token"]})
    counted = cli("datastore", "count", arg(), "--app", tasks_app["app_id"], env={"SLACK_TOKEN": user})
    assert (counted.exit_code, counted.stdout.strip()) == (0, "1"), counted.stderr
    (req,) = emulator.requests("apps.datastore.count")[-1:]
    assert req["body"]["app_id"] == tasks_app["app_id"]


def test_a_dropped_connection_is_retried_because_a_put_is_idempotent(cli, emulator, tasks_app, ds_env):
    emulator.inject_fault("apps.datastore.put", "drop")
    result = cli("datastore", "put", arg(item={"id": "1", "title": "again"}), env=ds_env)
    assert result.exit_code == 0, result.stderr
    assert len(emulator.requests("apps.datastore.put")) == 2
    assert stored(emulator, tasks_app) == {"1": {"id": "1", "title": "again"}}


def test_in_a_deployed_project_the_profiles_bot_token_reaches_the_projects_app(
    cli, emulator, mint, tmp_path, monkeypatch
):
    from tests.cli.commands.deploy.helpers import config_login, make_project, the_app
    from tests.conftest import register_secret

    root = make_project(tmp_path / "tasks-app", TASKS)
    monkeypatch.chdir(root)
    config_login(cli, mint)
    deployed = cli("deploy", "--env", "dev")
    assert deployed.exit_code == 0, deployed.stderr
    app_id = the_app(root, "dev")["app_id"]
    (app,) = [a for a in emulator.apps() if a["app_id"] == app_id]
    register_secret(app["bot_token"])
    assert cli("auth", "login", "--with-token", input=app["bot_token"] + "\n").exit_code == 0

    result = cli("datastore", "put", arg(item={"id": "1", "title": "from the profile"}))
    assert result.exit_code == 0, result.stderr
    (req,) = emulator.requests("apps.datastore.put")
    assert req["body"]["app_id"] == app_id
    assert stored(emulator, app) == {"1": {"id": "1", "title": "from the profile"}}
    other = cli("datastore", "get", arg(id="1"), "--app", emulator.default_app["app_id"])
    assert other.exit_code == 1 and "invalid_app_id" in other.stderr
