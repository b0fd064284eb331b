"""Web API: apps.datastore.* — the datastores an app on Slack's runtime declares in its manifest.

`put` and `bulkPut` replace whole items, `update` merges attributes into an item (creating it when missing),
`get`/`bulkGet` answer `item: {}` / skip what does not exist, `delete`/`bulkDelete` succeed whether or not the
item was there. `query` is a scan: `limit` (1-1000, default 100) items are looked at per page, the expression
filters them afterwards, so a page may hold fewer matches than `limit` and still carry a `next_cursor` — as on
Slack. `count` counts every match. A bulk call that meets an injected `partial` fault (POST /_emulator/faults
`{"method": "apps.datastore.bulkPut", "kind": "partial"}`) answers Slack's `partial_failure`: the first half of
its items are done, the rest come back in `failed_items`, as Slack answers when DynamoDB throttles.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from slackctl.emulator.webapi.registry import ApiError, Call, method, missing
from slackctl.emulator.world import datastores
from slackctl.slack.datastore_expression import Expression, ExpressionError

# "workflow": a running function's own token (xwfp-), which Slack lets reach the app's datastores too.
KINDS = ("bot", "user", "workflow")
READ = {"bot": ["datastore:read"], "user": ["datastore:read"]}
WRITE = {"bot": ["datastore:write"], "user": ["datastore:write"]}
BULK_PUT_LIMIT = 25  # Slack's documented limit for apps.datastore.bulkPut
QUERY_LIMIT = (1, 1000)


class _Target:
    def __init__(self, call: Call) -> None:
        app = _app(call)
        self.name = call.arg("datastore", required=True) or ""
        spec = datastores.definition(app, self.name)
        if spec is None:
            raise ApiError(
                "datastore_error",
                errors=[
                    {
                        "code": "datastore_config_not_found",
                        "message": "The datastore configuration could not be found",
                        "pointer": "/datastores",
                    }
                ],
            )
        self.app = app
        self.spec = spec
        self.key = str(spec.get("primary_key", "id"))
        self.items = datastores.store(call.world, app["app_id"], self.name)

    def check(self, item: Any, pointer: str = "/item") -> str:
        try:
            return datastores.check_item(self.app, self.spec, item, pointer)
        except datastores.ItemProblem as problem:
            raise ApiError("datastore_error", errors=[problem.as_error()]) from None


def _app(call: Call) -> dict[str, Any]:
    """The app whose datastores the call reaches: the token's; a user token names it with app_id."""
    token_app = call.auth.get("app_id")
    app_id = call.arg("app_id")
    if call.kind == "user" and not app_id:
        raise missing("app_id")
    if app_id and call.kind != "user" and app_id != token_app:
        raise ApiError("invalid_app_id")
    app = call.world.apps.get(app_id or token_app or "")
    if app is None:
        raise ApiError("invalid_app_id")
    if not datastores.hosted(app):
        raise ApiError("app_not_hosted")
    return app


def _object(call: Call, name: str) -> Any:
    value = call.json_arg(name, required=True)
    if not isinstance(value, dict):
        raise ApiError(
            "invalid_arguments", response_metadata={"messages": [f"[ERROR] expected an object for field: {name}"]}
        )
    return value


def _list(call: Call, name: str) -> list[Any]:
    raw = call.params.get(name)
    if raw in (None, "", []):
        raise missing(name)
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raw = [part.strip() for part in raw.split(",") if part.strip()]
    if not isinstance(raw, list):
        raise ApiError(
            "invalid_arguments", response_metadata={"messages": [f"[ERROR] expected an array for field: {name}"]}
        )
    return raw


def _ids(call: Call) -> list[str]:
    ids = _list(call, "ids")
    if not all(isinstance(i, str) and i for i in ids):
        raise ApiError("invalid_arguments", response_metadata={"messages": ["[ERROR] ids must be strings"]})
    return ids


def _throttled(call: Call, count: int) -> int:
    """How many of COUNT items go through: all, or half when a `partial` fault is waiting for this method."""
    fault = call.emu.faults.take(call.method, kinds=("partial",))
    return count if fault is None else count // 2


def _expression(call: Call) -> Expression | None:
    text = call.arg("expression")
    names = call.json_arg("expression_attributes") or {}
    values = call.json_arg("expression_values") or {}
    if not isinstance(names, dict) or not isinstance(values, dict):
        raise ApiError(
            "invalid_arguments",
            response_metadata={"messages": ["[ERROR] expression_attributes and expression_values must be objects"]},
        )
    if text is None:
        if names or values:  # DynamoDB refuses placeholders without an expression to use them
            raise ApiError(
                "datastore_error",
                errors=[
                    {
                        "code": "invalid_expression",
                        "pointer": "/expression",
                        "message": "ExpressionAttributeNames and ExpressionAttributeValues can only be specified when "
                        "using expressions: expression is missing",
                    }
                ],
            )
        return None
    try:
        return Expression(text, names, values)
    except ExpressionError as exc:
        raise ApiError(
            "datastore_error", errors=[{"code": "invalid_expression", "message": str(exc), "pointer": "/expression"}]
        ) from None


