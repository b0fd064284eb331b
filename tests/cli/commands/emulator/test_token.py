"""`slackctl emulator token`: the one obvious way to get a token of a running emulator, a config token above all
(issue 23 item 4); `emulator start` names it and each app's bot user (item 7)."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Any

import httpx
import pytest

from slackctl.emulator import start_emulator
from tests.cli.commands.emulator.test_start import _readline, _start, _stop

MANIFEST = {
    "display_information": {"name": "Tokened"},
    "features": {"bot_user": {"display_name": "tokened"}},
    "oauth_config": {"scopes": {"bot": ["chat:write"]}},
    "settings": {"socket_mode_enabled": True},
}


def test_a_config_token_from_the_emulator_deploys_a_created_project(
    cli: Any, tmp_path: Path, monkeypatch: Any, emulator: Any
) -> None:
    out = cli("emulator", "token", allow_secrets=True)  # --kind config is the default; the URL from the env
    assert out.exit_code == 0, out.stderr
    token = out.stdout.strip()
    assert token.startswith("xoxe.xoxp-") and token not in out.stderr
    monkeypatch.chdir(tmp_path)
    created = cli("create", "tok-app", "-t", "bolt-python", "--no-install", "--no-git")
    assert created.exit_code == 0, created.stderr
    monkeypatch.chdir(Path(created.stdout.strip()))
    deployed = cli("deploy", "--yes", env={"SLACK_CONFIG_TOKEN": token}, allow_secrets=True)
    assert deployed.exit_code == 0, deployed.stderr
    assert any(a["name"] == "tok-app" for a in emulator.apps())


def test_bot_app_and_user_tokens_of_a_named_app_and_json(cli: Any) -> None:
    with start_emulator(manifests=[MANIFEST]) as emu:
        (app,) = [a for a in emu.apps() if a["name"] == "Tokened"]
        bot = cli("emulator", "token", "--kind", "bot", "--app", "Tokened", "--slack-url", emu.url, allow_secrets=True)
        assert bot.exit_code == 0 and bot.stdout.strip() == app["bot_token"]
        level = cli("emulator", "token", "--kind", "app", "--slack-url", emu.url, allow_secrets=True)
        assert level.stdout.strip() == app["app_token"]  # the manifest's app is the default
        user = cli("emulator", "token", "--kind", "user", "--slack-url", emu.url, allow_secrets=True)
        who = httpx.post(f"{emu.url}/api/auth.test", headers={"Authorization": f"Bearer {user.stdout.strip()}"})
        assert who.json()["user_id"] == "U0EMU00001"
        config = cli("emulator", "token", "--kind", "config", "--json", "--slack-url", emu.url, allow_secrets=True)
        data = json.loads(config.stdout)
        assert data["kind"] == "config" and data["token"].startswith("xoxe.xoxp-")
        assert data["refresh_token"].startswith("xoxe-") and data["expires_in"] > 0


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--kind", "admin"], "unknown --kind 'admin'"),
        (["--app", "Nope"], "the emulator has no app 'Nope'"),
        (["--slack-url", "https://slack.com"], "not from Slack itself"),
    ],
)
def test_bad_input_is_one_line_exit_2(cli: Any, args: list[str], fragment: str) -> None:
    out = cli("emulator", "token", *args)
    assert out.exit_code == 2 and fragment in out.stderr and out.stdout == ""


def test_start_names_the_token_command_and_each_app_s_bot_user(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps(MANIFEST), encoding="utf-8")
    proc = _start("--port", "0", "--manifest", str(manifest))
    try:
        url = _readline(proc)
        apps = httpx.get(f"{url}/_emulator/apps").json()["apps"]
        err = _stop(proc, signal.SIGTERM)
    finally:
        proc.kill()
    assert f"slackctl emulator token --kind config --slack-url {url}" in err
    for app in apps:
        assert f"bot user {app['bot_user_id']}" in err
