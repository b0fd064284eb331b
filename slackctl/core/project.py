"""An app project on disk: its root, manifest, hooks, environments and deployed apps (`.slack/apps.json`).

Files, all under the project root (Slack CLI projects work unchanged):
- `manifest.json` / `manifest.yaml` / `manifest.yml`, else the `get-manifest` hook's stdout;
- `.slack/hooks.json`: `{"hooks": {"get-manifest": "CMD", "deploy": "CMD"}}` (Slack CLI's format);
- `.slack/environments.json`: `{"dev": {...manifest fields...}}`, deep-merged over the manifest per environment;
- `.slack/apps.json`: Slack CLI keeps `{"apps": {TEAM_ID: {...}}}` there; slackctl adds
  `{"environments": {ENV: {TEAM_ID: {app_id, team_id, client_id, name, ...}}}}` and leaves other keys alone.
  Only non-secret facts: secrets go to the keyring under the profile name `app:APP_ID`.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import stat
import subprocess
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slackctl import settings
from slackctl.config import atomic_write, config_dir, edit_config, file_lock
from slackctl.errors import UsageError
from slackctl.slack.manifest import ManifestSource, deep_merge, load_manifest_source, parse_manifest_text

if TYPE_CHECKING:
    from slackctl.core.session import Session

SLACK_DIR = ".slack"
APPS_FILE = "apps.json"
APPS_DEV_FILE = "apps.dev.json"  # Slack CLI's local (`slack run`) apps; read as the dev environment
HOOKS_FILE = "hooks.json"
ENVIRONMENTS_FILE = "environments.json"
MANIFEST_FILES = settings.MANIFEST_FILES
DEFAULT_ENV = "dev"
ENV_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")
# Secrets of a deployed app live in the credential store under this profile name.
APP_PROFILE_PREFIX = "app:"
APP_SECRET_KINDS = ("client-secret", "signing-secret", "verification-token")


def app_profile(app_id: str) -> str:
    return f"{APP_PROFILE_PREFIX}{app_id}"


@dataclass
class AppRecord:
    """One deployed app of one environment in one workspace (non-secret facts only)."""

    app_id: str
    team_id: str
    env: str = DEFAULT_ENV
    client_id: str = ""
    name: str = ""
    team_domain: str = ""
    user_id: str = ""
    slack_url: str = ""
    manifest_hash: str = ""  # hash of the manifest as exported right after our last deploy (drift check)
    deployed_at: str = ""

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v and k != "env"}

    @classmethod
    def from_json(cls, env: str, team_id: str, data: dict[str, Any]) -> AppRecord:
        known = {f.name for f in fields(cls)} - {"env", "team_id"}
        values = {k: str(v) for k, v in data.items() if k in known and v is not None}
        return cls(env=env, team_id=str(data.get("team_id") or team_id), **values)


@dataclass
class Project:
    """An app project: its root, and (read once, when first asked for) its manifest for `env`.
    The one Project of slackctl: deploy, manifest, app, external-auth and auth login all find it here."""

    root: Path
    env: str | None = None  # the environment whose .slack/environments.json overrides apply to `manifest`
    manifest_file: Path | None = None  # --manifest: read this file instead of looking in root
    _source: ManifestSource | None = field(default=None, repr=False, compare=False)

    @property
    def manifest_source(self) -> ManifestSource:
        if self._source is None:
            self._source = resolve_manifest(self, self.env)
        return self._source

    @property
    def manifest(self) -> dict[str, Any]:
        data = self.manifest_source.data
        if not isinstance(data, dict):
            raise UsageError(f"{self.manifest_source.origin} must hold a JSON object", "fix the manifest")
        return data

    def has_manifest(self) -> bool:
        """A manifest file (or --manifest), or a get-manifest hook to ask."""
        if self.manifest_file is not None or any((self.root / name).is_file() for name in MANIFEST_FILES):
            return True
        return bool(self.hooks().get("get-manifest", "").strip())

    @property
    def manifest_origin(self) -> str:
        return str(self.manifest_source.origin)

    @property
    def project_id(self) -> str:
        """`.slack/config.json`'s project_id (Slack CLI projects have one), else the directory's name."""
        try:
            data = json.loads((self.slack_dir / "config.json").read_text())
            if isinstance(data, dict) and isinstance(data.get("project_id"), str) and data["project_id"]:
                return data["project_id"]
        except (OSError, ValueError):
            pass
        return self.root.name or "default"

    @property
    def store_name(self) -> str:
        """The credential-store profile the project's local external-auth secrets are filed under."""
        return f"external:{self.project_id}"

    @property
    def slack_dir(self) -> Path:
        return self.root / SLACK_DIR

    @property
    def apps_path(self) -> Path:
        return self.slack_dir / APPS_FILE

    # -- hooks and environments -------------------------------------------------------------------
    def hooks(self) -> dict[str, str]:
        data = _read_json(self.slack_dir / HOOKS_FILE, {})
        hooks = data.get("hooks", {}) if isinstance(data, dict) else None
        if not isinstance(hooks, dict) or not all(isinstance(v, str) for v in hooks.values()):
            raise UsageError(f"{self.slack_dir / HOOKS_FILE}: expected {{\"hooks\": {{\"NAME\": \"COMMAND\"}}}}",
                             "fix the file; see: slackctl deploy --help")
        return hooks

    def hook(self, name: str) -> str | None:
        """The hook's command, to run: refused (UsageError) when another user could have written it."""
        command = self.hooks().get(name, "").strip()
        if command:
            check_hooks_trusted(self, name)
        return command or None

    def environment_overrides(self, env: str) -> dict[str, Any]:
        path = self.slack_dir / ENVIRONMENTS_FILE
        data = _read_json(path, {})
        if not isinstance(data, dict):
            raise UsageError(f"{path}: expected an object of environment names", 'e.g. {"dev": {...}}')
        overrides = data.get(env, {})
        if not isinstance(overrides, dict):
            raise UsageError(f"{path}: '{env}' must be an object of manifest fields",
                             '{"dev": {"display_information": {"name": "My App (dev)"}}}')
        return overrides

    # -- apps.json --------------------------------------------------------------------------------
    def _apps_data(self) -> dict[str, Any]:
        data = _read_json(self.apps_path, {})
        if not isinstance(data, dict):
            raise UsageError(f"{self.apps_path}: expected a JSON object", f"fix or remove it: rm {self.apps_path}")
        return data

    def apps(self, env: str | None = None) -> list[AppRecord]:
        """Every recorded app (of `env`), ours first, then Slack CLI's: its deployed apps count as prod
        and its local apps (apps.dev.json) as dev, unless slackctl has its own record for that team."""
        data = self._apps_data()
        found: dict[tuple[str, str], AppRecord] = {}
        envs = data.get("environments", {})
        for env_name, teams in (envs.items() if isinstance(envs, dict) else ()):
            for team_id, body in (teams.items() if isinstance(teams, dict) else ()):
                if isinstance(body, dict) and body.get("app_id"):
                    found[(env_name, team_id)] = AppRecord.from_json(env_name, team_id, body)
        for env_name, source in (("prod", data), ("dev", _read_json(self.slack_dir / APPS_DEV_FILE, {}))):
            teams = source.get("apps", {}) if isinstance(source, dict) else {}
            for team_id, body in (teams.items() if isinstance(teams, dict) else ()):
                if isinstance(body, dict) and body.get("app_id"):
                    found.setdefault((env_name, team_id), AppRecord.from_json(env_name, team_id, body))
        return [r for r in found.values() if env is None or r.env == env]

    def app(self, env: str, team_id: str) -> AppRecord | None:
        return next((r for r in self.apps(env) if r.team_id == team_id), None)

    def save_app(self, record: AppRecord) -> None:
        with file_lock(config_dir(), ".apps.lock"):
            data = self._apps_data()
            envs = data.setdefault("environments", {})
            envs.setdefault(record.env, {})[record.team_id] = record.to_json()
            self._write_apps(data)

    def remove_app(self, record: AppRecord) -> None:
        with file_lock(config_dir(), ".apps.lock"):
            data = self._apps_data()
            teams = data.get("environments", {}).get(record.env, {})
            teams.pop(record.team_id, None)
            if not teams:
                data.get("environments", {}).pop(record.env, None)
            # A Slack CLI record of the same app is gone too once the app is deleted.
            cli_apps = data.get("apps", {})
            if isinstance(cli_apps, dict) and cli_apps.get(record.team_id, {}).get("app_id") == record.app_id:
                cli_apps.pop(record.team_id)
            self._write_apps(data)

    def _write_apps(self, data: dict[str, Any]) -> None:
        atomic_write(self.apps_path, json.dumps(data, indent=2, sort_keys=True) + "\n", mode=0o644)