# ---- single items ----------------------------------------------------------------------------------------------
@method("apps.datastore.put", kinds=KINDS, scopes=WRITE)
def put(call: Call) -> dict[str, Any]:
    target = _Target(call)
    item = _object(call, "item")
    target.items[target.check(item)] = dict(item)
    return {"datastore": target.name, "item": item}


@method("apps.datastore.update", kinds=KINDS, scopes=WRITE)
def update(call: Call) -> dict[str, Any]:
    target = _Target(call)
    item = _object(call, "item")
    key = target.check(item)
    merged = {**target.items.get(key, {}), **item}
    target.items[key] = merged
    return {"datastore": target.name, "item": dict(merged)}


@method("apps.datastore.get", kinds=KINDS, scopes=READ)
def get(call: Call) -> dict[str, Any]:
    target = _Target(call)
    key = call.arg("id", required=True) or ""
    return {"datastore": target.name, "item": dict(target.items.get(key, {}))}


@method("apps.datastore.delete", kinds=KINDS, scopes=WRITE)
def delete(call: Call) -> dict[str, Any]:
    target = _Target(call)
    key = call.arg("id", required=True) or ""
    target.items.pop(key, None)
    return {}  # Slack's answer is a bare ok (its CLI fills in the datastore and id itself)


# ---- bulk --------------------------------------------------------------------------------------------------------
@method("apps.datastore.bulkPut", kinds=KINDS, scopes=WRITE)
def bulk_put(call: Call) -> dict[str, Any]:
    target = _Target(call)
    items = _list(call, "items")
    if len(items) > BULK_PUT_LIMIT:
        raise ApiError(
            "invalid_arguments",
            response_metadata={
                "messages": [f"[ERROR] no more than {BULK_PUT_LIMIT} items are allowed for field: items"]
            },
        )
    # Every item is checked before any is written: one bad item refuses the call, naming each bad item.
    keys, problems = [], []
    for index, item in enumerate(items):
        try:
            keys.append(datastores.check_item(target.app, target.spec, item, f"/items/{index}"))
        except datastores.ItemProblem as problem:
            problems.append(problem.as_error(item))
    if problems:
        raise ApiError("datastore_error", errors=problems)
    done = _throttled(call, len(items))
    for key, item in zip(keys[:done], items[:done], strict=True):
        target.items[key] = dict(item)
    if done < len(items):
        raise ApiError("partial_failure", datastore=target.name, failed_items=items[done:])
    return {"datastore": target.name, "failed_items": []}


@method("apps.datastore.bulkGet", kinds=KINDS, scopes=READ)
def bulk_get(call: Call) -> dict[str, Any]:
    target = _Target(call)
    ids = _ids(call)
    done = _throttled(call, len(ids))
    found = [dict(target.items[key]) for key in ids[:done] if key in target.items]
    if done < len(ids):
        raise ApiError("partial_failure", datastore=target.name, items=found, failed_items=ids[done:])
    return {"datastore": target.name, "items": found, "failed_items": []}


@method("apps.datastore.bulkDelete", kinds=KINDS, scopes=WRITE)
def bulk_delete(call: Call) -> dict[str, Any]:
    target = _Target(call)
    ids = _ids(call)
    done = _throttled(call, len(ids))
    for key in ids[:done]:
        target.items.pop(key, None)
    if done < len(ids):
        raise ApiError("partial_failure", datastore=target.name, failed_items=ids[done:])
    return {"datastore": target.name, "failed_items": []}


# ---- scans -------------------------------------------------------------------------------------------------------
@method("apps.datastore.query", kinds=KINDS, scopes=READ)
def query(call: Call) -> dict[str, Any]:
    target = _Target(call)
    expression = _expression(call)
    limit = call.int_arg("limit", 100)
    if not QUERY_LIMIT[0] <= limit <= QUERY_LIMIT[1]:
        raise ApiError(
            "invalid_arguments",
            response_metadata={"messages": [f"[ERROR] limit must be between {QUERY_LIMIT[0]} and {QUERY_LIMIT[1]}"]},
        )
    cursor = call.arg("cursor")
    after = _decode_cursor(cursor, target.name) if cursor else None
    looked_at, last = datastores.scan(target.items, after, limit)
    matches = [dict(item) for item in looked_at if expression is None or expression.matches(item)]
    return {
        "datastore": target.name,
        "items": matches,
        "response_metadata": {"next_cursor": _encode_cursor(target.name, last) if last else ""},
    }


@method("apps.datastore.count", kinds=KINDS, scopes=READ)
def count(call: Call) -> dict[str, Any]:
    target = _Target(call)
    expression = _expression(call)
    total = sum(1 for item in target.items.values() if expression is None or expression.matches(item))
    return {"datastore": target.name, "count": total}


def _encode_cursor(name: str, key: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([name, key]).encode()).decode()


def _decode_cursor(cursor: str, name: str) -> str:
    try:
        got_name, key = json.loads(base64.urlsafe_b64decode(cursor.encode()).decode())
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ApiError("invalid_cursor") from None
    if got_name != name or not isinstance(key, str):
        raise ApiError("invalid_cursor")
    return key
