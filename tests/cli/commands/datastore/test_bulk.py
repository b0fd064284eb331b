"""`slackctl datastore` bulk verbs and paging: batches of 25, a partial_failure resent, JSON lines in and out."""

from __future__ import annotations

import json

from tests.cli.commands.datastore.conftest import stored


def lines(*values: object) -> str:
    return "".join(json.dumps(v) + "\n" for v in values)


def test_bulk_put_from_stdin_goes_in_batches_of_25(cli, emulator, tasks_app, ds_env):
    items = [{"id": f"t{n:03d}", "points": n} for n in range(60)]
    result = cli("datastore", "bulk-put", "--datastore", "tasks", input=lines(*items), env=ds_env)
    assert result.exit_code == 0, result.stderr
    assert "stored 60 in tasks" in result.stderr
    assert [len(r["body"]["items"]) for r in emulator.requests("apps.datastore.bulkPut")] == [25, 25, 10]
    assert len(stored(emulator, tasks_app)) == 60


def test_a_partial_failure_is_sent_again_until_it_goes_through(cli, emulator, tasks_app, ds_env):
    emulator.inject_fault("apps.datastore.bulkPut", "partial")
    items = [{"id": str(n), "title": f"task {n}"} for n in range(4)]
    result = cli("datastore", "bulk-put", json.dumps({"datastore": "tasks", "items": items}), env=ds_env)
    assert result.exit_code == 0, result.stderr
    assert "partial_failure: sending 2 items again" in result.stderr
    first, second = emulator.requests("apps.datastore.bulkPut")
    assert first["body"]["items"] == items and second["body"]["items"] == items[2:]
    assert sorted(stored(emulator, tasks_app)) == ["0", "1", "2", "3"]


def test_items_still_failing_after_retries_are_printed_and_exit_1(cli, emulator, tasks_app, ds_env, tmp_path):
    emulator.inject_fault("apps.datastore.bulkPut", "partial", count=10)
    path = tmp_path / "items.jsonl"
    path.write_text(lines({"id": "a"}, {"id": "b"}))
    result = cli("datastore", "bulk-put", '{"datastore": "tasks"}', "--from-file", str(path), env=ds_env)
    assert result.exit_code == 1
    assert [json.loads(line) for line in result.stdout.splitlines()] == [{"id": "b"}]
    assert "1 still failed after 4 attempts" in result.stderr
    assert list(stored(emulator, tasks_app)) == ["a"]
    assert len(emulator.requests("apps.datastore.bulkPut")) == 4


def test_bulk_get_and_bulk_delete_take_query_output(cli, emulator, tasks_app, ds_env):
    cli(
        "datastore",
        "bulk-put",
        '{"datastore": "tasks"}',
        input=lines(*({"id": str(n), "status": "open" if n % 2 else "closed"} for n in range(6))),
        env=ds_env,
    )
    got = cli("datastore", "bulk-get", '{"datastore": "tasks", "ids": ["1", "nope", "3"]}', env=ds_env)
    assert got.exit_code == 0, got.stderr
    assert [i["id"] for i in json.loads(got.stdout)] == ["1", "3"]
    closed = cli(
        "datastore",
        "query",
        json.dumps(
            {
                "datastore": "tasks",
                "expression": "#s = :s",
                "expression_attributes": {"#s": "status"},
                "expression_values": {":s": "closed"},
            }
        ),
        "--jsonl",
        env=ds_env,
    )
    deleted = cli("datastore", "bulk-delete", "--datastore", "tasks", input=closed.stdout, env=ds_env)
    assert deleted.exit_code == 0, deleted.stderr
    (req,) = emulator.requests("apps.datastore.bulkDelete")
    assert req["body"]["ids"] == ["0", "2", "4"]
    assert sorted(stored(emulator, tasks_app)) == ["1", "3", "5"]


def test_query_jsonl_pages_through_everything(cli, emulator, tasks_app, ds_env):
    items = [{"id": f"t{n:03d}", "points": n} for n in range(250)]
    cli("datastore", "bulk-put", '{"datastore": "tasks"}', input=lines(*items), env=ds_env)
    emulator.clear_requests()
    body = {
        "datastore": "tasks",
        "limit": 40,
        "expression": "#p >= :min",
        "expression_attributes": {"#p": "points"},
        "expression_values": {":min": 100},
    }
    result = cli("datastore", "query", json.dumps(body), "--jsonl", env=ds_env)
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["points"] for line in result.stdout.splitlines()] == list(range(100, 250))
    pages = emulator.requests("apps.datastore.query")
    assert len(pages) == 7  # 250 items looked at, 40 a page
    assert "cursor" not in pages[0]["body"] and all(p["body"]["cursor"] for p in pages[1:])


def test_one_query_page_says_how_to_get_the_next(cli, emulator, tasks_app, ds_env):
    cli("datastore", "bulk-put", '{"datastore": "tasks"}', input=lines(*({"id": str(n)} for n in range(5))), env=ds_env)
    page = cli("datastore", "query", '{"datastore": "tasks", "limit": 2}', env=ds_env)
    assert [i["id"] for i in json.loads(page.stdout)] == ["0", "1"]
    assert 'more pages: add "cursor"' in page.stderr
    answer = json.loads(cli("datastore", "query", '{"datastore": "tasks", "limit": 2}', "--json", env=ds_env).stdout)
    nxt = cli(
        "datastore",
        "query",
        json.dumps({"datastore": "tasks", "limit": 2, "cursor": answer["response_metadata"]["next_cursor"]}),
        env=ds_env,
    )
    assert [i["id"] for i in json.loads(nxt.stdout)] == ["2", "3"]


def test_query_jsonl_into_a_closed_pipe_stops_quietly(emulator, tasks_app, slackctl_env):
    import os
    import subprocess
    import sys

    items = [{"id": f"t{n:03d}"} for n in range(300)]
    emulator.world.datastores.setdefault(tasks_app["app_id"], {})["tasks"] = {i["id"]: i for i in items}
    env = {**os.environ, "SLACK_BOT_TOKEN": tasks_app["bot_token"]}
    proc = subprocess.run(
        [
            "bash",
            "-o",
            "pipefail",
            "-c",
            f'{sys.executable} -m slackctl datastore query \'{{"datastore": "tasks", "limit": 10}}\''
            " --jsonl | head -n 3",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.stdout.splitlines() == ['{"id":"t000"}', '{"id":"t001"}', '{"id":"t002"}']
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert len(emulator.requests("apps.datastore.query")) < 30  # it stopped, not read all 30 pages


def test_items_slack_refuses_are_set_aside_and_the_rest_stored(cli, emulator, tasks_app, ds_env):
    items = [{"id": "1", "points": 1}, {"id": "2", "points": "two"}, {"id": "3", "colour": "red"}, {"id": "4"}]
    result = cli("datastore", "bulk-put", '{"datastore": "tasks"}', input=lines(*items), env=ds_env)
    assert result.exit_code == 1
    assert sorted(stored(emulator, tasks_app)) == ["1", "4"]
    assert [json.loads(line) for line in result.stdout.splitlines()] == [items[1], items[2]]
    assert "attribute_type_mismatch at /items/1/points" in result.stderr
    assert "unknown_attribute at /items/2/colour" in result.stderr
    first, second = emulator.requests("apps.datastore.bulkPut")
    assert second["body"]["items"] == [items[0], items[3]]  # the batch again, without the refused items
