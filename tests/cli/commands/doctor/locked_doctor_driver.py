"""Run inside a private D-Bus session of its own (scripts/with-keyring.sh): store a token with slackctl, lock the
session's login collection, then run `slackctl doctor --json`. Prints one JSON report on stdout.
The token arrives on stdin, never in argv."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def slackctl(*args: str, stdin: str | None = None) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, "-m", "slackctl", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SLACKCTL_KEYRING_TIMEOUT": "10"},
    )
    return {"code": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr}


def main() -> None:
    import secretstorage

    token = sys.stdin.read().strip()
    report: dict[str, object] = {"store": slackctl("auth", "login", "--with-token", stdin=token + "\n")}
    conn = secretstorage.dbus_init()
    collection = secretstorage.get_default_collection(conn)
    collection.lock()
    report["locked"] = collection.is_locked()
    report["doctor"] = slackctl("doctor", "--json")
    report["doctor_text"] = slackctl("doctor")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
