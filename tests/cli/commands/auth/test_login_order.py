"""OAuth checks where secrets will go before anything else (issue 19, item 3), and plain `auth login` works
against the emulator (item 4)."""

from __future__ import annotations

from tests.cli.commands.auth.test_login import login as login  # noqa: F401 - the fixture, by its name

NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def test_oauth_without_a_keyring_stops_before_the_browser_and_before_any_question(run_slackctl, emulator, tmp_path):
    # No --client-id and no terminal: the old order asked for the client id (or printed the URL) first.
    result = run_slackctl("auth", "login", "--no-browser", "--timeout", "5", env=NO_KEYRING, cwd=tmp_path, timeout=30)
    assert result.exit_code == 4, result.output
    assert "keyring" in result.stderr.lower()
    assert "authorize" not in result.output and "client id" not in result.stderr.lower()
    assert not [e for e in emulator.requests() if "oauth" in e["method"]]


def test_oauth_without_a_keyring_with_insecure_storage_is_not_refused_up_front(run_slackctl, emulator, tmp_path):
    result = run_slackctl(
        "auth",
        "login",
        "--insecure-storage",
        "--client-id",
        "1.2",
        "--paste",
        "--no-browser",
        "--redirect-uri",
        "https://example.com/cb",
        env=NO_KEYRING,
        cwd=tmp_path,
        input="",
        timeout=30,
    )
    assert "keyring" not in result.stderr.lower(), result.stderr


def test_plain_auth_login_against_the_emulator_uses_its_default_app(emulator, login, cli):
    import httpx

    from tests.cli.commands.auth.test_login import track_tokens

    # --paste: no listener, so the default app's registered http://localhost:8765/callback needs no free port.
    p = login("--paste")
    url = p.authorize_url()
    assert f"client_id={emulator.default_app['client_id']}" in url
    p.wait_for("stdin")
    landed = httpx.get(url, follow_redirects=False, timeout=10).headers["location"]
    p.send(landed + "\n")
    track_tokens(emulator)
    result = p.finish()
    assert result.exit_code == 0, result.stderr
    assert "using the emulator's default app" in result.stderr
    assert "Logged in to" in result.stderr
    (entry,) = __import__("json").loads(cli("auth", "list", "--json").stdout)
    assert entry["team_id"] == emulator.team["id"]


def test_a_non_loopback_slack_url_is_never_asked_for_an_emulator_app(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("auth", "login", "--no-browser", env={"SLACKCTL_SLACK_URL": "https://slack.invalid"})
    assert result.exit_code == 2 and "client id" in result.stderr
