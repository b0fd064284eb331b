"""Names git reads from a work tree as its own: its folder in every spelling a filesystem may map to `.git`."""

from __future__ import annotations

import re

# Code points HFS+ (macOS) ignores when it compares names, so `.g\u200cit` opens `.git` there. The same list git
# uses for core.protectHFS (utf8.c, is_hfs_dotgit).
_HFS_IGNORABLE = re.compile("[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]")
# NTFS drops trailing dots and spaces, and `name:stream` opens `name`; `GIT~1` is the 8.3 short name of `.git`.
_NTFS_TAIL = re.compile(r"[. ]+$")
_SHORT_NAME = re.compile(r"git~[0-9]+")
# Files git reads as settings for the work tree. They are ordinary template files, but git no longer follows them
# when they are links (and refuses a linked .gitmodules), so a link by one of these names is refused.
GIT_FILES = frozenset({".gitmodules", ".gitattributes", ".gitignore", ".mailmap"})


def _fold(name: str) -> str:
    """The name as the most permissive filesystem git supports would compare it."""
    name = _HFS_IGNORABLE.sub("", name)
    name = name.split(":", 1)[0]
    return _NTFS_TAIL.sub("", name).casefold()


def is_git_dir_name(name: str) -> bool:
    """True when a case-insensitive, NTFS or HFS+ filesystem (or git itself) would take `name` for `.git`."""
    folded = _fold(name)
    return folded == ".git" or bool(_SHORT_NAME.fullmatch(folded))


def is_git_file_name(name: str) -> bool:
    return _fold(name) in GIT_FILES


def git_dir_part(rel: str) -> str | None:
    """The first component of a `/`-separated path that names git's folder, or None."""
    return next((part for part in rel.split("/") if is_git_dir_name(part)), None)
