"""The driver's CLI verbs against a running emulator over the control surface (JSON on stdout, exit codes)."""

from __future__ import annotations

import json
from typing import Any

from slackctl.emulator import start_emulator

SOCKET_APP = {"display_information": {"name": "Quiet"}, "oauth_config": {"scopes": {"bot": ["channels:history"]}},
              "settings": {
    "socket_mode_enabled": True, "event_subscriptions": {"bot_events": ["message.channels"]}}}


def test_post_prints_the_message_and_messages_lists_it(cli: Any) -> None:
    with start_emulator() as emu:
        out = cli("emulator", "post", "#general", "hi there", "--as", "grace", "--slack-url", emu.url)
        assert out.exit_code == 0, out.output
        message = json.loads(out.stdout)
        assert message["text"] == "hi there" and message["user"] == "U0EMU00002" and message["ts"]
        listed = cli("emulator", "messages", "general", "--slack-url", emu.url)
        lines = [json.loads(line) for line in listed.stdout.splitlines()]
        assert [m["text"] for m in lines] == ["hi there"]


def test_a_dm_with_the_app_by_its_name(cli: Any) -> None:
    with start_emulator() as emu:
        out = cli("emulator", "post", "@grace", "psst", "--slack-url", emu.url)
        assert out.exit_code == 0, out.output
        assert json.loads(out.stdout)["channel"].startswith("D")


def test_an_app_that_never_acknowledges_is_exit_1_with_a_clear_message(cli: Any) -> None:
    with start_emulator(manifests=[SOCKET_APP]) as emu:
        emu.deliveries.ack_timeout = 0.2  # the app is not even connected: no need to wait Slack's 3 s
        out = cli("emulator", "post", "#general", "anyone?", "--slack-url", emu.url)
        assert out.exit_code == 1
        assert "did not acknowledge" in out.output and "Traceback" not in out.output


def test_an_unknown_user_is_a_usage_error(cli: Any) -> None:
    with start_emulator() as emu:
        out = cli("emulator", "post", "#general", "x", "--as", "nobody", "--slack-url", emu.url)
        assert out.exit_code == 2 and "no user 'nobody'" in out.output


def test_no_emulator_is_a_network_error(cli: Any) -> None:
    out = cli("emulator", "views", "--slack-url", "http://127.0.0.1:9")
    assert out.exit_code == 3 and "cannot reach the emulator" in out.output


def test_the_apps_endpoint_lists_manifest_apps_with_their_credentials(cli: Any) -> None:
    import httpx

    with start_emulator(manifests=[SOCKET_APP]) as emu:
        apps = httpx.get(f"{emu.url}/_emulator/apps").json()["apps"]
        (quiet,) = [a for a in apps if a["name"] == "Quiet"]
        assert set(quiet) >= {"app_id", "name", "bot_user_id", "bot_token", "app_token", "signing_secret",
                              "client_id", "client_secret"}
        assert quiet["bot_token"].startswith("xoxb-") and quiet["app_token"].startswith("xapp-")
        with emu.world.lock:
            assert quiet["bot_user_id"] in emu.world.channels["C0EMU00001"]["members"]
            assert emu.world.tokens[quiet["app_token"]]["scopes"] == ["connections:write"]
