"""Nothing leaves the machine (issue 24 item 13): the emulator delivers url_verification, events, commands and
interactions only to loopback and private addresses unless started with --allow-public-delivery; anything else is
journalled as not delivered, with the reason, and refused after resolving the host, before any connection.

The public destinations are IP literals (93.184.216.34) and a name that the resolver turns into that address with
no DNS (`1572395042`, the same address as one number): nothing would be sent anywhere even if the check failed on a
machine without a network, and on one with a network the journal's reason tells a refusal from a failed connect."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from slackctl.emulator import start_emulator
from slackctl.emulator.delivery.deliverer import deliver
from slackctl.emulator.delivery.outbound import check_destination, is_local_address
from slackctl.emulator.driver.waiting import wait_for
from slackctl.emulator.webapi.inproc import DriveError

PUBLIC_URLS = [
    "https://93.184.216.34/slack/events",
    "http://1572395042/slack/events",
    "http://[::ffff:93.184.216.34]:3000/slack/events",
    "http://[2606:2800:220:1::]/slack/events",
]


def manifest(url: str) -> dict[str, Any]:
    return {
        "display_information": {"name": "Public"},
        "features": {
            "bot_user": {"display_name": "public"},
            "slash_commands": [{"command": "/pub", "description": "x", "url": url}],
        },
        "oauth_config": {"scopes": {"bot": ["channels:history", "commands"]}},
        "settings": {
            "event_subscriptions": {"request_url": url, "bot_events": ["message.channels"]},
            "interactivity": {"is_enabled": True, "request_url": url},
        },
    }


def finished(emu: Any, kind: str) -> dict[str, Any]:
    return wait_for(
        emu,
        lambda: next((e for e in emu.deliveries_log(kind=kind) if e["status"] not in ("pending", "retrying")), None),
        what=kind,
    )


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_url_verification_to_a_public_address_is_not_delivered(url: str) -> None:
    with start_emulator(manifests=[manifest(url)]) as emu:
        entry = finished(emu, "url_verification")
    assert entry["status"] == "not_delivered"
    (attempt,) = entry["attempts"]
    assert attempt["ok"] is False and attempt["detail"].startswith("public_address: ")
    assert "--allow-public-delivery" in attempt["detail"]
    assert "93.184.216.34" in attempt["detail"] or "2606:2800:220:1::" in attempt["detail"]
    assert attempt["latency"] < 0.5  # refused after resolving: no connect, no TLS handshake, no 3 s timeout


def test_events_commands_and_interactions_to_a_public_address_are_not_delivered_nor_retried() -> None:
    with start_emulator(manifests=[manifest(PUBLIC_URLS[1])], time_scale=1000) as emu:
        app = next(a for a in emu.apps() if a["name"] == "Public")
        posted = emu.user("ada").post("#general", "goes nowhere")  # posted: the deliveries say why none arrived
        (delivery,) = posted["deliveries"]
        assert delivery["status"] == "failed" and "not a loopback or private address" in delivery["error"]
        # the driver says why the app never answered
        with pytest.raises(DriveError, match="not a loopback or private address.*--allow-public-delivery"):
            emu.user("ada").post("#general", "goes nowhere either", expect_ack=True)
        event = finished(emu, "events_api")
        command = deliver(emu, app["app_id"], "slash_commands", {"command": "/pub", "text": ""})
        click = deliver(emu, app["app_id"], "interactive", {"type": "block_actions", "actions": []})
    assert event["status"] == "not_delivered" and event["error"] == "public_address"  # (the first post's)
    assert len(event["attempts"]) == 1  # a retry could never succeed, so none is scheduled
    assert (command.ok, command.error, click.ok, click.error) == (False, "public_address", False, "public_address")


def test_with_allow_public_delivery_the_check_is_skipped() -> None:
    for url in PUBLIC_URLS:
        check_destination(url, allow_public=True)  # returns: the transport would then connect
    with start_emulator(allow_public_delivery=True) as emu:
        assert emu.allow_public_delivery is True


def _url_verification_by_emulator_start(tmp_path: Path, *flags: str) -> dict[str, Any]:
    """`slackctl emulator start FLAGS --manifest` (an app at 192.0.2.1, TEST-NET-1: never routed, RFC 5737) in its
    own process; the journal entry of the app's url_verification once it finished."""
    (tmp_path / "app.json").write_text(json.dumps(manifest("http://192.0.2.1/slack/events")))
    env = {**os.environ, "SLACKCTL_CONFIG_DIR": str(tmp_path / "config"), "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "slackctl",
            "emulator",
            "start",
            "--port",
            "0",
            *flags,
            "--manifest",
            str(tmp_path / "app.json"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        deadline = time.monotonic() + 10
        while True:
            entries = httpx.get(f"{url}/_emulator/deliveries", params={"kind": "url_verification"}).json()
            done = [e for e in entries["deliveries"] if e["status"] not in ("pending", "retrying")]
            if done:
                return done[0]
            assert time.monotonic() < deadline, entries
            time.sleep(0.05)
    finally:
        proc.kill()
        proc.wait(10)


def test_emulator_start_refuses_a_public_address_unless_allow_public_delivery(tmp_path: Path) -> None:
    refused = _url_verification_by_emulator_start(tmp_path)
    assert refused["status"] == "not_delivered" and refused["attempts"][0]["detail"].startswith("public_address")
    # With the flag the emulator tries: a connection to an address that goes nowhere fails (or times out).
    tried = _url_verification_by_emulator_start(tmp_path, "--allow-public-delivery")
    assert tried["status"] == "failed"
    assert tried["attempts"][0]["detail"].startswith(("connection_failed", "http_timeout"))


@pytest.mark.parametrize(
    "ip",
    [
        "127.0.0.1",
        "127.8.9.10",
        "::1",
        "10.1.2.3",
        "172.16.0.1",
        "172.31.255.254",
        "192.168.1.20",
        "fd12:3456::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
    ],
)
def test_loopback_and_private_addresses_are_local(ip: str) -> None:
    assert is_local_address(ip)


@pytest.mark.parametrize(
    "ip",
    [
        "93.184.216.34",
        "8.8.8.8",
        "172.32.0.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "fe80::1%eth0",
        "2606:2800:220:1::",
        "::ffff:8.8.8.8",
    ],
)
def test_public_link_local_and_odd_addresses_are_not_local(ip: str) -> None:
    assert not is_local_address(ip)


def test_localhost_by_name_is_allowed_and_an_unresolvable_name_is_a_connection_failure() -> None:
    check_destination("http://localhost:3000/slack/events", allow_public=False)
    with pytest.raises(Exception) as err:
        check_destination("http://no-such-host.invalid/slack/events", allow_public=False)
    assert getattr(err.value, "reason", None) == "connection_failed"
