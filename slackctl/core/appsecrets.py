"""Where a newly created app's secrets go (keyring, the --insecure-storage file, or --credentials-out FILE),
decided and checked before the app is created, so a CI runner without a keyring never orphans an app."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from slackctl import settings
from slackctl.config import atomic_write
from slackctl.credentials import FILE, KEYRING
from slackctl.errors import KeyringError, UsageError

if TYPE_CHECKING:
    from slackctl.core.session import Session

CREDENTIALS_OUT = "credentials-out"  # the storage name recorded for an app whose secrets went to a file
KEEP_HINT = (
    "re-run with --credentials-out FILE (a 0600 JSON file you then save as CI secrets) or "
    "--insecure-storage (a 0600 file in the config dir)"
)


@dataclass(frozen=True)
class Keep:
    """A created app's client secret, signing secret and verification token go to a credential store
    (`storage`), or to the JSON file `path` when one was given."""

    storage: str
    path: Path | None = None

    def describe(self, ctx: Session) -> str:
        if self.path is not None:
            return f"{self.path} (--credentials-out, mode 0600)"
        if self.storage == FILE:
            return f"{ctx.config_dir / settings.PLAINTEXT_FILE} (--insecure-storage, mode 0600)"
        return "the OS keyring"


def choose(ctx: Session, storage: str, *, insecure_storage: bool = False, credentials_out: str | None = None) -> Keep:
    """Where a new app's secrets will go; refuses (before anything is created) when that is the keyring and
    there is none, naming the two other places."""
    if credentials_out:
        path = Path(credentials_out).expanduser().absolute()
        if not path.parent.is_dir():
            raise UsageError(
                f"--credentials-out {credentials_out}: the directory {path.parent} does not exist",
                "create it, or name a file in an existing directory",
            )
        if path.is_dir():
            raise UsageError(f"--credentials-out {credentials_out} is a directory", "name a file to write")
        return Keep(CREDENTIALS_OUT, path)
    keep = Keep(FILE if insecure_storage else storage)
    if keep.storage == KEYRING:
        try:
            ctx.credentials.keyring.check_available()
        except KeyringError as exc:
            raise KeyringError(
                f"creating an app needs a place for its client secret, signing secret and "
                f"verification token, and {exc.message}; no app was created",
                KEEP_HINT,
            ) from None
    return keep


def write_file(path: Path, app_id: str, client_id: str, secrets: dict[str, str]) -> None:
    """The app's ids and secrets as one JSON object, written atomically with mode 0600."""
    data = {"app_id": app_id, "client_id": client_id, **{k.replace("-", "_"): v for k, v in secrets.items()}}
    atomic_write(path, json.dumps(data, indent=2) + "\n", mode=0o600)
