"""`make demo`: start the built-in Slack emulator and run slackctl's main job against it — log in through OAuth
(PKCE; the browser step is played by a tiny headless fetcher), post a message, read it back, show the login.

Everything lives in a temp dir (config, keyring namespace) and on 127.0.0.1; nothing reaches the internet.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def bold(text: str) -> str:
    """Bold on a terminal; plain text into a pipe or a log, or with NO_COLOR set (no raw escape codes there)."""
    if sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        return f"\033[1m{text}\033[0m"
    return text


def step(title: str) -> None:
    print("\n" + bold(f"==> {title}"), flush=True)


def slackctl(*args: str, env: dict[str, str], input: str | None = None, check: bool = True) -> str:
    print("$ slackctl " + " ".join(shlex.quote(a) for a in args), flush=True)
    proc = subprocess.run(
        [PY, "-m", "slackctl", *args], env=env, input=input, text=True, stdout=subprocess.PIPE, stderr=sys.stderr
    )
    if proc.stdout:
        print(proc.stdout, end="" if proc.stdout.endswith("\n") else "\n", flush=True)
    if check and proc.returncode != 0:
        raise SystemExit(f"demo failed: slackctl {' '.join(args)} exited {proc.returncode}")
    return proc.stdout


def keyring_usable(env: dict[str, str]) -> bool:
    probe = "from slackctl.credentials import KeyringStore; KeyringStore(timeout=5).check_available()"
    return subprocess.run([PY, "-c", probe], env=env, capture_output=True).returncode == 0


def main() -> None:
    # Use the real Secret Service when this machine can run one; re-exec inside a private keyring session.
    if (
        not os.environ.get("SLACKCTL_IN_KEYRING_SESSION")
        and shutil.which("dbus-run-session")
        and shutil.which("gnome-keyring-daemon")
    ):
        os.execv("/bin/bash", ["bash", str(ROOT / "scripts" / "with-keyring.sh"), PY, *sys.argv])  # noqa: S606

    work = Path(tempfile.mkdtemp(prefix="slackctl-demo-"))
    env = dict(os.environ)
    for var in ("SLACK_TOKEN", "SLACK_BOT_TOKEN", "SLACK_USER_TOKEN", "SLACKCTL_PROFILE"):
        env.pop(var, None)
    env.update(
        {
            "SLACKCTL_CONFIG_DIR": str(work / "config"),
            "SLACKCTL_KEYRING_SERVICE": f"slackctl-demo-{uuid.uuid4().hex[:8]}",
        }
    )
    insecure = [] if keyring_usable(env) else ["--insecure-storage"]

    step("Start the built-in Slack emulator")
    emu = subprocess.Popen(
        [PY, "-m", "slackctl", "emulator", "start", "--port", "0", "--auto-approve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert emu.stdout is not None
        url = emu.stdout.readline().strip()
        if not url.startswith("http"):
            raise SystemExit("demo failed: the emulator did not print its URL")
        print(f"emulator listening on {url}")
        env["SLACKCTL_SLACK_URL"] = url
        run_demo(env, url, insecure, work)
    finally:
        emu.terminate()
        emu.wait(10)
        shutil.rmtree(work, ignore_errors=True)
    print(
        "\n" + bold("demo finished") + ": that was OAuth login, chat.postMessage and conversations.history "
        "against a local Slack."
    )
    print(
        "Next, build an app of your own against it:\n"
        "  .venv/bin/slackctl create my-app --template bolt-python && cd my-app && ../.venv/bin/slackctl run "
        "--emulator"
    )


def free_port() -> int:
    """A port nothing listens on now (the OS picks it), so the demo never collides with a busy 8765."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def demo_app(url: str, port: int) -> dict[str, str]:
    """A PKCE app on the emulator whose redirect is the free port the login will listen on."""
    import json
    import urllib.request

    body = json.dumps(
        {"name": "slackctl demo", "pkce_enabled": True, "redirect_urls": [f"http://localhost:{port}/callback"]}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - loopback
        url + "/_emulator/apps",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    return json.loads(urllib.request.urlopen(request).read())  # noqa: S310 - loopback


def run_demo(env: dict[str, str], url: str, insecure: list[str], work: Path) -> None:
    import json

    port = free_port()
    app = demo_app(url, port)
    step("Log in through OAuth v2 with PKCE (the browser step is played headlessly)")
    # BROWSER makes Python's webbrowser run our fetcher, which follows the (auto-approved) consent page to
    # slackctl's loopback listener, exactly as a browser would.
    fetcher = f"{PY} {ROOT / 'scripts' / 'headless_browser.py'} %s"
    login_env = dict(env, BROWSER=fetcher)
    slackctl(
        "auth",
        "login",
        "--client-id",
        app["client_id"],
        "--port",
        str(port),
        "--user-scopes",
        "chat:write,channels:read,channels:history",
        *insecure,
        env=login_env,
    )

    step("Post a message")
    channels = json.loads(slackctl("api", "call", "conversations.list", "--jq", "[.channels[]|{id,name}]", env=env))
    general = next(c["id"] for c in channels if c["name"] == "general")
    ts = (
        slackctl(
            "api",
            "call",
            "chat.postMessage",
            f"channel={general}",
            "text=Hello from slackctl :wave:",
            "--jq",
            ".ts",
            env=env,
        )
        .strip()
        .strip('"')
    )

    step("Read it back")
    slackctl(
        "api",
        "call",
        "conversations.history",
        f"channel={general}",
        "limit=1",
        "--jq",
        ".messages[0] | {ts, text}",
        env=env,
    )
    assert ts

    step("Who am I logged in as?")
    slackctl("auth", "status", env=env)


if __name__ == "__main__":
    main()
