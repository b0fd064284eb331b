"""What `slackctl run` starts in a project: the command, the interpreter, the .env values, the watched files.

The command is the `start` hook of .slack/hooks.json (Slack CLI's format: a shell command run in the project
root), else the entry point: app.py, else `python -m PACKAGE` for the one package with a __main__.py. Python comes
from the project's .venv when it has one, else the active environment ($VIRTUAL_ENV, then $CONDA_PREFIX), else the
`python3` on PATH, as Slack CLI's hooks do — never slackctl's own interpreter, which (installed with pipx) has none
of the app's packages.
"""

from __future__ import annotations

import ast
import json
import os
import secrets
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from slackctl import settings
from slackctl.core import hookprotocol as hp
from slackctl.core.project import Project
from slackctl.devloop.ignore import IGNORED_DIRS
from slackctl.errors import UsageError

ENV_FILE = ".env"


@dataclass(frozen=True)
class Interpreter:
    path: str
    source: str  # how it was chosen, in the user's words


@dataclass(frozen=True)
class StartCommand:
    argv: list[str]
    description: str  # for the "starting …" line
    interpreter: Interpreter | None = None  # None for a start hook: its command picks its own
    entry: Path | None = None  # the file Python runs first (its imports are checked when the app fails)
    hook: bool = False  # a start hook or a Node start: run with the hooks' environment (core/hookprotocol.py)
    sdk_managed: bool = False  # config.sdk-managed-connection-enabled: the tokens also go in SLACK_CLI_X*


def python_for(project: Project, environ: dict[str, str] | None = None) -> Interpreter:
    path, source = project.python(environ)
    return Interpreter(path, source)


def start_command(project: Project) -> StartCommand:
    hook = project.hook("start")
    if hook:
        # The start hook of hooks.json, else the SDK's (get-hooks), in the protocol the SDK prefers.
        config = project.sdk_config()
        line = hp.command_line(hook, config.protocol, secrets.token_hex(16))
        where = "the SDK's start hook" if "start" in config.from_sdk else "start hook"
        return StartCommand(
            ["/bin/sh", "-c", line], f"{where}: {hook}", hook=True, sdk_managed=config.sdk_managed_connection
        )
    python = python_for(project)
    shown = os.path.relpath(python.path, project.root) if python.path.startswith(str(project.root)) else python.path
    if (project.root / "app.py").is_file():
        return StartCommand([python.path, "app.py"], f"{shown} app.py", python, project.root / "app.py")
    packages = sorted(
        p.parent.name
        for p in project.root.glob("*/__main__.py")
        if p.parent.name not in IGNORED_DIRS and not p.parent.name.startswith(".")
    )
    if len(packages) == 1:
        return StartCommand(
            [python.path, "-m", packages[0]],
            f"{shown} -m {packages[0]}",
            python,
            project.root / packages[0] / "__main__.py",
        )
    node = node_start(project)
    if node is not None:
        return node
    raise UsageError(
        f"nothing to run in {project.root}: no start hook in .slack/hooks.json, no app.py, no "
        "package.json start script" + (f", and {len(packages)} packages with a __main__.py" if packages else ""),
        'add {"hooks": {"start": "python3 app.py"}} (or "node app.js") to .slack/hooks.json',
    )


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


def hook_environment(
    project: Project, command: StartCommand, env: dict[str, str], app_path: str | None = None
) -> dict[str, str]:
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


# Asked of the app's interpreter: which of the names it cannot import (find_spec imports nothing of the app).
_FIND = (
    "import importlib.util,json,sys;print(json.dumps([n for n in sys.argv[1:] if importlib.util.find_spec(n) is None]))"
)


def missing_imports(project: Project, command: StartCommand) -> list[str]:
    """The top-level modules the entry file imports — itself, or through the project's own modules at the root
    (listeners.py importing slack_bolt) — that its interpreter cannot find; the standard library left out.
    Empty when unknown."""
    if command.interpreter is None or command.entry is None:
        return []
    local = {p.stem: p for p in command.entry.parent.glob("*.py")} | {p.stem: p for p in project.root.glob("*.py")}
    local_dirs = {p.name for p in project.root.iterdir() if p.is_dir()}
    names: set[str] = set()
    todo, seen = [command.entry], set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in _top_level_imports(path):
            if name in local:
                todo.append(local[name])
            elif name not in local_dirs and name not in sys.stdlib_module_names:
                names.add(name)
    if not names:
        return []
    try:
        proc = subprocess.run(
            [command.interpreter.path, "-c", _FIND, *sorted(names)],
            capture_output=True,
            timeout=20,
            cwd=project.root,
            stdin=subprocess.DEVNULL,
        )
        return [str(n) for n in json.loads(proc.stdout)] if proc.returncode == 0 else []
    except (OSError, subprocess.SubprocessError, ValueError):
        return []


def _top_level_imports(path: Path) -> set[str]:
    """The modules a file imports at its top level (what runs when it is imported), by their first name."""
    try:
        tree = ast.parse(path.read_bytes())
    except (OSError, SyntaxError, ValueError):
        return set()
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def import_failure_line(project: Project, command: StartCommand) -> str | None:
    """One line for an app that exited because its imports failed: which Python ran it and how to pick another."""
    missing = missing_imports(project, command)
    if not missing or command.interpreter is None:
        return None
    python = command.interpreter
    return (
        f"the app cannot import {', '.join(missing)} with {python.path} ({python.source}): install it for "
        "that Python, or pick another: a .venv in the project, or activate the app's environment "
        "($VIRTUAL_ENV, conda) before slackctl run"
    )


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
