"""Safe writing: stage beside the target, never write outside it, move into place, undo everything on failure."""

from __future__ import annotations

import contextlib
import fnmatch
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import BinaryIO

from slackctl.core.scaffold.discover import METADATA_FILE, check_relative
from slackctl.core.scaffold.gitnames import git_dir_part, is_git_dir_name, is_git_file_name
from slackctl.core.scaffold.limits import MAX_RENDERED_BYTES, copy_stream, too_big_to_render
from slackctl.core.scaffold.render import PlaceholderScan, render_name, render_text, used_variables
from slackctl.errors import UsageError

# Never copied from a template: VCS data, caches, virtualenvs (they hold absolute paths of someone else's disk).
# `.git` here is the template's own version control (a folder, or a file pointing to one): skipped, never copied.
SKIP_DIRS = frozenset(
    {".git", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".venv", "venv", "node_modules", ".tox"}
)
SKIP_FILES = frozenset({".DS_Store", ".git"})


def _is_text(data: bytes) -> bool:
    if b"\0" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def safe_output_path(rel: str, where: str, variables: dict[str, str] | None = None) -> str:
    """A rendered relative path, refused when it is absolute, climbs out with `..`, or names git's own folder
    in any spelling (`.GIT`, `.git.`, `git~1`, …): the project's repository is made by slackctl alone."""
    try:
        out = check_relative(rel, f"template file {where!r}")
    except UsageError as exc:
        raise UsageError(
            f"template file {where!r} would be written to {rel!r}, outside the new project",
            "refusing to create it; fix or drop this template",
        ) from exc
    if git_dir_part(out) is None:
        return out
    for part in where.split("/"):
        names = used_variables(part, variables or {})
        if names and git_dir_part(render_name(part, variables or {}).replace("\\", "/")) is not None:
            shown = ", ".join(f"{name} = {(variables or {})[name]!r}" for name in names)
            raise UsageError(
                f"template file {where!r} would be written to {out!r}, inside git's own folder "
                f"(variable {shown}); refusing it",
                "a template can never write .git: fix the variable's value (--var) or drop this template",
            )
    raise UsageError(
        f"template file {where!r} would be written into git's own folder ({git_dir_part(out)!r} is "
        ".git on some filesystems); refusing it",
        "a template can never write .git: fix or drop this template",
    )


def copy_template(src: Path, dest: Path, variables: dict[str, str] | None, exclude: Sequence[str] = ()) -> list[str]:
    """Copy `src` into the empty folder `dest`, rendering names and text when `variables` is given.
    Returns the relative paths written. Symlinks are copied only when they point inside the template."""
    src_real = src.resolve()
    written: list[str] = []
    links: list[tuple[Path, str]] = []
    for dirpath, dirnames, filenames in os.walk(src):  # os.walk does not follow symlinked folders
        here = Path(dirpath)
        rel_dir = here.relative_to(src).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir
        for name in sorted(dirnames):
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if name in SKIP_DIRS or _excluded(rel, exclude):
                dirnames.remove(name)
            elif (here / name).is_symlink():
                dirnames.remove(name)
                links.append((here / name, rel))
        dirnames.sort()
        for name in sorted(filenames):
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if name in SKIP_FILES or (rel == METADATA_FILE and variables is not None) or _excluded(rel, exclude):
                continue
            path = here / name
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                links.append((path, rel))
                continue
            if not stat.S_ISREG(info.st_mode):
                raise UsageError(f"template file {rel!r} is not a regular file", "remove it from the template")
            out_rel = safe_output_path(render_name(rel, variables) if variables else rel, rel, variables)
            _copy_file(path, dest, rel, out_rel, variables, info.st_mode & 0o777)
            written.append(out_rel)
    # Links last, so no file above was ever written through one of them.
    placed: list[tuple[str, str]] = []
    for path, rel in links:
        target = os.readlink(path)
        out_rel = safe_output_path(render_name(rel, variables) if variables else rel, rel, variables)
        check_link_source(src_real, rel, target)
        name = out_rel.rsplit("/", 1)[-1]
        if is_git_file_name(name):
            raise UsageError(
                f"template link {rel!r}: {name} must be a regular file, not a link (git does not follow it)",
                "replace the link with the file itself",
            )
        os.symlink(target, _prepare_parent(dest, out_rel))
        placed.append((rel, out_rel))
        written.append(out_rel)
    # Checked again where they landed, through every link now in place: a rendered name may have moved a link.
    check_links_inside(dest, placed)
    return written


def check_link_source(src_real: Path, rel: str, target: str) -> None:
    """A template link must resolve, as the OS resolves it (through the template's other links), inside it."""
    if os.path.isabs(target):
        raise UsageError(f"template link {rel!r} points to an absolute path", "refusing to copy it")
    if any(is_git_dir_name(part) for part in target.replace("\\", "/").split("/")):
        raise UsageError(f"template link {rel!r} points into git's own folder ({target})", "refusing to copy it")
    # realpath, not normpath: with `y -> .`, `y/y/../x` is the template's parent, though as text it is `y/x`.
    landed = Path(os.path.realpath(src_real / os.path.dirname(rel) / target))
    if not landed.is_relative_to(src_real):
        raise UsageError(f"template link {rel!r} points outside the template ({target})", "refusing to copy it")


def check_links_inside(root: Path, links: list[tuple[str, str]]) -> None:
    """Each link, (name for messages, path under `root`), must resolve inside `root` and not into its `.git`."""
    root_real = root.resolve()
    for name, rel in links:
        landed = Path(os.path.realpath(root_real / rel))
        if not landed.is_relative_to(root_real):
            raise UsageError(
                f"template link {name!r} would point outside the new project ({os.readlink(root / rel)})",
                "refusing to create it",
            )
        if git_dir_part(landed.relative_to(root_real).as_posix()) is not None:
            raise UsageError(f"template link {name!r} would point into git's own folder", "refusing to create it")


