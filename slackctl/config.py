"""slackctl's state on disk: the config dir, config.toml with its profiles (never a secret), atomic locked writes."""

from __future__ import annotations

import contextlib
import os
import tomllib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from slackctl import settings
from slackctl.errors import ConfigError, FileWriteError


def config_dir() -> Path:
    """SLACKCTL_CONFIG_DIR, else the platform's user config dir (e.g. ~/.config/slackctl)."""
    env = os.environ.get(settings.ENV_CONFIG_DIR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("slackctl", appauthor=False))


def ensure_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):
        path.chmod(0o700)
    return path


def atomic_write(path: Path, data: bytes | str, mode: int = 0o600) -> None:
    """The one way slackctl replaces a file (every layer uses it): a reader, or the file after a crash, holds the
    old contents or the new, never a part. A temp file with a fresh name (mkstemp: O_EXCL, created 0600, so never
    a file or link at a predictable path) in the same directory, written, fsynced, given MODE, renamed over PATH,
    then the directory fsynced so the rename itself survives a power cut. Missing directories are created
    private (0700); existing ones keep their mode (a --credentials-out FILE in the current directory must not
    close it to others). A write that fails (disk full, read-only, no permission) removes the temp file, leaves
    the old file as it was and raises a FileWriteError."""
    import tempfile

    raw = data.encode() if isinstance(data, str) else data
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
        _fsync_dir(path.parent)
    except BaseException as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(exc, OSError):
            raise write_error(path, exc) from None
        raise


def _fsync_dir(directory: Path) -> None:
    # POSIX only: Windows cannot open a directory, and its rename is journalled by NTFS anyway.
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_error(path: Path, exc: OSError) -> FileWriteError:
    """One line for a file slackctl could not write, naming it and what to do."""
    import errno

    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return FileWriteError(
            f"cannot write {path}: the disk is full (no space left on the device holding "
            f"{path.parent}); nothing was changed",
            "free some space and run the command again",
        )
    if exc.errno == errno.EROFS:
        return FileWriteError(
            f"cannot write {path}: the file system is read-only; nothing was changed",
            f"point {settings.ENV_CONFIG_DIR} at a writable directory",
        )
    return FileWriteError(
        f"cannot write {path}: {exc.strerror or exc}; nothing was changed",
        "check the directory's permissions and free space",
    )


@contextlib.contextmanager
def file_lock(directory: Path, name: str = settings.LOCK_FILE) -> Iterator[None]:
    """An exclusive lock shared by every slackctl process using this config dir: flock on POSIX, msvcrt's
    LockFileEx on Windows (through `filelock`, imported here: only writes pay for it)."""
    from filelock import FileLock

    ensure_dir(directory)
    with FileLock(directory / name, mode=0o600):
        yield


@dataclass
class Profile:
    """One logged-in identity in one workspace. Secrets live in the credential store, not here."""

    name: str
    team_id: str = ""
    team_name: str = ""
    user_id: str = ""
    user_name: str = ""
    bot_user_id: str = ""
    app_id: str = ""
    slack_url: str = ""
    storage: str = "keyring"  # "keyring" or "file" (--insecure-storage)
    kinds: list[str] = field(default_factory=list)  # credential kinds stored, e.g. ["bot", "user"]
    scopes: dict[str, list[str]] = field(default_factory=dict)  # kind -> scopes
    expires: dict[str, int] = field(default_factory=dict)  # kind -> unix time
    extra: dict[str, Any] = field(default_factory=dict)  # identity (OpenID) and other non-secret facts

    def to_toml(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("name")
        # TOML has no null; drop empties to keep the file readable.
        return {k: v for k, v in data.items() if v not in ("", [], {}, None)}

    @classmethod
    def from_toml(cls, name: str, data: dict[str, Any]) -> Profile:
        known = {f for f in cls.__dataclass_fields__ if f != "name"}
        kwargs = {k: v for k, v in data.items() if k in known}
        return cls(name=name, **kwargs)

    def add_kind(self, kind: str) -> None:
        if kind not in self.kinds:
            self.kinds.append(kind)

    def remove_kind(self, kind: str) -> None:
        if kind in self.kinds:
            self.kinds.remove(kind)
        self.scopes.pop(kind, None)
        self.expires.pop(kind, None)


@dataclass
class Config:
    path: Path
    active: str = ""
    profiles: dict[str, Profile] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_toml(self) -> dict[str, Any]:
        data: dict[str, Any] = dict(self.extra)
        if self.active:
            data["active"] = self.active
        data["profiles"] = {name: p.to_toml() for name, p in sorted(self.profiles.items())}
        return data

    def profile(self, name: str | None) -> Profile | None:
        name = name or self.active
        return self.profiles.get(name) if name else None


def config_path() -> Path:
    return config_dir() / settings.CONFIG_FILE


def load_config(path: Path | None = None) -> Config:
    """Read config.toml; a missing file is an empty config, a broken one a ConfigError naming file and line."""
    path = path or config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config(path=path)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}", "check its permissions") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text", f"fix or remove it: rm {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}", f"fix that line or remove the file: rm {path}") from None
    check_types(path, data)
    profiles_raw = data.pop("profiles", {})
    active = data.pop("active", "")
    profiles = {name: Profile.from_toml(name, body) for name, body in profiles_raw.items()}
    return Config(path=path, active=active, profiles=profiles, extra=data)


