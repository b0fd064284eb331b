"""A template's public URL is checked as typed and in --var; manifest validate warns about http:// request URLs and
doubled slashes (issue 19, item 7)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.commands.create.test_create_interactive import CLEAR_LINE, ENTER, env, finish, spawn, work

__all__ = ["env", "work"]  # fixtures


def test_the_url_question_refuses_http_and_a_trailing_slash_as_typed(work: Path, env: dict[str, str]):
    child = spawn(["create", "url-app", "-t", "bolt-python-http", "-d", "x", "--no-install", "--no-git"], work, env)
    child.expect("Public HTTPS URL")
    child.send(CLEAR_LINE + "http://bot.example.com/" + ENTER)
    child.expect("must be an https:// URL")
    child.send(CLEAR_LINE + "https://bot.example.com/" + ENTER)
    child.expect("end with '/'")
    child.send(CLEAR_LINE + "https://bot.example.com" + ENTER)
    assert finish(child) == 0, child.before
    manifest = json.loads((work / "url-app" / "manifest.json").read_text())
    assert manifest["settings"]["event_subscriptions"]["request_url"] == "https://bot.example.com/slack/events"


def test_a_var_with_a_trailing_slash_is_exit_2(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli(
        "create",
        "app",
        "-t",
        "bolt-python-http",
        "--var",
        "public_url=http://bot.example.com/",
        "--no-install",
        "--no-git",
    )
    assert result.exit_code == 2
    assert "public_url must be an https:// URL" in result.stderr and not (tmp_path / "app").exists()


def test_manifest_validate_warns_on_http_and_double_slashes(cli, tmp_path, monkeypatch):
    manifest = {
        "display_information": {"name": "w"},
        "features": {"bot_user": {"display_name": "w"}},
        "oauth_config": {
            "redirect_urls": ["http://localhost:3000/cb", "http://bot.example.com/cb"],
            "scopes": {"bot": ["chat:write"]},
        },
        "settings": {
            "event_subscriptions": {
                "request_url": "http://bot.example.com//slack/events",
                "bot_events": ["app_mention"],
            }
        },
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest, indent=2))
    monkeypatch.chdir(tmp_path)
    result = cli("manifest", "validate")
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert any("/settings/event_subscriptions/request_url" in w and "http://" in w for w in warnings)
    assert any("/settings/event_subscriptions/request_url" in w and "'//'" in w for w in warnings)
    assert any("/oauth_config/redirect_urls/1" in w for w in warnings)
    assert not any("/oauth_config/redirect_urls/0" in w for w in warnings)  # http://localhost is fine there
