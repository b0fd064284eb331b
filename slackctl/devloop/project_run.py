"""What `slackctl run` starts in a project: the command, the interpreter, the .env values, the watched files.

The command is the `start` hook of .slack/hooks.json (Slack CLI's format: a shell command run in the project
root), else the entry point: app.py, else `python -m PACKAGE` for the one package with a __main__.py. Python comes
from the project's .venv when it has one, else the active virtualenv ($VIRTUAL_ENV), else slackctl's own.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slackctl import settings
from slackctl.core import hookprotocol as hp
from slackctl.core.project import MANIFEST_FILES, SLACK_DIR, Project
from slackctl.errors import UsageError

ENV_FILE = ".env"
# Never watched: environments, VCS, caches, and the files slackctl itself writes while running.
IGNORED_DIRS = (".venv", "venv", ".git", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache",
                ".hypothesis", ".tox", ".nox", "node_modules", ".idea", ".vscode", "build", "dist", ".eggs")
IGNORED_FILES = ("apps.json", "apps.dev.json", "slackctl.json")  # under .slack/: written by deploys


@dataclass(frozen=True)
class StartCommand:
    argv: list[str]
    description: str  # for the "starting …" line
    hook: bool = False  # the start hook (hooks.json or the SDK's): run with the hooks' environment
    sdk_managed: bool = False  # config.sdk-managed-connection-enabled: the tokens also go in SLACK_CLI_X*


def python_for(project: Project) -> str:
    return project.python()


def start_command(project: Project) -> StartCommand:
    """The start hook (hooks.json's, else the SDK's answer to get-hooks), else the entry point: app.py,
    `python -m PACKAGE`, or package.json's start script (main, else index.js/app.js) for a Node project."""
    hook = project.hook("start")
    if hook:
        config = project.sdk_config()
        line = hp.command_line(hook, config.protocol, secrets.token_hex(16))
        where = "the SDK's start hook" if "start" in config.from_sdk else "start hook"
        return StartCommand(["/bin/sh", "-c", line], f"{where}: {hook}", hook=True,
                            sdk_managed=config.sdk_managed_connection)
    python = python_for(project)
    shown = os.path.relpath(python, project.root) if python.startswith(str(project.root)) else python
    if (project.root / "app.py").is_file():
        return StartCommand([python, "app.py"], f"{shown} app.py")
    packages = sorted(p.parent.name for p in project.root.glob("*/__main__.py")
                      if p.parent.name not in IGNORED_DIRS and not p.parent.name.startswith("."))
    if len(packages) == 1:
        return StartCommand([python, "-m", packages[0]], f"{shown} -m {packages[0]}")
    node = node_start(project)
    if node is not None:
        return node
    raise UsageError(f"nothing to run in {project.root}: no start hook in .slack/hooks.json, no app.py, no "
                     "package.json start script" + (f", and {len(packages)} packages with a __main__.py"
                                                     if packages else ""),
                     'add {"hooks": {"start": "python3 app.py"}} (or "node app.js") to .slack/hooks.json')


def node_start(project: Project) -> StartCommand | None:
    """A Node project's start: `npm start` when package.json has a start script, else `node MAIN`."""
    path = project.root / "package.json"
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read {path}: {exc}", "fix package.json") from None
    scripts = data.get("scripts") if isinstance(data, dict) else None
    if isinstance(scripts, dict) and isinstance(scripts.get("start"), str):
        return StartCommand(["npm", "start", "--silent"], f"npm start ({scripts['start']})", hook=True)
    main = data.get("main") if isinstance(data, dict) else None
    for candidate in ([main] if isinstance(main, str) else []) + ["app.js", "index.js"]:
        if (project.root / candidate).is_file():
            return StartCommand(["node", candidate], f"node {candidate}", hook=True)
    return None


def hook_environment(project: Project, command: StartCommand, env: dict[str, str],
                     app_path: str | None = None) -> dict[str, str]:
    """What Slack's CLI adds for a start hook: the project's tools on PATH, the tokens again as SLACK_CLI_XOXB /
    SLACK_CLI_XAPP when the SDK manages the connection, and a custom start path in SLACK_APP_PATH and
    SLACK_CLI_CUSTOM_FILE_PATH."""
    if command.hook:
        env = project.hook_env(env)
    if command.sdk_managed:
        for var, cli_var in ((settings.ENV_BOT_TOKEN, "SLACK_CLI_XOXB"), (settings.ENV_APP_TOKEN, "SLACK_CLI_XAPP")):
            if env.get(var):
                env[cli_var] = env[var]
    if app_path:
        env["SLACK_APP_PATH"] = env["SLACK_CLI_CUSTOM_FILE_PATH"] = app_path
    return env


def read_dotenv(project: Project) -> dict[str, str]:
    """KEY=VALUE lines of the project's .env (comments, `export`, quotes), as Slack's CLI reads them."""
    path = project.root / ENV_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}", "fix or remove the file") from None
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            raise UsageError(f"{path}:{number}: expected KEY=VALUE", "fix the line, or comment it out with #")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        values[key] = value
    return values


def app_environment(project: Project, tokens: dict[str, str], base: dict[str, str] | None = None) -> dict[str, str]:
    """The app's environment: .env, under the tokens slackctl found (keyring), under the real environment."""
    env = read_dotenv(project)
    env.update(tokens)
    env.update(os.environ if base is None else base)
    return env


def watch_filter(project: Project) -> Any:
    """A watchfiles filter for the project: its default ignores plus ours, narrowed to `config.watch` (app and
    manifest paths, filter-regex) when the project's hooks declare it."""
    from watchfiles import DefaultFilter

    config = project.sdk_config()
    watches = [w for w in (config.watch_app, config.watch_manifest) if w is not None]
    root = project.root.resolve()

    class _Filter(DefaultFilter):
        def __call__(self, change: Any, path: str) -> bool:
            p = Path(path)
            if p.parent.name == SLACK_DIR and p.name in IGNORED_FILES:
                return False
            if not super().__call__(change, path):
                return False
            return not watches or any(w.matches(root, path) for w in watches) or is_manifest_path(project, path)

    return _Filter(ignore_dirs=tuple(sorted(set(DefaultFilter.ignore_dirs) | set(IGNORED_DIRS))))


def is_manifest_path(project: Project, path: str) -> bool:
    p = Path(path)
    if (p.parent == project.root and p.name in MANIFEST_FILES) or \
            (p.parent.name == SLACK_DIR and p.name in ("environments.json", "hooks.json")):
        return True
    watch = project.sdk_config().watch_manifest
    return watch is not None and watch.matches(project.root.resolve(), path)