# -- the types config.toml's keys must have ---------------------------------------------------------
# Each shape is (description, check); a key of another type is a ConfigError naming file, key and type,
# instead of a crash deep inside whatever command reads it.
def _is_str(v: Any) -> bool:
    return isinstance(v, str)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _is_str_list(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def _is_table(v: Any) -> bool:
    return isinstance(v, dict)


STRING = ("a string", _is_str)
STRINGS = ("a list of strings", _is_str_list)
TABLE = ("a table", _is_table)
_PROFILE_KEYS: dict[str, tuple[str, Any]] = {
    **{
        k: STRING
        for k in ("team_id", "team_name", "user_id", "user_name", "bot_user_id", "app_id", "slack_url", "storage")
    },
    "kinds": STRINGS,
    "scopes": ("a table of lists of strings", lambda v: _is_table(v) and all(map(_is_str_list, v.values()))),
    "expires": ("a table of numbers (unix times)", lambda v: _is_table(v) and all(map(_is_number, v.values()))),
    "extra": TABLE,
}
_APP_KEYS = {
    **{k: STRING for k in ("team_id", "env", "client_id", "name", "project", "storage", "slack_url")},
    "kinds": STRINGS,
}


def _check(path: Path, key: str, value: Any, shape: tuple[str, Any]) -> None:
    expected, ok = shape
    if not ok(value):
        raise ConfigError(
            f"{path}: {key} must be {expected}, not {_toml_type(value)}", f"fix or remove that key in {path}"
        )


def _toml_type(value: Any) -> str:
    names = {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "a table",
    }
    return next((n for t, n in names.items() if type(value) is t), type(value).__name__)


def check_types(path: Path, data: dict[str, Any]) -> None:
    """Raise ConfigError for the first key of config.toml that has the wrong type (unknown keys are kept)."""
    if "active" in data:
        _check(path, "active", data["active"], STRING)
    for section in ("profiles", "apps", "external_auth", "create"):
        if section in data:
            _check(path, section, data[section], TABLE)
    for name, body in data.get("profiles", {}).items():
        _check(path, f"profiles.{name}", body, TABLE)
        for key, shape in _PROFILE_KEYS.items():
            if key in body:
                _check(path, f"profiles.{name}.{key}", body[key], shape)
    for app_id, body in data.get("apps", {}).items():
        _check(path, f"apps.{app_id}", body, TABLE)
        for key, shape in _APP_KEYS.items():
            if key in body:
                _check(path, f"apps.{app_id}.{key}", body[key], shape)
    for project_id, body in data.get("external_auth", {}).items():
        _check(path, f"external_auth.{project_id}", body, TABLE)
    if "trusted_templates" in data.get("create", {}):
        _check(path, "create.trusted_templates", data["create"]["trusted_templates"], STRINGS)


def save_config(config: Config) -> None:
    import tomli_w

    ensure_dir(config.path.parent)  # the config dir is private, whoever made it
    atomic_write(config.path, tomli_w.dumps(config.to_toml()))


@contextlib.contextmanager
def edit_config(path: Path | None = None) -> Iterator[Config]:
    """Load, let the caller change, save — all under the lock, so concurrent slackctl runs never lose a write."""
    path = path or config_path()
    with file_lock(path.parent):
        config = load_config(path)
        yield config
        save_config(config)
