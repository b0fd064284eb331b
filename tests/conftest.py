"""Shared fixtures: a real emulator over HTTP, an isolated config dir and keyring namespace, slackctl runners
(in-process and as a subprocess), and a secrets scan of every captured output."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Every secret a test mints is recorded here; the runners assert none of them shows up in output
# unless the test says the command prints a secret on purpose (auth token, tokens export, ...).
_SECRETS: set[str] = set()


def register_secret(*values: str | None) -> None:
    for value in values:
        if value and len(value) >= 8:
            _SECRETS.add(value)


def assert_no_secrets(text: str, where: str = "output") -> None:
    leaked = [s for s in _SECRETS if s in text]
    assert not leaked, f"secret(s) leaked into {where}: {[s[:9] + '…' for s in leaked]}"


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture(scope="session")
def _session_emulator() -> Iterator[Any]:
    from slackctl.emulator import start_emulator

    with start_emulator(auto_approve=True, rate_limits=False) as emu:
        register_secret(emu.default_app.get("client_secret"), emu.default_app.get("signing_secret"))
        yield emu


@pytest.fixture
def emulator(_session_emulator: Any) -> Any:
    """The shared emulator, reset to its default world for this test."""
    _session_emulator.reset()
    return _session_emulator


@pytest.fixture
def mint(emulator: Any) -> Callable[..., dict[str, Any]]:
    """Mint a token on the emulator and register it (and its refresh token) for the secrets scan."""

    def _mint(kind: str = "bot", **kwargs: Any) -> dict[str, Any]:
        data = emulator.mint_token(kind=kind, **kwargs)
        register_secret(data.get("token"), data.get("refresh_token"))
        return data

    return _mint


@pytest.fixture
def bot_token(mint: Callable[..., dict[str, Any]]) -> str:
    return mint("bot")["token"]


@pytest.fixture
def user_token(mint: Callable[..., dict[str, Any]]) -> str:
    return mint("user")["token"]


def _scan_files_for_secrets(root: Path) -> None:
    """Every file slackctl may have written outside the keyring must be free of the test's secrets; the opt-in
    plaintext store (--insecure-storage) is the one exception."""
    if not root.exists() or not _SECRETS:
        return
    for path in root.rglob("*"):
        if not path.is_file() or path.is_symlink() or path.name == "credentials.insecure.json":
            continue
        if ".venv" in path.parts or ".git" in path.parts or path.stat().st_size > 5_000_000:
            continue
        try:
            text = path.read_text("utf-8", "replace")
        except OSError:
            continue
        assert_no_secrets(text, str(path))


@pytest.fixture
def slackctl_env(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, emulator: Any
) -> Iterator[dict[str, str]]:
    """An isolated slackctl: its own config dir, its own keyring namespace, pointed at the emulator.

    On teardown every file under the test's tmp_path is scanned for the test's secrets (mark a test with
    @pytest.mark.secrets_in_files when it writes one there on purpose, e.g. `tokens export > .env`)."""
    env = {
        "SLACKCTL_CONFIG_DIR": str(tmp_path / "slackctl-config"),
        "SLACKCTL_KEYRING_SERVICE": f"slackctl-test-{uuid.uuid4().hex[:12]}",
        "SLACKCTL_SLACK_URL": emulator.url,
        "NO_COLOR": "1",
    }
    for var in (
        "SLACK_TOKEN",
        "SLACK_BOT_TOKEN",
        "SLACK_USER_TOKEN",
        "SLACK_CONFIG_TOKEN",
        "SLACK_CONFIG_REFRESH_TOKEN",
        "SLACKCTL_PROFILE",
        "SLACK_CLIENT_ID",
        "SLACK_CLIENT_SECRET",
        "SLACKCTL_CA_BUNDLE",
        "SSL_CERT_FILE",
        "BROWSER",
        # slackctl honours proxies and CA variables from the environment: tests set them themselves.
        "SSL_CERT_DIR",
        "SLACKCTL_PROXY",
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
        "SLACKCTL_MAX_RESPONSE_MB",
        "SLACKCTL_MAX_RETRY_WAIT",
        # CI=true (set by .ci/run) would switch prompts off even in the pseudo-terminal tests; tests that
        # check CI behaviour set it themselves.
        "CI",
    ):
        monkeypatch.delenv(var, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    yield env
    if request.node.get_closest_marker("secrets_in_files") is None:
        _scan_files_for_secrets(tmp_path)


@pytest.fixture
def cli(slackctl_env: dict[str, str]) -> Callable[..., Result]:
    """Run slackctl in-process (the same code path as the console script, minus the process)."""
    from click.testing import CliRunner

    from slackctl.cli.app import run

    def _cli(
        *args: str,
        input: str | bytes | None = None,
        env: dict[str, str | None] | None = None,
        allow_secrets: bool = False,
        can_prompt: bool | None = None,
    ) -> Result:
        """`can_prompt` shows slackctl a person at a terminal (or nobody) without a pseudo-terminal."""
        from slackctl.cli.io import IO

        runner = CliRunner()
        with runner.isolation(input=input, env=env or {}) as (out, err, _mixed):
            code = run([str(a) for a in args], IO(can_prompt=can_prompt) if can_prompt is not None else None)
            sys.stdout.flush()
            sys.stderr.flush()
            result = Result(code, out.getvalue().decode("utf-8", "replace"), err.getvalue().decode("utf-8", "replace"))
        if not allow_secrets:
            assert_no_secrets(result.output, f"slackctl {' '.join(map(str, args))}")
        assert "Traceback" not in result.stderr, result.stderr
        return result

    return _cli


@pytest.fixture
def run_slackctl(slackctl_env: dict[str, str]) -> Callable[..., Result]:
    """Run slackctl as a real subprocess (`python -m slackctl`)."""

    def _run(
        *args: str,
        input: str | None = None,
        env: dict[str, str] | None = None,
        timeout: float = 60,
        allow_secrets: bool = False,
        cwd: str | Path | None = None,
    ) -> Result:
        full_env = dict(os.environ)
        full_env.update(env or {})
        proc = subprocess.run(
            [sys.executable, "-m", "slackctl", *map(str, args)],
            input=input,
            capture_output=True,
            text=True,
            env=full_env,
            timeout=timeout,
            cwd=cwd,
        )
        result = Result(proc.returncode, proc.stdout, proc.stderr)
        if not allow_secrets:
            assert_no_secrets(result.output, f"slackctl {' '.join(map(str, args))}")
        assert "Traceback" not in result.stderr, result.stderr
        return result

    return _run


# Tools the suite needs are installed and started by `make test` (scripts/with-keyring.sh). A missing one is a
# failure that says how to get it, never a skip that would let a run pass without testing anything.
def require(available: object, what: str) -> None:
    if not available:
        pytest.fail(f"{what} is missing: run the suite with `make test`, which installs and starts it", pytrace=False)


def chromium_path() -> str:
    import shutil

    path = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else "")
    require(path, "chromium (headless browser for the OAuth consent tests)")
    return path


@pytest.fixture
def needs_keyring_tools() -> None:
    import shutil

    require(
        shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon"),
        "dbus-run-session and gnome-keyring-daemon",
    )


@pytest.fixture
def needs_dbus_session() -> None:
    require(os.environ.get("DBUS_SESSION_BUS_ADDRESS"), "the D-Bus session of scripts/with-keyring.sh")


@pytest.fixture
def instant_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retry back-off and Retry-After waits return at once (the clients' injectable sleep, slack/client.py SLEEP);
    the list records every wait asked for, so a test can still check how long slackctl would have waited."""
    from slackctl.slack import client

    waits: list[float] = []
    monkeypatch.setattr(client, "SLEEP", waits.append)
    return waits
