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
from slackctl.errors import ConfigError


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
    """Write a temp file in the same dir, fsync, rename over: readers never see half a file."""
    ensure_dir(path.parent)
    raw = data.encode() if isinstance(data, str) else data
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


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
    profiles_raw = data.pop("profiles", {})
    active = data.pop("active", "")
    if not isinstance(profiles_raw, dict) or not isinstance(active, str):
        raise ConfigError(f"{path}: 'profiles' must be a table and 'active' a string", f"fix or remove: rm {path}")
    profiles: dict[str, Profile] = {}
    for name, body in profiles_raw.items():
        if not isinstance(body, dict):
            raise ConfigError(f"{path}: profile '{name}' must be a table", f"fix or remove: rm {path}")
        try:
            profiles[name] = Profile.from_toml(name, body)
        except TypeError as exc:
            raise ConfigError(f"{path}: profile '{name}': {exc}", f"fix or remove: rm {path}") from None
    return Config(path=path, active=active, profiles=profiles, extra=data)


def save_config(config: Config) -> None:
    import tomli_w

    atomic_write(config.path, tomli_w.dumps(config.to_toml()))


@contextlib.contextmanager
def edit_config(path: Path | None = None) -> Iterator[Config]:
    """Load, let the caller change, save — all under the lock, so concurrent slackctl runs never lose a write."""
    path = path or config_path()
    with file_lock(path.parent):
        config = load_config(path)
        yield config
        save_config(config)
