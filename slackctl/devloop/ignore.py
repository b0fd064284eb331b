"""Which file changes `slackctl run` restarts the app for, and which it ignores.

Ignored: environments and caches (`.venv`, `node_modules`, `__pycache__`, ...), editors' temporary files, the
deploy records slackctl writes, files git ignores, and the files that slackctl's or the app's stdout/stderr are
redirected to — `slackctl run --emulator > url.txt` inside the project would otherwise restart the app on every
line it prints, and each start prints more (issue 23 item 2).

Two layers: a watchfiles filter with the cheap rules, asked per path inside the watcher; and `Ignore.keep`, asked
once per debounced batch, for the rules that need a process (git) or /proc.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from slackctl.core.project import SLACK_DIR, Project

# Never watched: environments, VCS, caches, build output.
IGNORED_DIRS = (
    ".venv",
    "venv",
    ".git",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
    ".tox",
    ".nox",
    "node_modules",
    ".idea",
    ".vscode",
    "build",
    "dist",
    ".eggs",
)
IGNORED_FILES = ("apps.json", "apps.dev.json", "slackctl.json")  # under .slack/: written by deploys
# Editors' and tools' temporary files: sed -i's `sedXXXXXX`, vim's swap files and `4913` probe, emacs's `.#x` lock
# and `#x#` autosave, backups `x~`, JetBrains' `x___jb_tmp___`, LibreOffice's `.~lock.x#`.
EDITOR_TEMP = re.compile(
    r"^(sed[A-Za-z0-9]{6}|4913|\.#.*|#.*#|.*~|.*\.sw[a-p]|.*___jb_\w+___|\.~lock\..*#"
    r"|.*\.tmp|\.goutputstream-\w+)$"
)
STD_STREAMS = (1, 2)


def is_editor_temp(name: str) -> bool:
    return EDITOR_TEMP.match(name) is not None


class Ignore:
    """The project's ignore rules: call it as a watchfiles filter; `keep(paths, app_pid)` drops what a batch holds
    of git-ignored files and redirected output."""

    def __init__(self, project: Project) -> None:
        from watchfiles import DefaultFilter

        self.root = project.root
        self._default = DefaultFilter(ignore_dirs=tuple(sorted(set(DefaultFilter.ignore_dirs) | set(IGNORED_DIRS))))
        # config.watch of the project's hooks (hooks.json or the SDK's get-hooks): only those paths restart the
        # app or redeploy the manifest; without it, everything not ignored does.
        config = project.sdk_config()
        self._watches = [w for w in (config.watch_app, config.watch_manifest) if w is not None]
        self._project = project

    def __call__(self, change: Any, path: str) -> bool:
        p = Path(path)
        if p.parent.name == SLACK_DIR and p.name in IGNORED_FILES:
            return False
        if is_editor_temp(p.name):
            return False
        if not self._default(change, path):
            return False
        if self._watches:
            root = self.root.resolve()
            return any(w.matches(root, path) for w in self._watches) or self._project.is_manifest_path(path)
        return True

    def keep(self, paths: set[str], app_pid: int | None = None) -> set[str]:
        """PATHS without the files stdout/stderr of slackctl or of the app's process group write to, and
        without those git ignores."""
        outputs = output_files([os.getpid()] + _group_members(app_pid))
        left = {p for p in paths if not _is_one_of(p, outputs)}
        if left:
            left -= git_ignored(self.root, left)
        return left


# ---- redirected output ----------------------------------------------------------------------------------------
def output_files(pids: Iterable[int]) -> tuple[set[str], set[tuple[int, int]]]:
    """The regular files that the stdout/stderr of PIDS point to: their paths (from /proc) and (device, inode)
    pairs (from fstat for this process, so it works without /proc too)."""
    paths: set[str] = set()
    ids: set[tuple[int, int]] = set()
    for fd in STD_STREAMS:
        with contextlib.suppress(OSError):
            st = os.fstat(fd)
            if stat.S_ISREG(st.st_mode):
                ids.add((st.st_dev, st.st_ino))
    for pid in pids:
        for fd in STD_STREAMS:
            with contextlib.suppress(OSError):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("/"):
                    paths.add(target.removesuffix(" (deleted)"))
    return paths, ids


def _is_one_of(path: str, outputs: tuple[set[str], set[tuple[int, int]]]) -> bool:
    paths, ids = outputs
    if path in paths or os.path.realpath(path) in paths:
        return True
    try:
        st = os.stat(path)
    except OSError:
        return False
    return (st.st_dev, st.st_ino) in ids


def _group_members(pgid: int | None) -> list[int]:
    """The processes of the app's process group (the app runs as its group's leader; a start hook's shell and the
    app it starts, with their own redirections, share it). Linux /proc; empty elsewhere."""
    if pgid is None:
        return []
    members = []
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if len(fields) > 2 and int(fields[2]) == pgid:  # state, ppid, pgrp
                members.append(int(entry.name))
    return members


# ---- git ------------------------------------------------------------------------------------------------------
def git_ignored(root: Path, paths: Iterable[str]) -> set[str]:
    """The PATHS git ignores in ROOT's work tree (.gitignore, .git/info/exclude, the global excludes); none when
    ROOT is not in one or git is missing. `check-ignore` runs no hooks; the fsmonitor hook is switched off."""
    listed = sorted(paths)
    try:
        proc = subprocess.run(
            ["git", "-c", "core.fsmonitor=false", "check-ignore", "--stdin", "-z"],
            cwd=root,
            input="\0".join(listed).encode() + b"\0",
            capture_output=True,
            timeout=10,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
        )
    except (OSError, subprocess.SubprocessError):
        return set()
    if proc.returncode != 0:  # 1: none ignored; 128: not a work tree
        return set()
    return {
        os.path.join(root, p) if not os.path.isabs(p) else p
        for p in proc.stdout.decode(errors="surrogateescape").split("\0")
        if p
    }
