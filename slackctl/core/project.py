"""An app project on disk: its root, manifest, hooks, environments and deployed apps (`.slack/apps.json`).

Files, all under the project root (Slack CLI projects work unchanged):
- `manifest.json` / `manifest.yaml` / `manifest.yml`, else the `get-manifest` hook's stdout;
- `.slack/hooks.json`: `{"hooks": {"get-manifest": "CMD", "deploy": "CMD"}}` (Slack CLI's format);
- `.slack/environments.json`: `{"dev": {...manifest fields...}}`, deep-merged over the manifest per environment;
- `.slack/slackctl.json`: slackctl's app records per environment and workspace; the dev and prod ones are
  mirrored into Slack CLI's `.slack/apps.dev.json` and `.slack/apps.json`, in its exact shape (core/appfiles.py).
  Only non-secret facts: secrets go to the keyring under the profile name `app:APP_ID`.
- `.slack/config.json`: Slack CLI's project config: `project_id`, and `manifest.source` (`local` or `remote`).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import stat
import sys
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slackctl import settings
from slackctl.config import atomic_write, config_dir, edit_config, file_lock
from slackctl.core import appfiles as af
from slackctl.core import hookprotocol as hp
from slackctl.errors import UsageError
from slackctl.slack import tokens as tk
from slackctl.slack.manifest import (
    ManifestSource,
    deep_merge,
    load_manifest_source,
    parse_manifest_text,
    strip_sdk_keys,
)

if TYPE_CHECKING:
    from slackctl.core.session import Session

SLACK_DIR = ".slack"
APPS_FILE = "apps.json"
HOOKS_FILE = "hooks.json"
CONFIG_FILE = "config.json"
ENVIRONMENTS_FILE = "environments.json"
MANIFEST_FILES = settings.MANIFEST_FILES
DEFAULT_ENV = "dev"
ENV_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")
# Secrets of a deployed app live in the credential store under this profile name.
APP_PROFILE_PREFIX = "app:"
APP_SECRET_KINDS = (tk.CLIENT_SECRET, tk.SIGNING_SECRET, tk.VERIFICATION_TOKEN)


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
    _sdk: hp.SDKConfig | None = field(default=None, repr=False, compare=False)

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

    def _config(self) -> dict[str, Any]:
        try:
            data = json.loads((self.slack_dir / CONFIG_FILE).read_text())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    @property
    def project_id(self) -> str:
        """`.slack/config.json`'s project_id (Slack CLI projects have one), else the directory's name."""
        value = self._config().get("project_id")
        return value if isinstance(value, str) and value else (self.root.name or "default")

    @property
    def manifest_is_remote(self) -> bool:
        """`.slack/config.json` says `"manifest": {"source": "remote"}`: the app settings page holds the manifest
        and the local one must not be pushed over it (as Slack's CLI does)."""
        manifest = self._config().get("manifest")
        source = manifest.get("source") if isinstance(manifest, dict) else None
        return isinstance(source, str) and source.strip() == "remote"

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

    # -- hooks (core/hookprotocol.py) and environments --------------------------------------------
    def hooks(self) -> dict[str, str]:
        """The hooks written in .slack/hooks.json (not asking get-hooks)."""
        return self._hooks_file().hooks

    def _hooks_file(self) -> hp.SDKConfig:
        return hp.parse_config(_read_json(self.slack_dir / HOOKS_FILE, {}), str(self.slack_dir / HOOKS_FILE))

    def sdk_config(self) -> hp.SDKConfig:
        """hooks.json merged over the answer of its get-hooks hook (asked once per Project)."""
        if self._sdk is None:
            raw = _read_json(self.slack_dir / HOOKS_FILE, {})
            local = self._hooks_file()
            command = local.hook("get-hooks")
            if command is None:
                self._sdk = local
            else:
                check_hooks_trusted(self, "get-hooks")  # whoever can write hooks.json chooses what runs
                # Slack's CLI asks get-hooks with the default protocol: the protocol is what it answers.
                answer = hp.call(self.root, "get-hooks", command, protocol=hp.PROTOCOL_DEFAULT, env=self.hook_env())
                sdk = hp.json_answer(answer, "get-hooks")
                merged = hp.merge(sdk if isinstance(sdk, dict) else {}, raw if isinstance(raw, dict) else {})
                config = hp.parse_config(merged, "the get-hooks hook's answer")
                config.from_sdk = frozenset(n for n in config.hooks if n not in local.hooks)
                self._sdk = config
        return self._sdk

    def hook(self, name: str) -> str | None:
        """The command of hook `name`, to run: hooks.json's, else the SDK's (get-hooks), else None. Refused
        (UsageError) when another user could have written the project's hooks (check_hooks_trusted)."""
        command = self._hooks_file().hook(name)
        if command is None and self._hooks_file().hook("get-hooks") is not None:
            command = self.sdk_config().hook(name)
        if command is not None:
            check_hooks_trusted(self, name)
        return command

    def python(self, environ: dict[str, str] | None = None) -> tuple[str, str]:
        """(path, how it was chosen) of the Python the project runs with: its .venv (or venv), else the active
        environment ($VIRTUAL_ENV, then $CONDA_PREFIX), else the python3 on PATH, as Slack CLI's hooks do —
        never slackctl's own interpreter unless there is no other (installed with pipx, it has none of the app's
        packages)."""
        env = os.environ if environ is None else environ
        for venv in (self.root / ".venv", self.root / "venv"):
            candidate = venv / "bin" / "python"
            if candidate.exists():
                return str(candidate), f"the project's {venv.name}"
        for var in ("VIRTUAL_ENV", "CONDA_PREFIX"):
            active = env.get(var)
            if active and (Path(active) / "bin" / "python").exists():
                return str(Path(active) / "bin" / "python"), f"${var}"
        on_path = shutil.which("python3", path=env.get("PATH"))
        if on_path:
            return on_path, "the python3 on PATH"
        return sys.executable, "slackctl's own; no python3 on PATH"

    def hook_env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """The environment hooks run in: `base` (default: ours) with the project's Python environment (its
        .venv, or the active one) and node_modules/.bin first on PATH, as in a developer's activated shell."""
        env = dict(os.environ) if base is None else base
        path, source = self.python(env)
        bin_dir = None if source.startswith(("the python3 on PATH", "slackctl's")) else str(Path(path).parent)
        return hp.search_path(self.root, bin_dir, env)

    def is_manifest_path(self, path: str) -> bool:
        """True for a file whose change changes the manifest: manifest.json/yaml, .slack/hooks.json and
        environments.json, and the paths of the hooks' config.watch.manifest."""
        p = Path(path)
        if (p.parent == self.root and p.name in MANIFEST_FILES) or (
            p.parent.name == SLACK_DIR and p.name in (ENVIRONMENTS_FILE, HOOKS_FILE)
        ):
            return True
        watch = self.sdk_config().watch_manifest
        return watch is not None and watch.matches(self.root.resolve(), path)

    def environment_overrides(self, env: str) -> dict[str, Any]:
        path = self.slack_dir / ENVIRONMENTS_FILE
        data = _read_json(path, {})
        if not isinstance(data, dict):
            raise UsageError(f"{path}: expected an object of environment names", 'e.g. {"dev": {...}}')
        overrides = data.get(env, {})
        if not isinstance(overrides, dict):
            raise UsageError(
                f"{path}: '{env}' must be an object of manifest fields",
                '{"dev": {"display_information": {"name": "My App (dev)"}}}',
            )
        return overrides

    # -- the app records (core/appfiles.py: Slack's CLI's files and slackctl.json) -----------------------
    @property
    def records_path(self) -> Path:
        return self.slack_dir / af.RECORDS_FILE

    def _load(self, name: str) -> Any:
        path = self.slack_dir / name
        data = _read_json(path, {})
        if not isinstance(data, dict):
            raise UsageError(f"{path}: expected a JSON object", f"fix or remove it: rm {path}")
        return data

    def apps(self, env: str | None = None) -> list[AppRecord]:
        """Every recorded app (of `env`): slackctl's records, with Slack's CLI's deployed apps (apps.json) as
        prod and its local apps (apps.dev.json) as dev. Where Slack's CLI names another app for the same
        environment and workspace it changed it last (slackctl writes both): its app id wins."""
        apps_json = self._load(af.APPS_FILE)
        if af.needs_migration(apps_json):
            self.migrate()
            apps_json = self._load(af.APPS_FILE)
        found: dict[tuple[str, str], AppRecord] = {}
        for env_name, team_id, body in af.environments(self._load(af.RECORDS_FILE)):
            found[(env_name, team_id)] = AppRecord.from_json(env_name, team_id, body)
        for env_name, teams in (
            (af.PROD_ENV, af.deployed_apps(apps_json)),
            (af.DEV_ENV, af.local_apps(self._load(af.APPS_DEV_FILE), apps_json)),
        ):
            for team_id, body in teams.items():
                ours = found.get((env_name, team_id))
                if ours is None or ours.app_id != body["app_id"]:
                    # Slack's `name` is a legacy team domain, not the app's name.
                    slack_facts = {k: v for k, v in body.items() if k != "name"}
                    found[(env_name, team_id)] = AppRecord.from_json(env_name, team_id, slack_facts)
                elif not ours.team_domain and body.get("team_domain"):
                    ours.team_domain = str(body["team_domain"])
        return [r for r in found.values() if env is None or r.env == env]

    def app(self, env: str, team_id: str) -> AppRecord | None:
        return next((r for r in self.apps(env) if r.team_id == team_id), None)

    def migrate(self) -> None:
        """Move an older layout (slackctl's `environments` in apps.json) to today's, keeping every app id."""
        with file_lock(config_dir(), ".apps.lock"):
            apps_json = self._load(af.APPS_FILE)
            if not af.needs_migration(apps_json):
                return
            kept, dev, records = af.migrate(apps_json, self._load(af.APPS_DEV_FILE), self._load(af.RECORDS_FILE))
            # slackctl.json first: if the run stops half-way, the records are already safe.
            self._write(af.RECORDS_FILE, records)
            if dev:
                self._write(af.APPS_DEV_FILE, dev)
            self._write(af.APPS_FILE, kept)

    def save_app(self, record: AppRecord) -> None:
        with file_lock(config_dir(), ".apps.lock"):
            records = self._load(af.RECORDS_FILE)
            records.setdefault("environments", {}).setdefault(record.env, {})[record.team_id] = record.to_json()
            self._write(af.RECORDS_FILE, records)
            if record.env == af.DEV_ENV:
                dev = self._load(af.APPS_DEV_FILE)
                old = dev.get(record.team_id)
                dev[record.team_id] = af.slack_entry(
                    old if isinstance(old, dict) else {},
                    app_id=record.app_id,
                    team_id=record.team_id,
                    team_domain=record.team_domain,
                    user_id=record.user_id,
                    dev=True,
                )
                self._write(af.APPS_DEV_FILE, dev)
            elif record.env == af.PROD_ENV:
                apps_json = self._load(af.APPS_FILE)
                old = af.deployed_apps(apps_json).get(record.team_id, {})
                entry = af.slack_entry(
                    old,
                    app_id=record.app_id,
                    team_id=record.team_id,
                    team_domain=record.team_domain,
                    user_id=record.user_id,
                    dev=False,
                )
                self._write(af.APPS_FILE, af.set_deployed(apps_json, entry))

    def remove_app(self, record: AppRecord) -> None:
        """Forget the app in every file that names it (a deleted app is gone for Slack's CLI too)."""
        with file_lock(config_dir(), ".apps.lock"):
            records = self._load(af.RECORDS_FILE)
            teams = records.get("environments", {}).get(record.env, {})
            if isinstance(teams, dict) and teams.pop(record.team_id, None) is not None:
                if not teams:
                    records["environments"].pop(record.env, None)
                self._write(af.RECORDS_FILE, records)
            dev = self._load(af.APPS_DEV_FILE)
            if isinstance(dev.get(record.team_id), dict) and dev[record.team_id].get("app_id") == record.app_id:
                dev.pop(record.team_id)
                self._write(af.APPS_DEV_FILE, dev)
            apps_json = self._load(af.APPS_FILE)
            changed = af.remove_deployed(apps_json, record.team_id, record.app_id)
            if changed is not apps_json:
                self._write(af.APPS_FILE, changed)

    def _write(self, name: str, data: dict[str, Any]) -> None:
        path = self.slack_dir / name
        if name == af.RECORDS_FILE:
            atomic_write(path, json.dumps(data, indent=2, sort_keys=True) + "\n", mode=0o644)
        else:  # Slack's CLI writes its files 0600, as Go prints them
            atomic_write(path, af.dump_slack(data), mode=0o600)


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
            raise UsageError(
                f"not running the {name} hook of {root}: {path} is {problem}", f"if you trust that project: {fix}"
            )


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


def find_project(
    start: Path | None = None,
    *,
    manifest: str | None = None,
    env: str | None = None,
    hint: str = "cd into your app's directory, or create one: slackctl create my-app",
) -> Project:
    """The project containing `start` (default: the working dir), or the one whose manifest file is given."""
    if manifest:
        path = Path(manifest).expanduser().resolve()
        if not path.is_file():
            raise UsageError(f"no manifest at {path}", "pass the path of manifest.json with --manifest")
        return Project(path.parent, env, manifest_file=path)
    here = (start or Path.cwd()).resolve()
    root = find_project_root(here)
    if root is None:
        raise UsageError(f"no app project here ({here}): no manifest.json or .slack/ in this directory or above", hint)
    return Project(root, env)


def check_env_name(env: str) -> str:
    if not ENV_NAME.match(env):
        raise UsageError(
            f"invalid environment name '{env}'", "use lowercase letters, digits, - and _ (e.g. dev, staging, prod)"
        )
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
            raise UsageError(
                f"no manifest in {project.root}",
                "add manifest.json (or manifest.yaml), or a get-manifest hook in .slack/hooks.json",
            )
        source = _manifest_from_hook(project, command)
    if env:
        overrides = project.environment_overrides(env)
        if overrides:
            source = ManifestSource(deep_merge(source.data, overrides), source.origin, source.lines)
    if isinstance(source.data, dict):
        data, stripped = strip_sdk_keys(source.data)
        if stripped:
            source = ManifestSource(data, source.origin, source.lines, stripped)
    return source


def _manifest_from_hook(project: Project, command: str) -> ManifestSource:
    answer = hp.call(
        project.root, "get-manifest", command, protocol=project.sdk_config().protocol, env=project.hook_env()
    )
    text = answer.response
    # Hooks sometimes log before the JSON (under the default protocol): start where the object starts.
    start = text.find("{")
    return parse_manifest_text(text[start:] if start > 0 else text, "get-manifest hook output")


# -- app credentials -------------------------------------------------------------------------------
def remember_app(ctx: Session, record: AppRecord, project: Project, storage: str, kinds: list[str]) -> None:
    """Non-secret facts about a deployed app in config.toml (`[apps.APP_ID]`), so `tokens list` can find the
    app's secrets and `stored_app_credentials` knows which store holds them."""
    with edit_config(ctx.config.path) as config:
        apps = config.extra.setdefault("apps", {})
        apps[record.app_id] = {
            "team_id": record.team_id,
            "env": record.env,
            "client_id": record.client_id,
            "name": record.name,
            "project": str(project.root),
            "storage": storage,
            "kinds": kinds,
            "slack_url": record.slack_url,
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
    client_secret = store.get(app_profile(record.app_id), tk.CLIENT_SECRET)
    if not client_secret:
        return None
    return {
        "app_id": record.app_id,
        "team_id": record.team_id,
        "client_id": record.client_id or str(facts.get("client_id", "")),
        "client_secret": client_secret,
        "signing_secret": store.get(app_profile(record.app_id), tk.SIGNING_SECRET) or "",
    }
