"""The driver's CLI verbs against a running emulator over the control surface (JSON on stdout, exit codes)."""

from __future__ import annotations

import json
from typing import Any

from slackctl.emulator import start_emulator

SOCKET_APP = {
    "display_information": {"name": "Quiet"},
    "oauth_config": {"scopes": {"bot": ["channels:history"]}},
    "settings": {"socket_mode_enabled": True, "event_subscriptions": {"bot_events": ["message.channels"]}},
}


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
        out = cli("emulator", "post", "#general", "anyone?", "--expect-ack", "--slack-url", emu.url)
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
        assert set(quiet) >= {
            "app_id",
            "name",
            "bot_user_id",
            "bot_token",
            "app_token",
            "signing_secret",
            "client_id",
            "client_secret",
        }
        assert quiet["bot_token"].startswith("xoxb-") and quiet["app_token"].startswith("xapp-")
        with emu.world.lock:
            assert quiet["bot_user_id"] in emu.world.channels["C0EMU00001"]["members"]
            assert emu.world.tokens[quiet["app_token"]]["scopes"] == ["connections:write"]


def test_start_with_a_yaml_manifest_installs_the_app_and_the_verbs_drive_it(tmp_path: Any, run_slackctl: Any) -> None:
    import signal

    import httpx

    from tests.cli.commands.emulator.test_start import _readline, _start, _stop

    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(
        "display_information:\n  name: Yammy\nfeatures:\n  bot_user:\n    display_name: yammy\n"
        "settings:\n  socket_mode_enabled: true\n",
        encoding="utf-8",
    )
    proc = _start("--port", "0", "--manifest", str(manifest), "--socket-refresh", "3600")
    try:
        url = _readline(proc)
        (app,) = [a for a in httpx.get(f"{url}/_emulator/apps").json()["apps"] if a["name"] == "Yammy"]
        out = run_slackctl("emulator", "post", "@yammy", "hello yammy", "--slack-url", url)
        assert out.exit_code == 0, out.output
        assert json.loads(out.stdout)["channel"].startswith("D")
        err = _stop(proc, signal.SIGTERM)
    finally:
        proc.kill()
    assert f"app            Yammy ({app['app_id']}" in err
    assert app["app_token"] in err and app["bot_token"] in err and app["signing_secret"] in err


def test_start_with_an_invalid_manifest_is_exit_2_naming_the_problem(tmp_path: Any, run_slackctl: Any) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"display_information": {}}', encoding="utf-8")
    out = run_slackctl("emulator", "start", "--port", "0", "--manifest", str(bad))
    assert out.exit_code == 2 and f"manifest {bad} is invalid" in out.stderr
    missing = run_slackctl("emulator", "start", "--port", "0", "--manifest", str(tmp_path / "nope.json"))
    assert missing.exit_code == 2 and "cannot read manifest" in missing.stderr


def test_apps_from_apps_manifest_create_are_installed_and_verified_on_update() -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from slackctl.emulator.driver.waiting import wait_for

    challenges: list[dict[str, Any]] = []

    class Echo(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            challenges.append(body)
            data = json.dumps({"challenge": body["challenge"]}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/events"
    try:
        with start_emulator() as emu:
            from slack_sdk import WebClient

            config = emu.mint_token("config")["token"]
            client = WebClient(token=config, base_url=emu.url + "/api/")
            manifest = {
                "display_information": {"name": "Deployed"},
                "oauth_config": {"scopes": {"bot": ["channels:history"]}},
                "settings": {"event_subscriptions": {"request_url": url, "bot_events": ["message.channels"]}},
            }
            app_id = client.apps_manifest_create(manifest=manifest)["app_id"]
            (listed,) = [a for a in emu.apps() if a["app_id"] == app_id]
            assert listed["bot_token"].startswith("xoxb-") and listed["app_token"].startswith("xapp-")
            with emu.world.lock:
                assert listed["bot_user_id"] in emu.world.channels["C0EMU00002"]["members"]
            client.apps_manifest_update(app_id=app_id, manifest=manifest)

            def both_acked() -> list[dict[str, Any]] | None:
                acked = [d for d in emu.deliveries_log(app_id, "url_verification") if d["status"] == "acked"]
                return acked if len(acked) == 2 else None

            assert wait_for(emu, both_acked, what="two url_verifications")
            assert len(challenges) == 2 and all(c["type"] == "url_verification" for c in challenges)
    finally:
        server.shutdown()


def test_reset_keeps_the_start_up_apps_with_the_same_credentials() -> None:
    with start_emulator(manifests=[SOCKET_APP]) as emu:
        before = [a for a in emu.apps() if a["name"] == "Quiet"]
        emu.reset()
        after = [a for a in emu.apps() if a["name"] == "Quiet"]
        assert before == after and len(after) == 1
        with emu.world.lock:
            assert emu.world.tokens[after[0]["bot_token"]]["app_id"] == after[0]["app_id"]


def test_views_prints_home_and_modals_and_submit_values_are_checked(cli: Any) -> None:
    from slackctl.emulator.world import views

    with start_emulator(manifests=[SOCKET_APP]) as emu:
        app_id = next(a["app_id"] for a in emu.apps() if a["name"] == "Quiet")
        modal = views.open(
            emu, app_id, "U0EMU00002", {"type": "modal", "title": {"type": "plain_text", "text": "Hi"}, "blocks": []}
        )
        out = cli("emulator", "views", "--as", "grace", "--slack-url", emu.url)
        assert out.exit_code == 0, out.output
        assert json.loads(out.stdout) == {
            "home": None,
            "modals": [json.loads(json.dumps(modal))],
            "assistant_threads": [],
        }
        bad = cli("emulator", "submit", modal["id"], "--value", "no-equals-sign", "--slack-url", emu.url)
        assert bad.exit_code == 2 and "BLOCK_ID.ACTION_ID=VALUE" in bad.output
        unknown = cli("emulator", "submit", modal["id"], "--value", "b.a=x", "--as", "grace", "--slack-url", emu.url)
        assert unknown.exit_code == 2 and "the view has no input 'b.a'" in unknown.output


def test_start_notes_a_failed_url_verification_on_stderr_and_keeps_serving(tmp_path: Any) -> None:
    import queue
    import threading

    import httpx

    from tests.cli.commands.emulator.test_start import _readline, _start

    manifest = tmp_path / "gone.json"
    manifest.write_text(
        json.dumps(
            {
                "display_information": {"name": "Gone"},
                "oauth_config": {"scopes": {"bot": ["channels:history"]}},
                "settings": {
                    "event_subscriptions": {"request_url": "http://127.0.0.1:9/x", "bot_events": ["message.channels"]}
                },
            }
        ),
        encoding="utf-8",
    )
    proc = _start("--port", "0", "--manifest", str(manifest))
    errors: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [errors.put(line) for line in proc.stderr], daemon=True).start()
    try:
        url = _readline(proc)
        note = ""
        while not note.startswith("note:"):  # the readiness line we wait for, with a timeout
            note = errors.get(timeout=20)
        assert "url_verification of http://127.0.0.1:9/x" in note and "connection_failed" in note
        assert httpx.post(f"{url}/api/api.test").json()["ok"] is True  # still serving
    finally:
        proc.kill()
        proc.wait(timeout=20)
