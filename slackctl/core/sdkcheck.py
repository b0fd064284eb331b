"""The project's SDK, through its hooks (Slack's `doctor`, `check-update` and `install-update`): what `slackctl
doctor` shows about it and what `slackctl doctor --upgrade` runs. A hook's answer is JSON:
- doctor: `{"versions": [{"name", "current", "message"?, "error"?: {"message"}}]}`;
- check-update: `{"name", "url"?, "message"?, "releases": [{"name", "current", "latest", "update", "breaking",
  "message"?, "url"?, "error"?}], "error"?: {"message"}}`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from slackctl.core import hookprotocol as hp
from slackctl.core.project import Project
from slackctl.errors import SlackctlError, UsageError


@dataclass(frozen=True)
class Release:
    name: str
    current: str
    latest: str
    update: bool
    breaking: bool
    error: str = ""


def ask(project: Project, hook: str) -> Any:
    """A hook's JSON answer (the protocol the SDK prefers, the project's tools on PATH)."""
    config = project.sdk_config()
    answer = hp.call(project.root, hook, config.require(hook), protocol=config.protocol, env=project.hook_env())
    return hp.json_answer(answer, hook)


def versions(answer: Any) -> list[str]:
    """`name current` of each entry of a doctor hook's answer."""
    found = answer.get("versions") if isinstance(answer, dict) else None
    return (
        [f"{v.get('name')} {v.get('current')}" for v in found if isinstance(v, dict)] if isinstance(found, list) else []
    )


def releases(answer: Any) -> list[Release]:
    found = answer.get("releases") if isinstance(answer, dict) else None
    out = []
    for r in found if isinstance(found, list) else []:
        if not isinstance(r, dict) or not isinstance(r.get("name"), str):
            continue
        error = r.get("error")
        out.append(
            Release(
                r["name"],
                str(r.get("current") or ""),
                str(r.get("latest") or ""),
                r.get("update") is True,
                r.get("breaking") is True,
                str(error.get("message", "")) if isinstance(error, dict) else "",
            )
        )
    return out


def describe_updates(found: list[Release]) -> str:
    updates = [r for r in found if r.update]
    return ", ".join(f"{r.name} {r.current} → {r.latest}" + (" (breaking)" if r.breaking else "") for r in updates)


def upgrade(project: Project, on_line: Callable[[str], None]) -> int:
    """Run the project's install-update hook, its output line by line; its exit status. Without one, the
    command that upgrades what check-update names is given as the hint."""
    config = project.sdk_config()
    command = config.hook("install-update")
    if command is None:
        raise UsageError(
            "sdk_hook_not_found: the project's SDK has no install-update hook", manual_upgrade_hint(project, [])
        )
    return hp.stream(project.root, command, project.hook_env(), on_line, protocol=config.protocol)


def manual_upgrade_hint(project: Project, found: list[Release]) -> str:
    names = [r.name for r in found if r.update] or ["the SDK's packages"]
    runtime = project.sdk_config().runtime or ("node" if (project.root / "package.json").is_file() else "python")
    if runtime.startswith("node"):
        return "upgrade them: npm install " + " ".join(f"{n}@latest" for n in names)
    if runtime.startswith("deno"):
        return "update the versions in import_map.json / deno.jsonc"
    return f"upgrade them in the project's environment: {project.python()[0]} -m pip install -U " + " ".join(names)


def project_checks(project: Project) -> Iterator[tuple[str, str, str, str, SlackctlError | None]]:
    """(name, status, detail, fix, error) rows for doctor: the hooks, the SDK's versions and updates."""
    try:
        config = project.sdk_config()
    except SlackctlError as exc:
        yield "project hooks", "fail", exc.message, exc.hint or "", exc
        return
    named = ", ".join(sorted(config.hooks)) or "none"
    detail = f"{project.root}: hooks {named}; protocol {config.protocol}" + (
        f"; runtime {config.runtime}" if config.runtime else ""
    )
    yield "project hooks", "ok", detail, "", None
    for hook, label in (("doctor", "project sdk"), ("check-update", "project sdk updates")):
        if config.hook(hook) is None:
            continue
        try:
            answer = ask(project, hook)
        except SlackctlError as exc:
            yield label, "warn", f"the {hook} hook: {exc.message}", exc.hint or "", exc
            continue
        if hook == "doctor":
            yield label, "ok", "; ".join(versions(answer)) or "no versions reported", "", None
            continue
        found = releases(answer)
        errors = [r for r in found if r.error]
        updates = describe_updates(found)
        if updates:
            yield (
                label,
                "warn",
                f"updates available: {updates}",
                "slackctl doctor --upgrade" if config.hook("install-update") else manual_upgrade_hint(project, found),
                None,
            )
        elif errors:
            yield label, "warn", f"could not check {', '.join(r.name for r in errors)}: {errors[0].error}", "", None
        else:
            yield label, "ok", "up to date: " + (", ".join(f"{r.name} {r.current}" for r in found) or "-"), "", None
