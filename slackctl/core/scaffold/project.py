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


def write_slack_files(root: Path) -> str:
    """`.slack/config.json` as Slack's CLI writes it (a new project id, local manifest) and `.slack/.gitignore`
    keeping per-developer app ids out of git. A template's own config is kept, with a fresh project id."""
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
    project_id = str(uuid.uuid4())
    config["project_id"] = project_id
    if not isinstance(config.get("manifest"), dict):
        config["manifest"] = {"source": "local"}
    config["manifest"].setdefault("source", "local")
    config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
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


def _git(args: list[str], cwd: Path, hooks: Path | None = None) -> subprocess.CompletedProcess[str]:
    from slackctl.core.scaffold.fetch import git_env, no_hooks_config

    config = no_hooks_config(hooks) if hooks is not None else []
    return subprocess.run(["git", *config, *args], cwd=cwd, capture_output=True, text=True, env=git_env(),
                          stdin=subprocess.DEVNULL, timeout=120)


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
        proc = _git([*identity, "commit", "--quiet", "--no-verify", "--no-gpg-sign", "-m", message], root,
                    Path(hooks))
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


def install(root: Path, progress: ProgressFactory = _no_progress) -> bool:
    """Create `.venv` and install the project's requirements into it. Returns False when there is nothing
    Python to install (e.g. a JavaScript template). pip's output goes to .venv/slackctl-install.log."""
    root = root.resolve()
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
            _run_logged([str(venv_python(root)), *pip_args, *own], root, root / ".venv" / INSTALL_LOG,
                        "pip install")
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
        network = any(w in text for w in ("NewConnectionError", "ConnectTimeout", "Temporary failure in name",
                                          "Max retries exceeded", "timed out"))
        error = NetworkError if network else UsageError
        raise error(f"{what} failed: {detail[:300]}",
                    "nothing was created; retry, or pass --no-install and install the requirements yourself")