def _read_json(path: Path, default: Any) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return default
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}", "check the file") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}", "fix the file") from None


# -- finding a project -----------------------------------------------------------------------------
def _is_project_dir(path: Path) -> bool:
    if any((path / name).is_file() for name in MANIFEST_FILES):
        return True
    # ~/.slack is Slack CLI's own config dir, not a project.
    return (path / SLACK_DIR).is_dir() and path != Path.home()


def find_project_root(start: Path | None = None) -> Path | None:
    """START or the nearest parent that is a project. The walk up stops at a folder another user owns and at a
    filesystem boundary (git's rule since CVE-2022-24765): a `.slack/` planted in a shared folder above the
    working directory is never taken for the project."""
    here = (start or Path.cwd()).resolve()
    try:
        device = here.stat().st_dev
    except OSError:
        return None
    for path in (here, *here.parents):
        if path != here:
            try:
                st = path.stat()
            except OSError:
                return None
            if st.st_uid != _uid(st.st_uid) or st.st_dev != device:
                return None
        if _is_project_dir(path):
            return path
    return None


def check_hooks_trusted(project: Project, name: str) -> None:
    """Refuse to run a hook when another user owns, or may write, the project's `.slack/` or its hooks file:
    whoever can write it chooses what runs as you. `SLACKCTL_TRUSTED_PROJECTS` lists roots trusted anyway."""
    root = project.root.resolve()
    trusted = [e.strip() for e in os.environ.get(settings.ENV_TRUSTED_PROJECTS, "").split(os.pathsep) if e.strip()]
    if "*" in trusted or any(Path(e).expanduser().resolve() == root for e in trusted):
        return
    for path in (project.slack_dir, project.slack_dir / HOOKS_FILE):
        problem = _untrusted(path)
        if problem:
            trust = f"export {settings.ENV_TRUSTED_PROJECTS}={shlex.quote(str(root))}"
            fix = trust if problem.startswith("owned") else f"chmod go-w {shlex.quote(str(path))} (or {trust})"
            raise UsageError(f"not running the {name} hook of {root}: {path} is {problem}",
                             f"if you trust that project: {fix}")


