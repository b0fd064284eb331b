"""The packaged method catalog: generated from the reference facts in tests/data by our script, and what it answers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from slackctl.slack import catalog
from slackctl.slack.reads import is_read_method

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIR = ROOT / "tests" / "data" / "slack-methods"
# The main source and the supplement of methods it lacks (workflows.triggers.*), merged by the generator.
SOURCES = [SOURCE_DIR / "slack-methods.json", SOURCE_DIR / "workflows-triggers.json"]


def test_packaged_catalog_is_what_the_generator_makes(tmp_path):
    out = tmp_path / "methods.json"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_catalog.py"), *map(str, SOURCES), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    assert out.read_text(encoding="utf-8") == catalog.CATALOG_FILE.read_text(encoding="utf-8")


def test_every_source_method_is_in_the_catalog_with_its_facts():
    source = {}
    for path in SOURCES:
        source.update(json.loads(path.read_text(encoding="utf-8"))["methods"])
    assert sorted(catalog.names()) == sorted(source)
    for name, spec in source.items():
        info = catalog.get(name)
        assert info is not None
        assert info.http_method == spec["http_method"]
        assert info.json_body == spec["json_body"]
        assert set(info.required) == {a for a, s in spec["args"].items() if s["required"] and a != "token"}
        assert info.auth == ("token" in spec["args"])


def test_catalog_is_compact_and_not_a_copy_of_the_source():
    text = catalog.CATALOG_FILE.read_text(encoding="utf-8")
    assert "  " not in text  # no indentation
    assert "rate_tier" not in text and "http_method" not in text  # our own shape, not the source's


def test_chat_post_message_facts():
    info = catalog.get("chat.postMessage")
    assert info is not None
    assert info.http_method == "POST" and info.json_body
    assert "channel" in info.required and "text" in info.optional
    assert info.scopes["bot"] == ["chat:write"]
    assert info.token_preference[0] == "bot"
    assert not info.is_read
    assert info.docs_url == "https://docs.slack.dev/reference/methods/chat.postMessage"


def test_reads_and_writes():
    assert catalog.get("users.list").is_read  # GET
    assert catalog.get("conversations.history").is_read
    assert catalog.get("auth.test").is_read
    assert not catalog.get("chat.delete").is_read
    assert not catalog.get("oauth.v2.access").is_read  # a code is single-use: never repeated


def test_a_write_slack_documents_as_get_is_not_a_read():
    for name in ("admin.emoji.add", "auth.revoke", "files.remote.share", "users.deletePhoto"):
        info = catalog.get(name)
        assert info is not None and info.http_method == "GET" and not info.is_read, name
    for name in ("search.messages", "conversations.members", "users.conversations", "team.billableInfo"):
        assert catalog.get(name).is_read, name  # reads whose names do not say so
    assert is_read_method("workflows.someday.list") and not is_read_method("workflows.someday.run")


def test_token_preference_follows_scopes():
    assert catalog.get("search.messages").token_preference[0] == "user"  # user scopes only
    assert catalog.get("apps.manifest.create").token_preference == ("config",)
    assert catalog.get("apps.connections.open").token_preference == ("app",)
    assert not catalog.get("oauth.v2.access").auth


def test_tiers_and_deprecation():
    assert catalog.get("users.list").tier_label == "Tier 2"
    assert catalog.get("chat.postMessage").tier_label == "Special"
    assert catalog.get("stars.list").deprecated


def test_did_you_mean():
    assert catalog.suggest("chat.postMesage")[0] == "chat.postMessage"
    assert "chat.postMessage" in catalog.suggest("postMessage")
    assert catalog.suggest("zzzzzz.qqqqq") == []


def test_groups_and_completion():
    chat = [m.name for m in catalog.in_group("chat")]
    assert "chat.postMessage" in chat and all(n.startswith("chat.") for n in chat)
    assert all(m.name.startswith("admin.users.") for m in catalog.in_group("admin.users"))
    assert "chat" in catalog.groups()
    assert catalog.complete("conversations.hi") == ["conversations.history"]


def test_the_generator_refuses_a_method_named_in_two_sources(tmp_path):
    extra = tmp_path / "extra.json"
    extra.write_text(json.dumps({"methods": {"chat.postMessage": {"args": {}, "http_method": "POST"}}}))
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "gen_catalog.py"),
            str(SOURCES[0]),
            str(extra),
            "--out",
            str(tmp_path / "out.json"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "chat.postMessage" in done.stderr
    assert not (tmp_path / "out.json").exists()


def test_workflow_trigger_methods_have_slacks_facts():
    create = catalog.get("workflows.triggers.create")
    assert create is not None and create.json_body
    assert set(create.required) == {"type", "name", "workflow"}
    assert {"inputs", "shortcut", "webhook", "schedule", "event", "workflow_app_id"} <= set(create.optional)
    assert create.scopes == {"bot": ["triggers:write"], "user": ["triggers:write"]}
    assert "invalid_trigger_inputs" in create.errors and "workflow_not_found" in create.errors
    assert catalog.get("workflows.triggers.info").scopes["bot"] == ["triggers:read"]
    assert catalog.get("workflows.triggers.list").paginated
    assert set(catalog.get("workflows.triggers.delete").required) == {"trigger_id"}
    for name in (
        "workflows.triggers.update",
        "workflows.triggers.permissions.set",
        "functions.completeSuccess",
        "functions.completeError",
        "functions.distributions.permissions.add",
        "apps.datastore.query",
        "apps.datastore.bulkPut",
        "apps.activities.list",
    ):
        assert catalog.get(name) is not None, name
    assert catalog.get("apps.activities.list").scopes == {"user": ["hosting:read"]}
