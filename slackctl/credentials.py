"""Where secrets live: the OS keyring (with a timeout), an opt-in plaintext file, or environment variables.

Resolution order for an API token, written down once: --token-stdin, then SLACK_TOKEN, SLACK_BOT_TOKEN,
SLACK_USER_TOKEN, then the active profile's stored token (keyring, or the plaintext file when the profile
was stored with --insecure-storage). For the app configuration token (deploy, manifest, app) the same order
with SLACK_CONFIG_TOKEN (or SLACK_CONFIG_REFRESH_TOKEN alone, rotated in memory) as the environment step.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from slackctl import settings
from slackctl.config import atomic_write, file_lock
from slackctl.errors import KeyringError

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

T = TypeVar("T")

KEYRING = "keyring"
FILE = "file"


class TokenKind(StrEnum):
    """The access tokens a profile can hold: the one list of token kinds (`--as`, `--kind`, `tokens revoke`...).
    A StrEnum, so a kind is stored and compared as its plain name ("bot") and slack/ can keep using strings."""

    BOT = "bot"
    USER = "user"
    APP = "app"  # app-level token (xapp-), for Socket Mode
    CONFIG = "config"  # app configuration token (xoxe.xoxp-), for the apps.manifest.* methods

    @classmethod
    def names(cls) -> str:
        """ "bot, user, app, config": for "use one of: ..." hints."""
        return ", ".join(cls)

    @classmethod
    def parse(cls, value: str) -> TokenKind | None:
        """The kind named `value`, or None when it names none (the caller says which flag was wrong)."""
        try:
            return cls(value)
        except ValueError:
            return None


@dataclass(frozen=True)
class EnvToken:
    variable: str
    token: str


def env_token() -> EnvToken | None:
    """The first non-empty token variable in settings.ENV_TOKEN_ORDER."""
    for var in settings.ENV_TOKEN_ORDER:
        value = os.environ.get(var, "").strip()
        if value:
            return EnvToken(var, value)
    return None


@dataclass(frozen=True)
class EnvConfigToken:
    """The app configuration token pair from the environment; either half may be empty (not both)."""

    token: str
    refresh: str

    @property
    def variable(self) -> str:
        return settings.ENV_CONFIG_TOKEN if self.token else settings.ENV_CONFIG_REFRESH_TOKEN


def env_config_token() -> EnvConfigToken | None:
    """SLACK_CONFIG_TOKEN / SLACK_CONFIG_REFRESH_TOKEN, or None when neither is set (use the stored profile)."""
    token = os.environ.get(settings.ENV_CONFIG_TOKEN, "").strip()
    refresh = os.environ.get(settings.ENV_CONFIG_REFRESH_TOKEN, "").strip()
    return EnvConfigToken(token, refresh) if token or refresh else None


def _entry(profile: str, kind: str) -> str:
    return f"{profile}/{kind}"


def _keyring_config_file() -> Path:
    """keyring's config file (keyring.core._config_path() on Linux) without importing keyring: its
    util.platform_ config_root is $XDG_CONFIG_HOME (or ~/.config) / python_keyring."""
    root = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(root, "python_keyring", "keyringrc.cfg")


def _fast_read_applies() -> bool:
    """True when keyring itself would read through its SecretService backend with default settings: Linux, no
    backend chosen by PYTHON_KEYRING_BACKEND or the config file, and no KEYRING_PROPERTY_* variable (which could
    pick another collection or attribute scheme)."""
    if not sys.platform.startswith("linux") or os.environ.get("PYTHON_KEYRING_BACKEND"):
        return False
    if any("KEYRING_PROPERTY_" in name for name in os.environ):  # keyring matches it anywhere in the name
        return False
    try:
        return not _keyring_config_file().exists()
    except (OSError, RuntimeError):  # no home directory to resolve: let keyring decide
        return False


class KeyringStore:
    """The OS keyring through `keyring`; every call has a timeout so a hung Secret Service cannot freeze us."""

    def __init__(self, service: str | None = None, timeout: float | None = None) -> None:
        self.service = service or os.environ.get(settings.ENV_KEYRING_SERVICE) or settings.KEYRING_SERVICE
        env_timeout = os.environ.get(settings.ENV_KEYRING_TIMEOUT)
        self.timeout = timeout or float(env_timeout or settings.KEYRING_TIMEOUT_SECONDS)
        self._checked = False

    def _call(self, fn: Callable[[], T], what: str) -> T:
        result: list[Any] = []
        error: list[BaseException] = []

        def run() -> None:
            try:
                result.append(fn())
            except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
                error.append(exc)

        # A daemon thread: if the keyring never answers we give up on it and the process can still exit.
        thread = threading.Thread(target=run, name="keyring", daemon=True)
        thread.start()
        thread.join(self.timeout)
        if thread.is_alive():
            raise self._no_answer(what)
        if error:
            raise self._translate(error[0], what)
        return result[0] if result else None  # type: ignore[return-value]

    def _no_answer(self, what: str) -> KeyringError:
        return KeyringError(
            f"the OS keyring did not answer within {self.timeout:g}s ({what})",
            "unlock or restart your keyring (Secret Service / gnome-keyring), or store tokens in a plaintext "
            "file with --insecure-storage",
        )

    @staticmethod
    def _translate(exc: BaseException, what: str) -> KeyringError:
        name = type(exc).__name__
        if "Locked" in name:
            return KeyringError(
                f"the OS keyring is locked ({what})",
                "unlock it (log in to the desktop session, or: gnome-keyring-daemon --unlock), "
                "or use --insecure-storage",
            )
        return KeyringError(
            f"the OS keyring failed ({what}): {name}",
            "check that a Secret Service (gnome-keyring, KWallet) is running, or use --insecure-storage",
        )

    _kr: KeyringBackend | None = None

    def _backend(self) -> KeyringBackend | None:
        """The keyring backend, or None when only keyring's fail/null backends exist.

        keyring's own discovery scans every installed package's entry points (tens of milliseconds on each
        command); on Linux, with no backend chosen by PYTHON_KEYRING_BACKEND or keyring's config file, the
        Secret Service is what it would pick, so try that first and fall back to full discovery."""
        if self._kr is not None:
            return self._kr
        import keyring
        import keyring.core
        from keyring.backends import fail

        kr: KeyringBackend | None = None
        if (
            sys.platform.startswith("linux")
            and not os.environ.get("PYTHON_KEYRING_BACKEND")
            and not keyring.core._config_path().exists()
        ):
            try:
                from keyring.backends import SecretService

                candidate = SecretService.Keyring()
                if candidate.priority > 0:  # raises when no Secret Service answers on D-Bus
                    kr = candidate
            except Exception:  # noqa: BLE001, S110 - not usable here: let keyring's discovery decide
                pass
        if kr is None:
            kr = keyring.get_keyring()
        if isinstance(kr, fail.Keyring) or "null" in type(kr).__module__ or getattr(kr, "priority", 1) <= 0:
            return None
        self._kr = kr
        return kr

    def check_available(self) -> KeyringBackend:
        """The keyring backend; refuse, with a reason, when no real one exists (headless servers, containers)."""
        if self._checked and self._kr is not None:
            return self._kr

        def probe() -> str:
            kr = self._backend()
            if kr is None:
                return ""
            return f"{type(kr).__module__}.{type(kr).__name__}"

        found = self._call(probe, "looking for a keyring")
        if not found or self._kr is None:
            raise KeyringError(
                "no usable OS keyring was found (no Secret Service, Keychain or Credential Manager), "
                "and slackctl will not silently store secrets in plaintext",
                "start a keyring (e.g. gnome-keyring), or re-run with --insecure-storage to keep secrets "
                "in a 0600 file in the config dir",
            )
        self._checked = True
        return self._kr

    def get(self, profile: str, kind: str) -> str | None:
        if _fast_read_applies():
            # Reading needs neither keyring (~100 ms of imports) nor an encrypted session: ask the Secret Service
            # directly, and leave every case it cannot settle (locked, missing service, errors) to keyring below.
            from slackctl import secretservice

            try:
                return secretservice.read_secret(self.service, _entry(profile, kind), self.timeout)
            except secretservice.SecretServiceTimeout:
                raise self._no_answer("reading a secret") from None  # keyring would only hang for as long again
            except secretservice.FastPathUnavailable:
                pass
        kr = self.check_available()
        return self._call(lambda: kr.get_password(self.service, _entry(profile, kind)), "reading a secret")

    def set(self, profile: str, kind: str, secret: str) -> None:
        kr = self.check_available()
        self._call(lambda: kr.set_password(self.service, _entry(profile, kind), secret), "storing a secret")

    def delete(self, profile: str, kind: str) -> None:
        kr = self.check_available()
        from keyring.errors import PasswordDeleteError

        def run() -> None:
            try:
                kr.delete_password(self.service, _entry(profile, kind))
            except PasswordDeleteError:
                pass  # already gone: deleting is idempotent

        self._call(run, "deleting a secret")


class FileStore:
    """Plaintext JSON, 0600, in the config dir. Only when the user opts in with --insecure-storage."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / settings.PLAINTEXT_FILE

    def _load(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            raise KeyringError(
                f"{self.path} is unreadable or not JSON", f"remove it and log in again: rm {self.path}"
            ) from None
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def get(self, profile: str, kind: str) -> str | None:
        return self._load().get(_entry(profile, kind))

    def set(self, profile: str, kind: str, secret: str) -> None:
        with file_lock(self.path.parent, ".credentials.lock"):
            data = self._load()
            data[_entry(profile, kind)] = secret
            atomic_write(self.path, json.dumps(data, indent=1), mode=0o600)

    def delete(self, profile: str, kind: str) -> None:
        with file_lock(self.path.parent, ".credentials.lock"):
            data = self._load()
            if data.pop(_entry(profile, kind), None) is not None:
                atomic_write(self.path, json.dumps(data, indent=1), mode=0o600)

    def check_available(self) -> None:
        return None


Store = KeyringStore | FileStore


def restore_secret(store: Store, profile: str, kind: str, old: str | None) -> None:
    """Put a secret back as it was before a failed operation (delete it if there was none). Best effort: it runs
    while another error is already on its way to the user."""
    try:
        if old is None:
            store.delete(profile, kind)
        else:
            store.set(profile, kind, old)
    except Exception:  # noqa: BLE001, S110
        pass


class Credentials:
    """Both stores, picked per profile by its recorded storage backend."""

    def __init__(self, directory: Path) -> None:
        self.keyring = KeyringStore()
        self.file = FileStore(directory)

    def store_for(self, backend: str) -> Store:
        return self.file if backend == FILE else self.keyring