def _uid(default: int) -> int:
    """Our effective uid; DEFAULT where there are no uids (Windows), so every check passes."""
    return os.geteuid() if hasattr(os, "geteuid") else default


def _untrusted(path: Path) -> str | None:
    """Why PATH could have been written by someone else, or None. Group write is fine when the group is your own
    primary group (the user-private groups of umask 002), not when it is a shared one."""
    try:
        st = path.stat()
    except OSError:
        return None
    if st.st_uid != _uid(st.st_uid):
        return f"owned by another user (uid {st.st_uid})"
    if st.st_mode & stat.S_IWOTH:
        return "writable by others"
    if st.st_mode & stat.S_IWGRP and hasattr(os, "getegid") and st.st_gid != os.getegid():
        return f"writable by group {st.st_gid}"
    return None


def find_project(start: Path | None = None, *, manifest: str | None = None, env: str | None = None,
                 hint: str = "cd into your app's directory, or create one: slackctl create my-app") -> Project:
    """The project containing `start` (default: the working dir), or the one whose manifest file is given."""
    if manifest:
        path = Path(manifest).expanduser().resolve()
        if not path.is_file():
            raise UsageError(f"no manifest at {path}", "pass the path of manifest.json with --manifest")
        return Project(path.parent, env, manifest_file=path)
    here = (start or Path.cwd()).resolve()
    root = find_project_root(here)
    if root is None:
        raise UsageError(f"no app project here ({here}): no manifest.json or .slack/ in this directory or above",
                         hint)
    return Project(root, env)


def check_env_name(env: str) -> str:
    if not ENV_NAME.match(env):
        raise UsageError(f"invalid environment name '{env}'", "use lowercase letters, digits, - and _ "
                         "(e.g. dev, staging, prod)")
    return env


# -- the manifest ----------------------------------------------------------------------------------
def resolve_manifest(project: Project, env: str | None = None) -> ManifestSource:
    """The project's manifest: a manifest file, else the get-manifest hook; with `env`, that environment's
    overrides from .slack/environments.json deep-merged on top (line numbers then refer to the base file).
    A --manifest file given by path is taken as it is."""
    if project.manifest_file is not None:
        return load_manifest_source(project.manifest_file)
    for name in MANIFEST_FILES:
        path = project.root / name
        if path.is_file():
            source = load_manifest_source(path)
            break
    else:
        command = project.hook("get-manifest")
        if not command:
            raise UsageError(f"no manifest in {project.root}", "add manifest.json (or manifest.yaml), or a "
                             "get-manifest hook in .slack/hooks.json")
        source = _manifest_from_hook(project, command)
    if env:
        overrides = project.environment_overrides(env)
        if overrides:
            source = ManifestSource(deep_merge(source.data, overrides), source.origin, source.lines)
    return source


