"""Token rotation: refreshed before use near expiry, exactly once across concurrent processes, exit 4 on failure."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import Any

import pytest

from slackctl.slack import tokens as tk
from tests.conftest import assert_no_secrets, register_secret


def _context() -> Any:
    from slackctl.cli.context import Context

    return Context()


def make_profile(
    emulator: Any,
    app: dict[str, Any],
    *,
    kind: str = "bot",
    expires_at: float | None = None,
    pkce: bool = False,
    name: str = "rot",
    refresh: str | None = None,
) -> dict[str, Any]:
    """A stored profile holding a rotating token minted on the emulator (what a rotation-enabled login leaves)."""
    from slackctl.core.login import LoginResult, save_login

    minted = emulator.mint_token(kind, rotating=True, expires_in=60, app_id=app["app_id"])
    register_secret(minted["token"], minted["refresh_token"])
    secrets = {kind: minted["token"], tk.REFRESH_OF[kind]: refresh or minted["refresh_token"]}
    if kind != tk.CONFIG and not pkce:
        secrets[tk.CLIENT_SECRET] = app["client_secret"]
    result = LoginResult(
        team_id=emulator.team["id"],
        team_name=emulator.team["name"],
        slack_url=emulator.url,
        secrets=secrets,
        expires={kind: int(expires_at if expires_at is not None else time.time())},
        extra={} if kind == tk.CONFIG else {"client_id": app["client_id"], "pkce": pkce},
    )
    save_login(_context(), result, profile_name=name)
    return minted


def confidential(emulator: Any) -> dict[str, Any]:
    app = emulator.create_app(pkce_enabled=False, token_rotation=True, redirect_urls=["https://example.com/cb"])
    register_secret(app["client_secret"])
    return app


def token_of(cli: Any, kind: str = "bot", name: str = "rot") -> str:
    r = cli("auth", "token", "--kind", kind, "-p", name, allow_secrets=True)
    assert r.exit_code == 0, r.stderr
    register_secret(r.stdout.strip())
    return r.stdout.strip()


def refreshes(emulator: Any, method: str = "oauth.v2.access") -> list[dict[str, Any]]:
    return [e for e in emulator.requests(method) if e.get("status") in (200, None)]


def test_expired_token_is_refreshed_once_then_reused(emulator, cli):
    app = confidential(emulator)
    old = make_profile(emulator, app, expires_at=time.time() - 30)
    new = token_of(cli)
    assert new != old["token"] and new.startswith("xoxe.xoxb-")
    assert token_of(cli) == new  # fresh now: no second refresh
    [call] = refreshes(emulator)
    assert call["body"]["grant_type"] == "refresh_token"
    auth = next(v for k, v in call["headers"].items() if k.lower() == "authorization")
    assert auth.startswith("Basic ") and "client_secret" not in call["body"]
    from slackctl.config import load_config

    profile = load_config().profiles["rot"]
    assert profile.expires["bot"] > time.time() + 3600
    # The new pair works at Slack: auth.test with the new token, and the new refresh token rotates again.
    from slackctl.core.rotation import rotate_now

    ctx = _context()
    newer = rotate_now(ctx, ctx.config.profiles["rot"], "bot")
    register_secret(newer)
    assert newer not in (new, old["token"])


def test_token_within_the_margin_is_refreshed_but_a_fresh_one_is_not(emulator, cli):
    app = confidential(emulator)
    make_profile(emulator, app, expires_at=time.time() + 3 * 60)  # inside the 5-minute margin
    token_of(cli)
    assert len(refreshes(emulator)) == 1
    make_profile(emulator, app, name="fresh", expires_at=time.time() + 3600)
    token_of(cli, name="fresh")
    assert len(refreshes(emulator)) == 1


def test_expiry_is_judged_by_the_sessions_clock(emulator):
    """The core reads time through Session.clock: a token fresh by the wall clock is refreshed when the session's
    clock says it expires within the margin, and the new expiry counts from that clock."""
    from slackctl.core.rotation import refresh_if_expiring
    from slackctl.core.session import Session

    app = confidential(emulator)
    old = make_profile(emulator, app, expires_at=time.time() + 3600)
    later = time.time() + 3600 - 60
    session = Session(clock=lambda: later)
    new = refresh_if_expiring(session, session.config.profiles["rot"], "bot")
    register_secret(new)
    assert new != old["token"] and len(refreshes(emulator)) == 1
    assert session.reload_config().profiles["rot"].expires["bot"] > later + 3600
    assert refresh_if_expiring(Session(), Session().config.profiles["rot"], "bot") == new  # wall clock: fresh


def test_pkce_app_refreshes_with_client_id_field_and_no_secret(emulator, cli):
    app = emulator.create_app(pkce_enabled=True, token_rotation=True, redirect_urls=["http://localhost:1/cb"])
    register_secret(app["client_secret"])
    make_profile(emulator, app, kind="user", pkce=True, expires_at=time.time() - 1)
    assert token_of(cli, "user").startswith("xoxe.xoxp-")
    [call] = refreshes(emulator)
    assert call["body"]["client_id"] == app["client_id"] and "client_secret" not in call["body"]
    assert not any(k.lower() == "authorization" for k in call["headers"])


def test_configuration_token_rotates_with_tooling_tokens_rotate(emulator, cli):
    old = make_profile(emulator, emulator.default_app, kind="config", expires_at=time.time() + 10)
    new = token_of(cli, "config")
    assert new != old["token"]
    assert len(refreshes(emulator, "tooling.tokens.rotate")) == 1 and refreshes(emulator) == []


def test_failed_refresh_is_exit_4_with_the_login_hint(emulator, cli):
    app = confidential(emulator)
    make_profile(emulator, app, expires_at=time.time() - 30, refresh="xoxe-1-this-refresh-token-is-unknown")
    r = cli("auth", "token", "--kind", "bot", "-p", "rot")
    assert r.exit_code == 4
    assert "invalid_refresh_token" in r.stderr and "run: slackctl auth login" in r.stderr
    assert r.stdout == ""


def test_missing_client_secret_is_exit_4_not_a_crash(emulator, cli):
    app = confidential(emulator)
    make_profile(emulator, app, expires_at=time.time() - 30)
    from slackctl.credentials import Credentials

    Credentials(_context().config_dir).keyring.delete("rot", tk.CLIENT_SECRET)
    r = cli("auth", "token", "--kind", "bot", "-p", "rot")
    assert r.exit_code == 4 and "client secret is not stored" in r.stderr and "slackctl auth login" in r.stderr


def test_two_processes_refreshing_at_once_spend_the_refresh_token_once(emulator, slackctl_env):
    app = confidential(emulator)
    old = make_profile(emulator, app, expires_at=time.time() - 30)
    # Slow Slack down so the first refresh is still in flight when the second process wants one.
    emulator.inject_fault("oauth.v2.access", "slow", count=1, delay=0.5)
    cmd = [sys.executable, "-m", "slackctl", "auth", "token", "--kind", "bot", "-p", "rot"]
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ))
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=60) for p in procs]
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
        register_secret(out.strip())
        assert_no_secrets(err, "stderr")
    tokens = {out.strip() for out, _ in outs}
    assert len(tokens) == 1 and old["token"] not in tokens
    assert len(refreshes(emulator)) == 1
    # The refresh token that survived is the live one: rotating again works.
    from slackctl.core.rotation import rotate_now

    ctx = _context()
    assert rotate_now(ctx, ctx.config.profiles["rot"], "bot") not in tokens


def test_app_level_tokens_are_not_rotated():
    from slackctl.config import Profile
    from slackctl.core.rotation import rotate_now
    from slackctl.errors import AuthError

    with pytest.raises(AuthError):
        rotate_now(_context(), Profile(name="x"), "app")
