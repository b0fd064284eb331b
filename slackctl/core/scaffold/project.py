"""Finishing a new project: `.slack/` files for later commands, `git init` with a first commit, a venv."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from slackctl.core.scaffold import selfwheel
from slackctl.core.scaffold.limits import MAX_RENDERED_BYTES, read_bounded
from slackctl.errors import NetworkError, UsageError

SLACK_DIR = ".slack"
DEV_REQUIREMENTS = "requirements-dev.txt"
INSTALL_LOG = "slackctl-install.log"
GIT_IDENTITY = ["-c", "user.name=slackctl", "-c", "user.email=slackctl@localhost"]
ProgressFactory = Callable[[str], contextlib.AbstractContextManager[None]]


def write_slack_files(root: Path, *, keep_project_id: bool = False) -> str:
    """`.slack/config.json` as Slack's CLI writes it (a new project id, local manifest), a `.slack/hooks.json`
    (the template's own, else `default_hooks`) and `.slack/.gitignore` keeping per-developer app ids out of git.
    A template's own config is kept, with a fresh project id."""
    folder = root / SLACK_DIR
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise UsageError(f"the template's {SLACK_DIR} is not a folder", "fix the template")
    folder.mkdir(exist_ok=True)
    config_path = folder / "config.json"
    config: dict = {}
    if config_path.is_file() and not config_path.is_symlink():
        raw = read_bounded(config_path, MAX_RENDERED_BYTES, f"{SLACK_DIR}/config.json")
        with contextlib.suppress(UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            loaded = json.loads(raw.decode("utf-8"))
            config = loaded if isinstance(loaded, dict) else {}
    elif config_path.is_symlink():
        config_path.unlink()
    kept = config.get("project_id") if keep_project_id else None
    project_id = kept if isinstance(kept, str) and kept.strip() else str(uuid.uuid4())
    config["project_id"] = project_id
    if not isinstance(config.get("manifest"), dict):
        config["manifest"] = {"source": "local"}
    config["manifest"].setdefault("source", "local")
    config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    hooks_path = folder / "hooks.json"
    if not hooks_path.exists() and not hooks_path.is_symlink():
        hooks_path.write_text(json.dumps(default_hooks(root), indent=2) + "\n", encoding="utf-8")
    ignore = folder / ".gitignore"
    lines: list[str] = []
    if ignore.is_file() and not ignore.is_symlink():
        raw = read_bounded(ignore, MAX_RENDERED_BYTES, f"{SLACK_DIR}/.gitignore")
        lines = raw.decode("utf-8", "replace").splitlines()
    if "apps.dev.json" not in lines:
        lines.append("apps.dev.json")
        if ignore.is_symlink():
            ignore.unlink()
        ignore.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return project_id


# The get-hooks commands of Slack's own templates, used when the project depends on the SDK's hooks package.
PY_GET_HOOKS = "python3 -m slack_cli_hooks.hooks.get_hooks"
JS_GET_HOOKS = "npx -q --no-install -p @slack/cli-hooks slack-cli-get-hooks"


def detect_runtime(root: Path) -> str | None:
    """ "node", "python" or "deno" from the project's files, else None."""
    if (root / "package.json").is_file():
        return "node"
    if any((root / n).is_file() for n in ("deno.json", "deno.jsonc", "import_map.json", "manifest.ts")):
        return "deno"
    if any((root / n).is_file() for n in ("requirements.txt", "pyproject.toml", "app.py")):
        return "python"
    return None


def default_hooks(root: Path) -> dict:
    """A `.slack/hooks.json` Slack's CLI accepts and runs: the SDK's get-hooks when the project depends on the
    hooks package, else an explicit start hook with the SDK-managed connection and watch paths, as the hooks
    packages would answer (slackctl runs either)."""
    runtime = detect_runtime(root)
    if runtime == "node":
        package = _json_file(root / "package.json")
        deps = {**(package.get("dependencies") or {}), **(package.get("devDependencies") or {})}
        if "@slack/cli-hooks" in deps:
            return {"hooks": {"get-hooks": JS_GET_HOOKS}}
        scripts = package.get("scripts") or {}
        start = (
            "npm start"
            if isinstance(scripts, dict) and scripts.get("start")
            else f"node {package.get('main') or 'app.js'}"
        )
        return _explicit(start, "node", "\\.(js|mjs|cjs|ts)$")
    if runtime == "python":
        requirements = root / "requirements.txt"
        if requirements.is_file() and "slack-cli-hooks" in requirements.read_text("utf-8", "replace").lower().replace(
            "_", "-"
        ):
            return {"hooks": {"get-hooks": PY_GET_HOOKS}}
        return _explicit("python3 app.py", "python", "\\.py$")
    return {"hooks": {}}


def _explicit(start: str, runtime: str, app_regex: str) -> dict:
    return {
        "hooks": {"start": start},
        "config": {
            "sdk-managed-connection-enabled": True,
            "watch": {"app": {"filter-regex": app_regex, "paths": ["."]}, "manifest": {"paths": ["manifest.json"]}},
        },
        "runtime": runtime,
    }


def _json_file(path: Path) -> dict:
    with contextlib.suppress(OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        data = json.loads(read_bounded(path, MAX_RENDERED_BYTES, path.name).decode("utf-8"))
        if isinstance(data, dict):
            return data
    return {}


def _git(args: list[str], cwd: Path, hooks: Path | None = None) -> subprocess.CompletedProcess[str]:
    from slackctl.core.scaffold.fetch import git_env, no_hooks_config

    config = no_hooks_config(hooks) if hooks is not None else []
    return subprocess.run(
        ["git", *config, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=git_env(),
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def has_git_identity(cwd: Path) -> bool:
    """True when git already knows who commits (config or GIT_* variables); then we do not override it."""
    env = os.environ
    for key in ("name", "email"):
        if env.get(f"GIT_AUTHOR_{key.upper()}") and env.get(f"GIT_COMMITTER_{key.upper()}"):
            continue
        if _git(["config", f"user.{key}"], cwd).returncode != 0:
            return False
    return True


def git_available() -> bool:
    return shutil.which("git") is not None


def git_init(root: Path, message: str) -> None:
    """`git init` and one commit of everything the template wrote (its .gitignore applies).

    Every git command here runs with core.hooksPath set to an empty folder and core.fsmonitor off, so no hook
    runs — not the user's (global hooksPath, init.templateDir) and never anything from the template, which
    cannot write `.git` at all (write.safe_output_path). Nothing of this is written to the repository's config."""
    if os.path.lexists(root / ".git"):
        # copy_template never writes one; a `.git` here would make git adopt someone else's repository.
        raise UsageError("the new project already has a .git before git init", "or pass --no-git")
    with tempfile.TemporaryDirectory(prefix="slackctl-no-hooks-") as hooks:
        for args in (["init", "--quiet"], ["add", "--all"]):
            proc = _git(args, root, Path(hooks))
            if proc.returncode != 0:
                raise UsageError(f"git {args[0]} failed: {_last_line(proc.stderr)}", "or pass --no-git")
        identity = [] if has_git_identity(root) else GIT_IDENTITY
        # --no-gpg-sign: a first commit of generated files must not depend on the user's signing agent.
        proc = _git([*identity, "commit", "--quiet", "--no-verify", "--no-gpg-sign", "-m", message], root, Path(hooks))
        if proc.returncode != 0:
            raise UsageError(f"git commit failed: {_last_line(proc.stderr or proc.stdout)}", "or pass --no-git")


def _last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[-1] if lines else "no output"


def venv_python(root: Path) -> Path:
    return root / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def install_command(root: Path) -> list[str] | None:
    """What pip installs: requirements-dev.txt (the app's requirements and its tests'), else requirements.txt, else
    the project itself when pyproject.toml declares one."""
    for name in DEV_REQUIREMENTS, "requirements.txt":
        if (root / name).is_file():
            return ["-m", "pip", "install", "--disable-pip-version-check", "-r", name]
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and b"[project]" in read_bounded(pyproject, MAX_RENDERED_BYTES, "pyproject.toml"):
        return ["-m", "pip", "install", "--disable-pip-version-check", "-e", "."]
    return None


@contextlib.contextmanager
def _no_progress(text: str) -> Iterator[None]:
    yield


def npm_command(root: Path) -> list[str] | None:
    """`npm ci` when the project has a lock file (exactly the locked versions), else `npm install`."""
    if not (root / "package.json").is_file():
        return None
    verb = "ci" if (root / "package-lock.json").is_file() else "install"
    return ["npm", verb, "--no-audit", "--no-fund"]


def install(root: Path, progress: ProgressFactory = _no_progress) -> bool:
    """Install the project's dependencies: `.venv` and its requirements for Python, node_modules (npm) for
    JavaScript and TypeScript. Returns False when there is nothing to install. The installer's output goes to
    .venv/slackctl-install.log or node_modules/slackctl-install.log."""
    root = root.resolve()
    npm = npm_command(root)
    if npm is not None:
        if shutil.which("npm") is None:
            raise UsageError(
                "npm is not installed: the project's dependencies cannot be installed",
                "install Node.js and npm (e.g. apt-get install nodejs npm), or pass --no-install",
            )
        log = root / f".{INSTALL_LOG}"
        with progress(f"Installing dependencies ({' '.join(npm[:2])})"):
            _run_logged(npm, root, log, " ".join(npm[:2]))
        (root / "node_modules").mkdir(exist_ok=True)
        log.replace(root / "node_modules" / INSTALL_LOG)
        return True
    pip_args = install_command(root)
    if pip_args is None:
        return False
    with progress("Creating a virtual environment in .venv"):
        _run_logged([sys.executable, "-m", "venv", str(root / ".venv")], root, root / ".venv.log", "python -m venv")
        (root / ".venv.log").replace(root / ".venv" / INSTALL_LOG)
    with progress("Installing requirements into .venv"):
        wheels = Path(tempfile.mkdtemp(prefix="slackctl-wheel-", dir=root / ".venv"))
        try:
            # A project whose dev requirements name slackctl gets this very slackctl (selfwheel.py says why).
            own = [str(selfwheel.build(wheels))] if _wants_slackctl(root) else []
            _run_logged([str(venv_python(root)), *pip_args, *own], root, root / ".venv" / INSTALL_LOG, "pip install")
        finally:
            shutil.rmtree(wheels, ignore_errors=True)
    return True


def _wants_slackctl(root: Path) -> bool:
    path = root / DEV_REQUIREMENTS
    if not path.is_file() or path.is_symlink():
        return False
    text = read_bounded(path, MAX_RENDERED_BYTES, DEV_REQUIREMENTS).decode("utf-8", errors="replace")
    return selfwheel.wants_self(text)


def _run_logged(cmd: list[str], cwd: Path, log: Path, what: str) -> None:
    """Run a child with its output in `log`; on Ctrl-C/SIGTERM stop it before the rollback deletes its files."""
    with open(log, "ab") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            code = proc.wait()
        except BaseException:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            raise
    if code != 0:
        text = log.read_text(encoding="utf-8", errors="replace")
        lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith(" ")]
        detail = lines[-1] if lines else f"exit {code}"
        network = any(
            w in text
            for w in (
                "NewConnectionError",
                "ConnectTimeout",
                "Temporary failure in name",
                "Max retries exceeded",
                "timed out",
                "ENOTFOUND",
                "ECONNREFUSED",
                "ETIMEDOUT",
                "EAI_AGAIN",
            )
        )
        error = NetworkError if network else UsageError
        raise error(
            f"{what} failed: {detail[:300]}",
            "nothing was created; retry, or pass --no-install and install the dependencies yourself",
        )