def _copy_file(path: Path, dest: Path, rel: str, out_rel: str, variables: dict[str, str] | None, mode: int) -> None:
    """One file: read whole and rendered when it is small text; otherwise streamed, never held in memory."""
    # O_NOFOLLOW: the file checked above cannot be swapped for a link to something else in the meantime.
    with open(os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)), "rb") as src_fh:
        small = min(os.fstat(src_fh.fileno()).st_size, MAX_RENDERED_BYTES)
        # One byte more than expected: a file that grew since is streamed rather than cut short.
        prefix = src_fh.read(small + 1) if variables is not None else b""
        with _open_new(dest, out_rel, mode) as out:
            if variables is not None and len(prefix) <= small:
                if _is_text(prefix):
                    prefix = render_text(prefix.decode("utf-8"), variables, suffix=Path(out_rel).suffix).encode("utf-8")
                out.write(prefix)
                return
            scan = PlaceholderScan(variables) if variables is not None else None
            size = copy_stream(src_fh, out, prefix, scan.feed if scan else None)
            if scan is not None and scan.renders():
                raise too_big_to_render(rel, size)


def _excluded(rel: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(rel.rsplit("/", 1)[-1], p) for p in patterns)


def _prepare_parent(dest: Path, rel: str) -> Path:
    """Create the folders of `rel` under `dest`, refusing to pass through a symlink or an existing file."""
    current = dest
    parts = rel.split("/")
    for part in parts[:-1]:
        current = current / part
        if current.is_symlink():
            raise UsageError(f"template path {rel!r} goes through a link", "refusing to write through links")
        if not current.exists():
            current.mkdir()
        elif not current.is_dir():
            raise UsageError(f"template path {rel!r} clashes with a file of the same name", "fix the template")
    final = current / parts[-1]
    if final.exists() or final.is_symlink():
        raise UsageError(f"two template files render to the same name {rel!r}", "fix the template's file names")
    return final


def _open_new(dest: Path, rel: str, mode: int) -> BinaryIO:
    path = _prepare_parent(dest, rel)
    # O_EXCL|O_NOFOLLOW: never overwrite, never follow a link that appeared in the meantime.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), mode | 0o600)
    return os.fdopen(fd, "wb")


def is_empty_dir(path: Path) -> bool:
    return path.is_dir() and not any(path.iterdir())


class Staging:
    """Build the project in `.NAME.slackctl-XXXX` beside the target, then move it into place.

    `rollback()` (called on any exception) removes everything this object created: the staging folder, the
    target it moved into place (or, with --force, the files it added to an existing folder, restoring the
    ones it replaced), and parent folders it had to create."""

    def __init__(self, target: Path, *, force: bool = False) -> None:
        self.target = target
        self.force = force
        self.existed = target.exists() or target.is_symlink()
        if self.existed and not target.is_dir():
            raise UsageError(f"{target} exists and is not a folder", "pick another name")
        if self.existed and not is_empty_dir(target) and not force:
            raise UsageError(
                f"{target} already exists and is not empty",
                "pick another name, or pass --force to add the template's files to it",
            )
        self.created_parents: list[Path] = []
        self.dir: Path | None = None
        self.backup: Path | None = None
        self.added: list[Path] = []
        self.replaced: list[tuple[Path, Path]] = []
        self.placed = False

    def __enter__(self) -> Staging:
        parent = self.target.parent
        missing = []
        while not parent.exists():
            missing.append(parent)
            parent = parent.parent
        for folder in reversed(missing):
            folder.mkdir()
            self.created_parents.append(folder)
        self.dir = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.slackctl-", dir=self.target.parent))
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is not None:
            self.rollback()
        else:
            self._cleanup_temp()

    def place(self) -> None:
        """Move the staged project to the target: one rename, or a merge into an existing folder (--force)."""
        assert self.dir is not None
        if not self.existed:
            os.rename(self.dir, self.target)
        else:
            # Into the existing folder itself (never replace it: a shell may be sitting in it, e.g. `create .`).
            self._merge(self.dir, self.target)
            shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None
        self.placed = True

    def _merge(self, src: Path, dest: Path) -> None:
        for entry in sorted(src.iterdir()):
            there = dest / entry.name
            if entry.is_dir() and not entry.is_symlink() and there.is_dir() and not there.is_symlink():
                self._merge(entry, there)
                continue
            if there.exists() or there.is_symlink():
                if self.backup is None:
                    self.backup = Path(
                        tempfile.mkdtemp(prefix=f".{self.target.name}.slackctl-backup-", dir=self.target.parent)
                    )
                saved = self.backup / str(len(self.replaced))
                os.rename(there, saved)
                self.replaced.append((there, saved))
            os.rename(entry, there)
            self.added.append(there)

    def rollback(self) -> None:
        # A second Ctrl-C must not leave the cleanup half done.
        with _ignore_sigint():
            if self.dir is not None:
                shutil.rmtree(self.dir, ignore_errors=True)
                self.dir = None
            if self.placed and not self.existed:
                shutil.rmtree(self.target, ignore_errors=True)
            elif self.placed:
                for path in reversed(self.added):
                    _remove(path)
                for path, saved in reversed(self.replaced):
                    os.rename(saved, path)
            self._cleanup_temp()
            for folder in reversed(self.created_parents):
                with contextlib.suppress(OSError):
                    folder.rmdir()

    def _cleanup_temp(self) -> None:
        for folder in (self.dir, self.backup):
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
        self.dir = self.backup = None


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


@contextlib.contextmanager
def _ignore_sigint() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt while creating, so the same rollback runs as for Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
