"""Test helpers for scaffolding: build a template folder from a dict, make a local git repository of it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    proc = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return proc.stdout


def make_repo(path: Path, files: dict[str, str], branches: dict[str, dict[str, str]] | None = None) -> str:
    """A git repository with `files` on main and each extra branch adding its files; returns its file:// URL."""
    write_tree(path, files)
    git(path, "init", "-q", "-b", "main")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "template")
    for branch, extra in (branches or {}).items():
        git(path, "checkout", "-q", "-b", branch)
        write_tree(path, extra)
        git(path, "add", "-A")
        git(path, "commit", "-q", "-m", branch)
        git(path, "checkout", "-q", "main")
    return path.as_uri()


def isolate_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """git with no user identity: an empty global config of our own, no system config. Returns that file."""
    cfg = tmp_path / "gitconfig"
    cfg.write_text("", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(cfg))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(var, raising=False)
    return cfg
