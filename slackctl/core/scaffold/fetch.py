"""Get a template's files: a folder is read in place, a git repository is cloned with `git` into a work folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from slackctl.core.scaffold.discover import TemplateSource
from slackctl.errors import UsageError

GIT_TIMEOUT_SECONDS = 300.0


# Variables that would point git at another repository than the one in its working folder (set, for example, when
# slackctl runs from inside a git hook): `git init` would re-initialise that one and commit the template into it.
_REPOSITORY_VARIABLES = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
)


def git_env() -> dict[str, str]:
    """git that never stops to ask for a password (scripts hang otherwise), never pages output, and works on
    the repository of its working folder only."""
    env = {k: v for k, v in os.environ.items() if k not in _REPOSITORY_VARIABLES}
    env.update(
        {
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_PAGER": "cat",
            "GCM_INTERACTIVE": "never",
            "GIT_SSH_COMMAND": env.get("GIT_SSH_COMMAND", "ssh -o BatchMode=yes"),
        }
    )
    return env


def no_hooks_config(empty_dir: Path) -> list[str]:
    """`git -c` options for slackctl's own git commands: no hook runs (core.hooksPath is an empty folder, which
    also covers hooks copied from init.templateDir) and no fsmonitor command. Given on the command line, they
    apply to that one command and are never written to a repository's config."""
    return ["-c", f"core.hooksPath={empty_dir}", "-c", "core.fsmonitor=false"]


def clone_command(url: str, dest: Path, branch: str | None, hooks: Path | None = None) -> list[str]:
    """A shallow, single-branch clone without submodules (a template needs only its latest files)."""
    cmd = [
        "git",
        *(no_hooks_config(hooks) if hooks else []),
        "clone",
        "--quiet",
        "--depth",
        "1",
        "--single-branch",
        "--no-tags",
    ]
    if branch:
        cmd += ["--branch", branch]
    return [*cmd, "--", url, str(dest)]


def clone(source: TemplateSource, dest: Path) -> Path:
    if shutil.which("git") is None:
        raise UsageError(
            "git is not installed, so git templates cannot be fetched",
            "install git, or clone the repository yourself and pass the folder to --template",
        )
    try:
        # A post-checkout hook (from the user's init.templateDir or global hooksPath) would run inside the
        # untrusted checkout: no hooks for the clone either.
        with tempfile.TemporaryDirectory(prefix="slackctl-no-hooks-") as hooks:
            proc = subprocess.run(
                clone_command(source.location, dest, source.branch, Path(hooks)),
                capture_output=True,
                text=True,
                env=git_env(),
                timeout=GIT_TIMEOUT_SECONDS,
                stdin=subprocess.DEVNULL,
            )
    except subprocess.TimeoutExpired:
        raise UsageError(f"git clone of {source.label} took too long", "check the URL and your network") from None
    if proc.returncode != 0:
        lines = [ln.strip() for ln in proc.stderr.splitlines() if ln.strip()]
        detail = lines[-1] if lines else f"exit {proc.returncode}"
        detail = detail.replace(source.location, source.label).removeprefix("fatal: ")
        hint = (
            "check the URL" + (" and --branch" if source.branch else "") + "; private repositories need git "
            "credentials set up (ssh keys or a credential helper)"
        )
        raise UsageError(f"cannot clone {source.label}: {detail}", hint)
    shutil.rmtree(dest / ".git", ignore_errors=True)
    return dest


def fetch(source: TemplateSource, workdir: Path) -> Path:
    """The template's root folder: the source folder itself (read in place) or a fresh clone in `workdir`.
    --subdir is applied here; the result is checked to be a folder that stays inside what was fetched."""
    if source.kind == "git":
        root = clone(source, workdir / "clone")
    else:
        root = Path(source.location)
    if not source.subdir:
        return root
    sub = root / source.subdir
    if sub.is_symlink() or not sub.is_dir():
        raise UsageError(
            f"--subdir {source.subdir!r} is not a folder in {source.label}",
            "check the path inside the template repository",
        )
    resolved_root = root.resolve()
    if not sub.resolve().is_relative_to(resolved_root):
        raise UsageError(f"--subdir {source.subdir!r} points outside the template", "pass a folder inside it")
    return sub
