"""Shell completion of slackctl's own names: profiles, built-in templates, environments (methods: api/__init__.py).

Each function is called by click only while completing; it imports what it needs then, reads nothing it cannot
read quietly, and never raises (a broken config or project completes to nothing instead of a traceback)."""

from __future__ import annotations


def complete_profile(incomplete: str) -> list[str]:
    """The stored profiles (config.toml), for -p/--profile, auth switch and auth logout."""
    try:
        from slackctl.config import load_config

        names = sorted(load_config().profiles)
    except Exception:  # noqa: BLE001 - completion must never fail loudly
        return []
    return [name for name in names if name.startswith(incomplete)]


def complete_template(incomplete: str) -> list[str]:
    """The built-in templates, for create -t (folders and URLs are the user's to type)."""
    try:
        from slackctl.core.scaffold.discover import builtin_names

        names = sorted(builtin_names())
    except Exception:  # noqa: BLE001
        return []
    return [name for name in names if name.startswith(incomplete)]


def complete_environment(incomplete: str) -> list[str]:
    """dev and prod, the project's .slack/environments.json names and the environments it has deployed apps in."""
    names = {"dev", "prod"} | _project_environments()
    return sorted(name for name in names if name.startswith(incomplete))


def _project_environments() -> set[str]:
    import json

    try:
        from slackctl.core.project import find_project_root

        root = find_project_root()
        if root is None:
            return set()
        found: set[str] = set()
        for name, key in (
            ("environments.json", None),
            ("apps.json", "environments"),
            ("slackctl.json", "environments"),
        ):
            path = root / ".slack" / name
            data = json.loads(path.read_text("utf-8")) if path.is_file() else {}
            if key is not None and isinstance(data, dict):
                data = data.get(key)
            if isinstance(data, dict):
                found.update(k for k in data if isinstance(k, str))
        return found
    except Exception:  # noqa: BLE001 - completion must never fail loudly
        return set()


__all__ = ["complete_environment", "complete_profile", "complete_template"]
