"""Run inside a private D-Bus session of its own (scripts/with-keyring.sh): store a token with slackctl, lock the
session's login collection, then run slackctl against the locked keyring. Prints one JSON report on stdout.

The test suite's own gnome-keyring is never touched: only this throwaway session's collection gets locked.
Tokens arrive on stdin (one per line), never in argv."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def slackctl(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, "-m", "slackctl", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )
    return {"args": list(args), "code": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr}


def main() -> None:
    import secretstorage

    first, second = sys.stdin.read().split()
    config = Path(os.environ["SLACKCTL_CONFIG_DIR"]) / "config.toml"
    report: dict[str, object] = {"store": slackctl("auth", "login", "--with-token", stdin=first + "\n")}
    config_before = config.read_text() if config.exists() else None

    conn = secretstorage.dbus_init()
    collection = secretstorage.get_default_collection(conn)
    collection.lock()
    report["locked"] = collection.is_locked()

    # A locked collection may answer an unlock request with a prompt nobody can see: bound the wait.
    bounded = {"SLACKCTL_KEYRING_TIMEOUT": "10"}
    report["call"] = slackctl("api", "call", "auth.test", env=bounded)
    report["login"] = slackctl("auth", "login", "--with-token", stdin=second + "\n", env=bounded)
    report["config_unchanged"] = config_before is not None and config.read_text() == config_before
    # Item attributes stay readable while locked (secrets do not): the first token's item is still there.
    service = os.environ["SLACKCTL_KEYRING_SERVICE"]
    report["items_kept"] = sum(
        1 for item in collection.get_all_items() if item.get_attributes().get("service") == service
    )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
