"""The one browser opener of every command (auth login, external-auth add, app settings): BROWSER when set,
else the system browser, and no browser at all on a remote session without a display (the URL is printed)."""

from __future__ import annotations

import os
import sys

from slackctl import settings


def is_remote_session() -> bool:
    """SSH, or Linux without a display: a browser opened here would not reach the user (or, being a console
    browser, would take over the terminal slackctl is waiting in)."""
    if os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"):
        return True
    return sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def can_open() -> bool:
    """Whether open_url is worth trying: BROWSER names a command, or this is not a remote session."""
    return bool(os.environ.get("BROWSER", "").strip()) or not is_remote_session()


def open_url(url: str) -> bool:
    """Open `url`; False when no browser could be started (the caller prints the URL instead).
    BROWSER is read at every call (`%s` stands for the URL, else the URL is the last argument)."""
    command = os.environ.get("BROWSER", "").strip()
    if command:
        return _run_browser(command, url)
    if is_remote_session():
        return False
    import webbrowser

    try:
        return bool(webbrowser.open(url, new=1))
    except Exception:  # noqa: BLE001 - a missing or broken browser just means: print the URL
        return False


def _run_browser(command: str, url: str) -> bool:
    import shlex
    import subprocess

    first = command.split(os.pathsep)[0]
    args = [a.replace("%s", url) for a in shlex.split(first)]
    if "%s" not in first:
        args.append(url)
    try:
        proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,  # noqa: S603
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        return False
    try:
        # Like Python's webbrowser, give the command time to finish (most hand the URL to a running browser
        # and exit); one that keeps running is left alone: it is the user's browser.
        return proc.wait(timeout=settings.BROWSER_WAIT_SECONDS) == 0
    except subprocess.TimeoutExpired:
        return True
