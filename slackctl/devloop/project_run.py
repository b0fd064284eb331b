"""What `slackctl run` starts in a project: the command, the interpreter, the .env values, the watched files.

The command is the `start` hook of .slack/hooks.json (Slack CLI's format: a shell command run in the project
root), else the entry point: app.py, else `python -m PACKAGE` for the one package with a __main__.py. Python comes
from the project's .venv when it has one, else the active virtualenv ($VIRTUAL_ENV), else slackctl's own.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from slackctl.core.project import MANIFEST_FILES, SLACK_DIR, Project
from slackctl.devloop.ignore import IGNORED_DIRS
from slackctl.errors import UsageError

ENV_FILE = ".env"


@dataclass(frozen=True)
class StartCommand:
    argv: list[str]
    description: str  # for the "starting …" line


def python_for(project: Project) -> str:
    for venv in (project.root / ".venv", project.root / "venv"):
        candidate = venv / "bin" / "python"
        if candidate.exists():
            return str(candidate)
    active = os.environ.get("VIRTUAL_ENV")
    if active and (Path(active) / "bin" / "python").exists():
        return str(Path(active) / "bin" / "python")
    return sys.executable


def start_command(project: Project) -> StartCommand:
    hook = project.hook("start")
    if hook:
        return StartCommand(["/bin/sh", "-c", hook], f"start hook: {hook}")
    python = python_for(project)
    shown = os.path.relpath(python, project.root) if python.startswith(str(project.root)) else python
    if (project.root / "app.py").is_file():
        return StartCommand([python, "app.py"], f"{shown} app.py")
    packages = sorted(p.parent.name for p in project.root.glob("*/__main__.py")
                      if p.parent.name not in IGNORED_DIRS and not p.parent.name.startswith("."))
    if len(packages) == 1:
        return StartCommand([python, "-m", packages[0]], f"{shown} -m {packages[0]}")
    raise UsageError(f"nothing to run in {project.root}: no start hook in .slack/hooks.json, no app.py"
                     + (f", and {len(packages)} packages with a __main__.py" if packages else ""),
                     'add {"hooks": {"start": "python3 app.py"}} to .slack/hooks.json')


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


def is_manifest_path(project: Project, path: str) -> bool:
    p = Path(path)
    return (p.parent == project.root and p.name in MANIFEST_FILES) or \
        (p.parent.name == SLACK_DIR and p.name in ("environments.json", "hooks.json"))
