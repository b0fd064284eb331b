"""`events sign` / `events verify`: header lines slack_sdk accepts, exit 1 with a reason, secret never from argv."""

from __future__ import annotations

import time

from slack_sdk.signature import SignatureVerifier

from tests.conftest import register_secret

SECRET = "5d9a1c0e7b3f4a2e8c6d0b1a9f8e7d6c"
BODY = b'{"type":"event_callback","event":{"type":"app_mention","text":"hi"}}'


def _headers(stdout: str) -> dict[str, str]:
    lines = stdout.splitlines()
    assert len(lines) == 2, stdout
    return dict(line.split(": ", 1) for line in lines)


def test_sign_prints_the_two_headers_slack_sdk_accepts(cli) -> None:
    register_secret(SECRET)
    result = cli("events", "sign", "--timestamp", "1700000000", input=BODY, env={"SLACK_SIGNING_SECRET": SECRET})
    assert result.exit_code == 0, result.stderr
    hdrs = _headers(result.stdout)
    assert list(hdrs) == ["X-Slack-Request-Timestamp", "X-Slack-Signature"]
    assert hdrs["X-Slack-Request-Timestamp"] == "1700000000"
    verifier = SignatureVerifier(SECRET, clock=_Clock(1_700_000_030))
    assert verifier.is_valid(BODY, "1700000000", hdrs["X-Slack-Signature"])


def test_sign_defaults_to_now_and_signs_every_byte(cli) -> None:
    body = BODY + b"\n"  # the trailing newline is part of the body
    result = cli("events", "sign", input=body, env={"SLACK_SIGNING_SECRET": SECRET})
    hdrs = _headers(result.stdout)
    ts = int(hdrs["X-Slack-Request-Timestamp"])
    assert abs(ts - time.time()) < 5
    assert SignatureVerifier(SECRET).is_valid(body, str(ts), hdrs["X-Slack-Signature"])
    assert not SignatureVerifier(SECRET).is_valid(BODY, str(ts), hdrs["X-Slack-Signature"])


def test_verify_accepts_what_sign_made(cli) -> None:
    signed = _headers(cli("events", "sign", input=BODY, env={"SLACK_SIGNING_SECRET": SECRET}).stdout)
    result = cli(
        "events",
        "verify",
        "--timestamp",
        signed["X-Slack-Request-Timestamp"],
        "--signature",
        signed["X-Slack-Signature"],
        input=BODY,
        env={"SLACK_SIGNING_SECRET": SECRET},
    )
    assert result.exit_code == 0, result.stderr
    assert "valid" in result.stderr and result.stdout == ""


def test_verify_refuses_a_changed_body_with_exit_1_and_one_line(cli) -> None:
    ts = str(int(time.time()))
    sig = SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=BODY)
    result = cli("events", "verify", "-t", ts, "-s", sig, input=BODY + b" ", env={"SLACK_SIGNING_SECRET": SECRET})
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "does not match" in lines[0]


def test_verify_refuses_a_stale_timestamp_unless_max_age_allows_it(cli) -> None:
    ts = str(int(time.time()) - 600)
    sig = SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=BODY)
    env = {"SLACK_SIGNING_SECRET": SECRET}
    stale = cli("events", "verify", "-t", ts, "-s", sig, input=BODY, env=env)
    assert stale.exit_code == 1 and "replay" in stale.stderr
    allowed = cli("events", "verify", "-t", ts, "-s", sig, "--max-age", "900", input=BODY, env=env)
    assert allowed.exit_code == 0, allowed.stderr


def test_verify_with_a_malformed_timestamp_is_exit_1_and_bad_flag_is_exit_2(cli) -> None:
    env = {"SLACK_SIGNING_SECRET": SECRET}
    bad_ts = cli("events", "verify", "-t", "soon", "-s", "v0=00", input=BODY, env=env)
    assert bad_ts.exit_code == 1 and "whole number" in bad_ts.stderr
    assert cli("events", "sign", "--timestamp", "yesterday", input=BODY, env=env).exit_code == 2
    assert cli("events", "verify", "-t", "1", input=BODY, env=env).exit_code == 2  # --signature missing


def test_without_a_secret_it_says_where_to_put_one(cli, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    result = cli("events", "sign", input=BODY)
    assert result.exit_code == 2
    assert "SLACK_SIGNING_SECRET" in result.stderr and result.stdout == ""


def test_the_deployed_apps_signing_secret_is_used_in_a_project(cli, mint, emulator, tmp_path, monkeypatch) -> None:
    """A project deployed with `slackctl deploy` signs with the secret the deploy stored in the keyring."""
    from tests.cli.commands.deploy.helpers import config_login, make_project, the_app

    project = make_project(tmp_path / "my-app")
    monkeypatch.chdir(project)
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    config_login(cli, mint)
    assert cli("deploy").exit_code == 0
    secret = emulator.world.apps[the_app(project)["app_id"]]["signing_secret"]
    result = cli("events", "sign", "-t", "1700000000", input=BODY)
    assert result.exit_code == 0, result.stderr
    assert _headers(result.stdout)["X-Slack-Signature"] == SignatureVerifier(secret).generate_signature(
        timestamp="1700000000", body=BODY
    )


class _Clock:
    def __init__(self, now: float) -> None:
        self._now = now

    def now(self) -> float:
        return self._now
