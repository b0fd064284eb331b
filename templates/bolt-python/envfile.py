"""Load KEY=VALUE lines from .env into os.environ (stdlib only; values already set in the environment win)."""

from __future__ import annotations

import os
from pathlib import Path


def parse_env(text: str) -> dict[str, str]:
    """Parse .env text: comments, blank lines, `export KEY=VALUE`, and single or double quotes."""
    values: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def load_env(path: str | Path = ".env") -> dict[str, str]:
    """Set the variables from `path` that the environment does not already define; return what was read."""
    file = Path(path)
    if not file.is_file():
        return {}
    values = parse_env(file.read_text(encoding="utf-8"))
    for key, value in values.items():
        os.environ.setdefault(key, value)
    return values