def _manifest_from_hook(project: Project, command: str) -> ManifestSource:
    timeout = float(os.environ.get(settings.ENV_HOOK_TIMEOUT, settings.HOOK_TIMEOUT_SECONDS))
    try:
        proc = subprocess.run(command, shell=True, cwd=project.root, capture_output=True, text=True,  # noqa: S602
                              timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise UsageError(f"the get-manifest hook did not finish within {timeout:g}s: {command}",
                         f"check the hook, or raise {settings.ENV_HOOK_TIMEOUT}") from None
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        raise UsageError(f"the get-manifest hook failed (exit {proc.returncode}): {tail[0][:200]}",
                         f"run it yourself to see why: {command}")
    text = proc.stdout
    # Hooks sometimes log before the JSON: start at the first line that opens an object.
    if not text.lstrip().startswith("{"):
        lines = text.splitlines(keepends=True)
        start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("{")), None)
        if start is not None:
            text = "".join(lines[start:])
    return parse_manifest_text(text, "get-manifest hook output")


# -- app credentials -------------------------------------------------------------------------------
def remember_app(ctx: Session, record: AppRecord, project: Project, storage: str, kinds: list[str]) -> None:
    """Non-secret facts about a deployed app in config.toml (`[apps.APP_ID]`), so `tokens list` can find the
    app's secrets and `stored_app_credentials` knows which store holds them."""
    with edit_config(ctx.config.path) as config:
        apps = config.extra.setdefault("apps", {})
        apps[record.app_id] = {
            "team_id": record.team_id, "env": record.env, "client_id": record.client_id, "name": record.name,
            "project": str(project.root), "storage": storage, "kinds": kinds, "slack_url": record.slack_url,
        }
    ctx.reload_config()


def forget_app(ctx: Session, app_id: str) -> None:
    """Delete an app's stored secrets and its config.toml entry."""
    facts = known_apps(ctx).get(app_id)
    if facts:  # an app this config never stored secrets for (a CI run's) has none to delete: no keyring needed
        store = ctx.credentials.store_for(facts.get("storage", "keyring"))
        for kind in facts.get("kinds", APP_SECRET_KINDS):
            store.delete(app_profile(app_id), kind)
    with edit_config(ctx.config.path) as config:
        config.extra.get("apps", {}).pop(app_id, None)
    ctx.reload_config()


def known_apps(ctx: Session) -> dict[str, dict[str, Any]]:
    apps = ctx.config.extra.get("apps", {})
    return {k: v for k, v in apps.items() if isinstance(v, dict)} if isinstance(apps, dict) else {}


def pick_app(ctx: Session, project: Project, env: str) -> AppRecord | None:
    """The environment's app for the active profile's workspace, else the only one there is."""
    records = project.apps(env)
    profile = ctx.config.profile(ctx.profile_name)
    if profile and profile.team_id:
        for record in records:
            if record.team_id == profile.team_id:
                return record
    return records[0] if len(records) == 1 else None


def stored_app_credentials(ctx: Session, project_dir: Path | str, env: str = DEFAULT_ENV) -> dict[str, str] | None:
    """client_id, client_secret, signing_secret, app_id (and team_id) of the project's deployed app for `env`,
    or None when it has not been deployed (or its secrets are not on this machine)."""
    root = find_project_root(Path(project_dir))
    if root is None:
        return None
    record = pick_app(ctx, Project(root), env)
    if record is None:
        return None
    facts = known_apps(ctx).get(record.app_id, {})
    store = ctx.credentials.store_for(facts.get("storage", "keyring"))
    client_secret = store.get(app_profile(record.app_id), "client-secret")
    if not client_secret:
        return None
    return {
        "app_id": record.app_id,
        "team_id": record.team_id,
        "client_id": record.client_id or str(facts.get("client_id", "")),
        "client_secret": client_secret,
        "signing_secret": store.get(app_profile(record.app_id), "signing-secret") or "",
    }
