"""Start-up rows of `make bench`: slackctl --version/--help/api call auth.test against bare Python, Typer's import,
a slack_sdk one-liner and curl, all measured in one interleaved run; plus auth.test with the token in the keyring."""

from __future__ import annotations

import os
import tempfile
import uuid
from dataclasses import dataclass, field

from api_bench import BASE_ENV, SDK_ONE_CALL
from measure import PY, BenchError, Stats, interleaved, run_child, slackctl_cmd

from slackctl.emulator import start_emulator

# Typer + httpx, imported the way slackctl imports them (without httpx's own command-line tool): what any Typer +
# httpx CLI pays before doing anything, and what `api call` paid before it left both off its path.
FLOOR = "floor: import typer + httpx (a Typer + httpx CLI)"
FLOOR_CODE = "import sys; sys.modules['httpx._main'] = None; import typer, httpx"
KEYRING_DIRECT = "… same, through keyring (PYTHON_KEYRING_BACKEND=keyring.backends.SecretService.Keyring)"


@dataclass
class StartupResult:
    rounds: int
    stats: dict[str, Stats]
    keyring: dict[str, Stats] = field(default_factory=dict)
    keyring_note: str = ""


def _env(emu_url: str, **extra: str) -> dict[str, str]:
    env = dict(BASE_ENV)
    for var in ("SLACK_TOKEN", "SLACK_BOT_TOKEN", "SLACK_USER_TOKEN", "SLACKCTL_PROFILE", "SLACKCTL_CA_BUNDLE"):
        env.pop(var, None)
    env.update(
        SLACKCTL_SLACK_URL=emu_url,
        BENCH_API=emu_url + "/api/",
        NO_COLOR="1",
        SLACKCTL_CONFIG_DIR=tempfile.mkdtemp(prefix="bench-slackctl-"),
        **extra,
    )
    return env


def run(rounds: int, keyring_available: bool) -> StartupResult:
    with start_emulator(tls=False) as emu:
        token = emu.mint_token("bot")["token"]
        env = _env(emu.url, SLACK_BOT_TOKEN=token)
        # curl reads the header from a config file, so the token is in no argv.
        curl_cfg = tempfile.NamedTemporaryFile("w", suffix=".curl", delete=False)  # noqa: SIM115
        curl_cfg.write(f'header = "Authorization: Bearer {token}"\n')
        curl_cfg.close()
        try:
            cases = {
                "python -c pass": ([PY, "-c", "pass"], env),
                'python -c "import typer"': ([PY, "-c", "import typer"], env),
                FLOOR: ([PY, "-c", FLOOR_CODE], env),
                "slackctl --version": (slackctl_cmd("--version"), env),
                "slackctl --help": (slackctl_cmd("--help"), env),
                "slackctl api call auth.test (env token)": (slackctl_cmd("api", "call", "auth.test"), env),
                "slack_sdk one-liner (auth.test)": ([PY, "-c", SDK_ONE_CALL], env),
                "curl (auth.test)": (
                    ["curl", "-sf", "-K", curl_cfg.name, "-X", "POST", emu.url + "/api/auth.test"],
                    env,
                ),
            }
            result = StartupResult(rounds, interleaved(cases, rounds))
        finally:
            os.unlink(curl_cfg.name)
        if keyring_available:
            _keyring_case(emu.url, token, rounds, result)
        else:
            result.keyring_note = (
                "not measured: no D-Bus session with a Secret Service (run `make bench` where "
                "dbus-run-session and gnome-keyring-daemon exist)"
            )
    return result


def _keyring_case(url: str, token: str, rounds: int, result: StartupResult) -> None:
    """The token lives in the real Secret Service (gnome-keyring in this private D-Bus session); the slack_sdk
    one-liner still reads it from the environment, as it has no keyring of its own."""
    env = _env(url, SLACKCTL_KEYRING_SERVICE=f"slackctl-bench-{uuid.uuid4().hex[:8]}")
    try:
        run_child(slackctl_cmd("auth", "login", "--with-token"), env, stdin=token.encode() + b"\n")
    except BenchError as exc:
        result.keyring_note = f"not measured: storing the token in the keyring failed ({exc})"
        return
    try:
        sdk_env = dict(env, SLACK_BOT_TOKEN=token)
        # Diagnostic, not a budget: a backend chosen through keyring turns slackctl's direct Secret Service read off.
        direct_env = dict(env, PYTHON_KEYRING_BACKEND="keyring.backends.SecretService.Keyring")
        result.keyring = interleaved(
            {
                "slackctl api call auth.test (keyring token)": (slackctl_cmd("api", "call", "auth.test"), env),
                KEYRING_DIRECT: (slackctl_cmd("api", "call", "auth.test"), direct_env),
                "slack_sdk one-liner (auth.test)": ([PY, "-c", SDK_ONE_CALL], sdk_env),
            },
            rounds,
        )
    finally:
        run_child(slackctl_cmd("auth", "logout", "--all", "--keep-remote"), env, check=False)
