"""`slackctl datastore`: an app's datastore items through apps.datastore.*, with the JSON argument Slack's CLI takes.

The argument is Slack's request body (`{"datastore": "tasks", "item": {...}}`, `{"datastore": "tasks",
"expression": "#s = :s", ...}`), sent as it is plus the app's id. Bulk work goes in batches of 25 (Slack's bulkPut
limit); items Slack answers `partial_failure` for come back in `failed_items` and are sent again, a few times,
before they are reported. Queries page by `next_cursor`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slackctl.errors import UsageError
from slackctl.slack.errors import SlackApiError

if TYPE_CHECKING:
    from slackctl.core.session import Session
    from slackctl.slack.client import SlackClient

BATCH = 25  # apps.datastore.bulkPut takes at most 25 items; the other bulk calls go in the same steps
ATTEMPTS = 4  # a batch is sent again for its failed_items this many times in all
EXAMPLE = '\'{"datastore": "tasks", "item": {"id": "1", "title": "Write docs"}}\''


def parse_request(text: str | None, datastore: str | None) -> dict[str, Any]:
    """The JSON argument as a request body; `datastore` (the --datastore flag) fills in a missing datastore."""
    body: Any = {}
    if text is not None and text.strip():
        try:
            body = json.loads(text)
        except ValueError as exc:
            raise UsageError(
                f"the argument is not valid JSON: {exc}", f"pass one JSON object in single quotes, e.g. {EXAMPLE}"
            ) from None
        if not isinstance(body, dict):
            raise UsageError("the argument must be a JSON object", f"e.g. {EXAMPLE}")
    if datastore:
        if body.get("datastore") not in (None, datastore):
            raise UsageError(
                f'--datastore {datastore} and the argument\'s "datastore": "{body["datastore"]}" disagree',
                "give the datastore once",
            )
        body["datastore"] = datastore
    if not isinstance(body.get("datastore"), str) or not body["datastore"]:
        raise UsageError("no datastore named", 'add "datastore": "NAME" to the argument, or pass --datastore NAME')
    return body


def require(body: dict[str, Any], key: str, kind: type, example: str) -> Any:
    value = body.get(key)
    if not isinstance(value, kind) or (kind is str and not value):
        noun = {"dict": "an object", "list": "an array", "str": "a string"}[kind.__name__]
        raise UsageError(f'the argument needs "{key}" ({noun})', f"e.g. '{example}'")
    return value


def read_lines(lines: Iterable[str], origin: str) -> list[Any]:
    """JSON Lines (blank lines skipped); a line that is not JSON is a usage error naming its number."""
    values = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            values.append(json.loads(line))
        except ValueError as exc:
            raise UsageError(f"{origin} line {number} is not JSON: {exc}", "give one JSON value a line") from None
    return values


def read_file_lines(path: str) -> list[Any]:
    try:
        with Path(path).expanduser().open(encoding="utf-8") as handle:
            return read_lines(handle, path)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}", "check the path given to --from-file") from None


def keys_of(values: list[Any], primary_key: str) -> list[str]:
    """Ids from JSON lines: a string is an id, an object gives its primary key."""
    ids = []
    for value in values:
        key = value.get(primary_key) if isinstance(value, dict) else value
        if not isinstance(key, str) or not key:
            raise UsageError(
                f"cannot find an id in {json.dumps(value)[:60]}",
                f'give ids as JSON strings or objects with "{primary_key}"',
            )
        ids.append(key)
    return ids


@dataclass
class Datastore:
    """An app's datastores reached with one token; app_id is sent when known (a user token needs it)."""

    client: SlackClient
    token: str
    app_id: str | None = None
    sleep: Callable[[float], None] = time.sleep
    on_retry: Callable[[int, str], None] | None = None  # (items, method) sent again after partial_failure

    def _with_app(self, body: dict[str, Any]) -> dict[str, Any]:
        return {**body, "app_id": self.app_id} if self.app_id and "app_id" not in body else body

    def call(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        body = self._with_app(body)
        # Every apps.datastore.* call may be repeated safely after a dropped connection: put and bulkPut write the
        # same whole items again, update merges the same attributes, deletes of what is gone succeed.
        return self.client.call(method, json_body=body, token=self.token, idempotent=True).data

    def query_pages(self, body: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Every page from the body's cursor (or the start) to the last, the next one fetched while this one is
        written; a server that repeats a next_cursor is stopped (core/cursors.py), not followed forever."""
        from slackctl.core.cursors import checked_pages

        pages = self.client.paginate(
            "apps.datastore.query", json_body=self._with_app(body), token=self.token, idempotent=True, prefetch=True
        )
        for page in checked_pages(pages, "apps.datastore.query"):
            yield page.data

    def bulk(self, method: str, body: dict[str, Any], key: str, values: list[Any]) -> BulkResult:
        """Send VALUES (items or ids) under KEY in batches, resending failed_items; what got through and not.
        Items Slack refuses by name (a datastore_error whose errors carry the item, as bulkPut's do) are set
        aside with Slack's reason and the rest of their batch is sent again, as Slack's CLI imports do."""
        result = BulkResult(body["datastore"])
        for start in range(0, len(values), BATCH):
            batch = values[start : start + BATCH]
            attempt = 0
            while batch:
                attempt += 1
                try:
                    answer = self.call(method, {**body, key: batch})
                except SlackApiError as exc:
                    refused = _refused_items(exc)
                    named = [item for item, _reason in refused]
                    rest = [value for value in batch if value not in named]
                    if refused and len(rest) < len(batch):  # it named items of this batch: set them aside
                        result.refused.extend(refused)
                        batch = rest
                        continue
                    if exc.error != "partial_failure":
                        raise
                    answer = exc.response
                failed = list(answer.get("failed_items") or [])
                result.items.extend(answer.get("items") or [])
                result.done += len(batch) - len(failed)
                batch = failed
                if batch and attempt == ATTEMPTS:
                    result.failed.extend(batch)
                    break
                if batch:
                    if self.on_retry is not None:
                        self.on_retry(len(batch), method)
                    self.sleep(0.2 * 2 ** (attempt - 1))
        return result


def _refused_items(exc: SlackApiError) -> list[tuple[Any, str]]:
    """(item, "code at pointer: message") for each item a datastore_error names; [] when it names none."""
    problems = exc.response.get("errors") if exc.error == "datastore_error" else None
    if not isinstance(problems, list) or not problems:
        return []
    if not all(isinstance(p, dict) and "item" in p for p in problems):
        return []
    return [(p["item"], f"{p.get('code', '?')} at {p.get('pointer', '/')}: {p.get('message', '')}") for p in problems]


@dataclass
class BulkResult:
    datastore: str
    done: int = 0
    failed: list[Any] = field(default_factory=list)  # still partial_failure after ATTEMPTS
    refused: list[tuple[Any, str]] = field(default_factory=list)  # refused by Slack, with its reason
    items: list[Any] = field(default_factory=list)  # bulkGet's found items


def open_datastore(session: Session, app_id: str | None, env: str) -> Datastore:
    """The token (SLACK_TOKEN / SLACK_BOT_TOKEN, else the profile's bot or user token) and the app: --app, else
    the project's deployed app for ENV when run in a project."""
    from slackctl.core.project import Project, check_env_name, find_project_root, pick_app
    from slackctl.credentials import TokenKind

    check_env_name(env)
    resolved = session.resolve_token(prefer=(TokenKind.BOT, TokenKind.USER))
    if app_id is None:
        root = find_project_root()
        record = pick_app(session, Project(root), env) if root is not None else None
        app_id = record.app_id if record is not None else None
    if resolved.kind == TokenKind.USER and not app_id:
        raise UsageError(
            "a user token reaches an app's datastores only with the app's id",
            "pass --app A… (or run this in the app's project directory after a deploy)",
        )
    return Datastore(session.client(resolved.token, profile=resolved.profile), resolved.token, app_id)


def primary_key(datastore: str) -> str:
    """The datastore's primary key from the project's manifest, when run in a project; else "id"."""
    from slackctl.core.project import Project, find_project_root

    root = find_project_root()
    if root is None:
        return "id"
    try:
        declared = (Project(root).manifest.get("datastores") or {}).get(datastore) or {}
    except Exception:  # noqa: BLE001 - a project whose manifest cannot be read here falls back to Slack's default
        return "id"
    return str(declared.get("primary_key") or "id")
