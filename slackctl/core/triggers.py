"""Workflow triggers and function access, as Slack's CLI manages them (`trigger create|update|delete|info|list|
access`, `function access`): trigger definitions from JSON files, the project's get-trigger hook or flags, and
the workflows.triggers.* / functions.distributions.permissions.* calls. No terminal I/O."""

from __future__ import annotations

import glob
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slackctl.errors import UsageError

if TYPE_CHECKING:
    from slackctl.core.project import Project
    from slackctl.slack.client import SlackClient

TYPES = ("all", "shortcut", "event", "scheduled", "webhook")
WORKFLOW_REF = "#/workflows/"


def load_definition(path: Path, project: Project | None) -> dict[str, Any]:
    """A trigger definition: a JSON file as it is, anything else (a TypeScript trigger file) through the project's
    get-trigger hook (`--source FILE`, JSON on stdout), as Slack's CLI does."""
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise UsageError(
                f"cannot read the trigger definition {path}: {exc.strerror or exc}",
                "pass an existing file to --trigger-def",
            ) from None
        except ValueError as exc:
            raise UsageError(f"the trigger definition {path} is not valid JSON: {exc}", "fix the file") from None
        origin = str(path)
    else:
        from slackctl.core import hookprotocol as hp

        command = project.hook("get-trigger") if project else None
        if project is None or command is None:
            raise UsageError(
                f"{path} is not a JSON file, and there is no get-trigger hook to read it",
                "add one to .slack/hooks.json, or pass a .json trigger definition",
            )
        answer = hp.call(
            project.root,
            "get-trigger",
            command,
            protocol=project.sdk_config().protocol,
            env=project.hook_env(),
            args={"source": str(path)},
        )
        data = hp.json_answer(answer, "get-trigger")
        origin = f"the get-trigger hook's output for {path}"
    if not isinstance(data, dict) or not data.get("type") or not data.get("workflow"):
        raise UsageError(
            f"{origin} is not a trigger definition (it needs type, name and workflow)",
            'e.g. {"type": "shortcut", "name": "Run", "workflow": "#/workflows/my_workflow"}',
        )
    return data


def definition_from_flags(
    workflow: str, title: str | None, description: str | None, interactivity: bool, interactivity_name: str
) -> dict[str, Any]:
    """A link trigger for WORKFLOW (`#/workflows/ID`, or the bare ID) as `trigger create --workflow` makes one."""
    ref = workflow if workflow.startswith(WORKFLOW_REF) else WORKFLOW_REF + workflow
    definition: dict[str, Any] = {"type": "shortcut", "name": title or ref[len(WORKFLOW_REF) :], "workflow": ref}
    if description:
        definition["description"] = description
    if interactivity:
        definition["inputs"] = {interactivity_name: {"value": "{{data.interactivity}}"}}
    return definition


def trigger_files(project: Project) -> list[Path]:
    """The project's trigger definition files (hooks.json config.trigger-paths), for `trigger create` to offer."""
    found: list[Path] = []
    for pattern in project.sdk_config().trigger_paths:
        found += [Path(p) for p in sorted(glob.glob(str(project.root / pattern), recursive=True))]
    return found


def create(client: SlackClient, definition: dict[str, Any], app_id: str | None = None) -> dict[str, Any]:
    body = dict(definition, **({"workflow_app_id": app_id} if app_id else {}))
    return client.call("workflows.triggers.create", json_body=body).data["trigger"]


def update(
    client: SlackClient, trigger_id: str, definition: dict[str, Any], app_id: str | None = None
) -> dict[str, Any]:
    body = dict(definition, trigger_id=trigger_id, **({"workflow_app_id": app_id} if app_id else {}))
    return client.call("workflows.triggers.update", json_body=body).data["trigger"]


def delete(client: SlackClient, trigger_id: str) -> None:
    client.call("workflows.triggers.delete", json_body={"trigger_id": trigger_id})


def info(client: SlackClient, trigger_id: str) -> dict[str, Any]:
    return client.call("workflows.triggers.info", json_body={"trigger_id": trigger_id}).data["trigger"]


def list_triggers(
    client: SlackClient, app_id: str | None, kind: str = "all", limit: int | None = None
) -> list[dict[str, Any]]:
    """Every trigger of the app (of TYPE), following cursors; at most LIMIT."""
    body: dict[str, Any] = {"limit": min(limit or 200, 200)}
    if app_id:
        body["app_id"] = app_id
    if kind != "all":
        body["type"] = kind
    found: list[dict[str, Any]] = []
    for page in client.paginate("workflows.triggers.list", json_body=body):
        found += page.data.get("triggers") or []
        if limit and len(found) >= limit:
            return found[:limit]
    return found


def summary(trigger: dict[str, Any]) -> str:
    """One line a person reads: name, id, type, and the URL a link or webhook trigger is used by."""
    where = trigger.get("shortcut_url") or trigger.get("webhook_url") or ""
    workflow = (trigger.get("workflow") or {}).get("callback_id", "")
    line = f"{trigger.get('name', '')}  {trigger['id']}  ({trigger['type']}, workflow {workflow})"
    return f"{line}\n  {where}" if where else line


# ---- access ---------------------------------------------------------------------------------------------------
def trigger_access(
    client: SlackClient,
    trigger_id: str,
    *,
    everyone: bool = False,
    collaborators: bool = False,
    users: list[str] | None = None,
    channels: list[str] | None = None,
    revoke: bool = False,
) -> dict[str, Any]:
    """Change who may run TRIGGER_ID (nothing to change: just read it); the permissions afterwards."""
    users, channels = list(users or []), list(channels or [])
    base = {"trigger_id": trigger_id}
    if everyone or collaborators:
        kind = "everyone" if everyone else "app_collaborators"
        client.call("workflows.triggers.permissions.set", json_body={**base, "permission_type": kind})
    elif users or channels:
        named = {**base, **({"user_ids": users} if users else {}), **({"channel_ids": channels} if channels else {})}
        method = "workflows.triggers.permissions." + ("remove" if revoke else "add")
        client.call(method, json_body=named)
    return _permissions(client.call("workflows.triggers.permissions.list", json_body=base).data)


def function_access(
    client: SlackClient,
    callback_id: str,
    app_id: str | None,
    *,
    everyone: bool = False,
    collaborators: bool = False,
    users: list[str] | None = None,
    revoke: bool = False,
) -> dict[str, Any]:
    """Change who may use the app's function CALLBACK_ID in their workflows (nothing to change: read it)."""
    base: dict[str, Any] = {"function_callback_id": callback_id, **({"function_app_id": app_id} if app_id else {})}
    if everyone or collaborators:
        kind = "everyone" if everyone else "app_collaborators"
        client.call("functions.distributions.permissions.set", json_body={**base, "permission_type": kind})
    elif users:
        method = "functions.distributions.permissions." + ("remove" if revoke else "add")
        client.call(method, json_body={**base, "user_ids": list(users)})
    return _permissions(client.call("functions.distributions.permissions.list", json_body=base).data)


def _permissions(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in ("ok", "response_metadata", "warning")}
