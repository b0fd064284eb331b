"""Slack's automation platform as data: the built-in Slack functions (their inputs and outputs), parameter types,
`{{…}}` input templates, and the checks Slack makes on a manifest's `functions` and `workflows` (unknown function
ids, missing required inputs, literal values of the wrong type, references to undeclared inputs or later steps)."""

from __future__ import annotations

import re
from typing import Any

BUILTIN_PREFIX = "slack#/functions/"
LOCAL_PREFIX = "#/functions/"
TEMPLATE = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")

# What the message-posting built-ins (send_message, send_dm, reply_in_thread) give the steps after them.
MESSAGE_OUTPUTS = {
    "message_context": "slack#/types/message_context",
    "message_link": "string",
    "action": "object",
    "interactivity": "slack#/types/interactivity",
}
# Built-in Slack functions: input name -> (type, required), and their output names -> type. The emulator runs
# these; other built-ins Slack has (OTHER_BUILTINS) pass validation but the emulator fails the step that uses one.
BUILTINS: dict[str, dict[str, Any]] = {
    "send_message": {
        "inputs": {
            "channel_id": ("slack#/types/channel_id", True),
            "message": ("slack#/types/rich_text", True),
            "interactive_blocks": ("slack#/types/blocks", False),
            "metadata": ("object", False),
        },
        "outputs": MESSAGE_OUTPUTS,
    },
    "send_dm": {
        "inputs": {
            "user_id": ("slack#/types/user_id", True),
            "message": ("slack#/types/rich_text", True),
            "interactive_blocks": ("slack#/types/blocks", False),
        },
        "outputs": MESSAGE_OUTPUTS,
    },
    "reply_in_thread": {
        "inputs": {
            "message_context": ("slack#/types/message_context", True),
            "message": ("slack#/types/rich_text", True),
            "reply_broadcast": ("boolean", False),
            "interactive_blocks": ("slack#/types/blocks", False),
        },
        "outputs": MESSAGE_OUTPUTS,
    },
    "send_ephemeral_message": {
        "inputs": {
            "channel_id": ("slack#/types/channel_id", True),
            "user_id": ("slack#/types/user_id", True),
            "message": ("slack#/types/rich_text", True),
            "thread_ts": ("slack#/types/message_ts", False),
        },
        "outputs": {"message_ts": "slack#/types/message_ts"},
    },
    "open_form": {
        "inputs": {
            "title": ("string", True),
            "description": ("string", False),
            "submit_label": ("string", False),
            "fields": ("slack#/types/form_input_object", True),
            "interactivity": ("slack#/types/interactivity", True),
        },
        "outputs": {"fields": "object", "interactivity": "slack#/types/interactivity"},
    },
    "create_channel": {
        "inputs": {"channel_name": ("string", True), "is_private": ("boolean", False), "manager_ids": ("array", False)},
        "outputs": {"channel_id": "slack#/types/channel_id"},
    },
    "invite_user_to_channel": {
        "inputs": {"channel_ids": ("array", True), "user_ids": ("array", True)},
        "outputs": {"user_ids": "array"},
    },
    "add_reaction": {
        "inputs": {"message_context": ("slack#/types/message_context", True), "emoji": ("string", True)},
        "outputs": {},
    },
    "delay": {"inputs": {"minutes_to_delay": ("integer", True)}, "outputs": {}},
}
OTHER_BUILTINS = frozenset(
    {
        "add_pin",
        "add_bookmark",
        "archive_channel",
        "canvas_copy",
        "canvas_create",
        "canvas_update_content",
        "channel_canvas_create",
        "share_canvas",
        "update_channel_topic",
        "add_user_to_usergroup",
        "remove_user_from_usergroup",
        "create_usergroup",
        "send_message_to_user",
    }
)

_STRING_TYPES = {
    "string",
    "slack#/types/channel_id",
    "slack#/types/user_id",
    "slack#/types/usergroup_id",
    "slack#/types/message_ts",
    "slack#/types/date",
    "slack#/types/team_id",
    "slack#/types/file_id",
    "slack#/types/canvas_id",
}
_OBJECT_TYPES = {
    "object",
    "slack#/types/message_context",
    "slack#/types/interactivity",
    "slack#/types/form_input_object",
    "slack#/types/user_context",
    "slack#/types/expanded_rich_text",
}


def type_problem(type_name: str, value: Any) -> str | None:
    """Why VALUE is not a literal of TYPE_NAME (None when it is, or when it is a {{…}} template resolved later)."""
    if isinstance(value, str) and TEMPLATE.search(value):
        return None
    expected = _expected(type_name)
    if expected is None:
        return None
    name, test = expected
    return None if test(value) else f"expected {name} for type {type_name}, got {_kind(value)}"


def _expected(type_name: str) -> tuple[str, Any] | None:
    if type_name in _STRING_TYPES:
        return "a string", lambda v: isinstance(v, str)
    if type_name in ("integer",):
        return "an integer", lambda v: isinstance(v, int) and not isinstance(v, bool)
    if type_name in ("number", "slack#/types/timestamp"):
        return "a number", lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)
    if type_name == "boolean":
        return "a boolean", lambda v: isinstance(v, bool)
    if type_name in ("array", "slack#/types/blocks"):
        return "an array", lambda v: isinstance(v, list)
    if type_name in _OBJECT_TYPES:
        return "an object", lambda v: isinstance(v, dict)
    if type_name == "slack#/types/rich_text":
        return "a string or a rich_text object", lambda v: isinstance(v, (str, dict, list))
    return None  # custom types (#/types/…) and types this table does not know: not checked


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


def function_spec(manifest: dict[str, Any], function_id: str) -> dict[str, Any] | None:
    """{"kind": "builtin"|"custom"|"other", "name", "inputs": {name: (type, required)}, "outputs": {name: type}}
    for a step's function_id, or None when Slack would not know it."""
    if function_id.startswith(BUILTIN_PREFIX):
        name = function_id[len(BUILTIN_PREFIX) :]
        if name in BUILTINS:
            spec = BUILTINS[name]
            return {"kind": "builtin", "name": name, "inputs": spec["inputs"], "outputs": spec["outputs"]}
        return {"kind": "other", "name": name, "inputs": None, "outputs": None} if name in OTHER_BUILTINS else None
    if function_id.startswith(LOCAL_PREFIX):
        name = function_id[len(LOCAL_PREFIX) :]
        function = (manifest.get("functions") or {}).get(name)
        if not isinstance(function, dict):
            return None
        return {
            "kind": "custom",
            "name": name,
            "inputs": parameters(function.get("input_parameters")),
            "outputs": {k: t for k, (t, _) in parameters(function.get("output_parameters")).items()},
        }
    return None


def parameters(block: Any) -> dict[str, tuple[str, bool]]:
    """input_parameters/output_parameters as name -> (type, required): required by the `required` list or by a
    property's own `is_required`."""
    if not isinstance(block, dict):
        return {}
    props = block.get("properties") or {}
    required = set(block.get("required") or [])
    return {
        name: (str(p.get("type", "")), name in required or bool(p.get("is_required")))
        for name, p in props.items()
        if isinstance(p, dict)
    }


def references(value: Any) -> list[str]:
    """The {{…}} expressions inside VALUE (strings, arrays and objects searched)."""
    if isinstance(value, str):
        return [m.group(1) for m in TEMPLATE.finditer(value)]
    if isinstance(value, list):
        return [r for item in value for r in references(item)]
    if isinstance(value, dict):
        return [r for item in value.values() for r in references(item)]
    return []


def workflow_problems(manifest: dict[str, Any]) -> list[tuple[str, str]]:
    """(JSON pointer, message) for each workflow step Slack would refuse."""
    problems: list[tuple[str, str]] = []
    workflows = manifest.get("workflows")
    if not isinstance(workflows, dict):
        return problems
    for wf_id, workflow in workflows.items():
        if not isinstance(workflow, dict):
            continue
        declared = set(parameters(workflow.get("input_parameters")))
        seen_steps: set[str] = set()
        for i, step in enumerate(workflow.get("steps") or []):
            if not isinstance(step, dict):
                continue
            where = f"/workflows/{wf_id}/steps/{i}"
            function_id = str(step.get("function_id", ""))
            spec = function_spec(manifest, function_id)
            raw_inputs = step.get("inputs")
            inputs: dict[str, Any] = raw_inputs if isinstance(raw_inputs, dict) else {}
            if spec is None:
                problems.append(
                    (
                        where + "/function_id",
                        f"unknown function {function_id!r}: use "
                        f"{BUILTIN_PREFIX}NAME for a Slack function or {LOCAL_PREFIX}ID for one of "
                        "this app's functions",
                    )
                )
            elif spec["inputs"] is not None:
                for name, (type_name, required) in spec["inputs"].items():
                    if required and name not in inputs:
                        problems.append((where + "/inputs", f"missing required input {name!r} of {function_id}"))
                    elif name in inputs:
                        why = type_problem(type_name, inputs[name])
                        if why:
                            problems.append((f"{where}/inputs/{name}", why))
                for name in inputs:
                    if name not in spec["inputs"]:
                        problems.append(
                            (
                                f"{where}/inputs/{name}",
                                f"{function_id} has no input {name!r} (it takes {', '.join(spec['inputs'])})",
                            )
                        )
            for name, value in inputs.items():
                for ref in references(value):
                    why = _reference_problem(ref, declared, seen_steps)
                    if why:
                        problems.append((f"{where}/inputs/{name}", why))
            seen_steps.add(str(step.get("id", i)))
    return problems


def _reference_problem(ref: str, declared: set[str], earlier_steps: set[str]) -> str | None:
    head, _, rest = ref.partition(".")
    if head == "inputs":
        name = rest.split(".", 1)[0]
        return None if name in declared else f"{{{{{ref}}}}} names no input of the workflow"
    if head == "steps":
        step = rest.split(".", 1)[0]
        return None if step in earlier_steps else f"{{{{{ref}}}}} names no earlier step"
    if head in ("data", "event", "env"):
        return None
    return f"{{{{{ref}}}}}: a reference starts with inputs., steps. or data."


def lookup(path: str, context: dict[str, Any]) -> Any:
    """The value at dotted PATH ("steps.0.message_context.channel_id") in CONTEXT, or None."""
    node: Any = context
    for part in path.split("."):
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def resolve(value: Any, context: dict[str, Any]) -> Any:
    """VALUE with its {{…}} templates filled from CONTEXT: a string that is one whole template becomes the value
    itself (an object stays an object); templates inside longer text become text."""
    if isinstance(value, str):
        whole = TEMPLATE.fullmatch(value.strip())
        if whole:
            return lookup(whole.group(1), context)

        def text(match: re.Match[str]) -> str:
            found = lookup(match.group(1), context)
            return "" if found is None else str(found)

        return TEMPLATE.sub(text, value)
    if isinstance(value, list):
        return [resolve(v, context) for v in value]
    if isinstance(value, dict):
        return {k: resolve(v, context) for k, v in value.items()}
    return value


# ---- trigger filters ({"version": 1, "root": {statement | operator AND/OR/NOT + inputs}}) ------------------------
_STATEMENT = re.compile(r"^\s*(.+?)\s*(==|!=|>=|<=|>|<)\s*(.+?)\s*$")


def filter_problem(trigger_filter: Any) -> str | None:
    """Why Slack would refuse a trigger filter, or None."""
    if not isinstance(trigger_filter, dict) or not isinstance(trigger_filter.get("root"), dict):
        return "a filter needs version and root"
    if trigger_filter.get("version") != 1:
        return "filter.version must be 1"
    return _node_problem(trigger_filter["root"])


def _node_problem(node: Any) -> str | None:
    if not isinstance(node, dict):
        return "each filter node is an object"
    if "statement" in node:
        ok = isinstance(node["statement"], str) and _STATEMENT.match(node["statement"])
        return None if ok else f"filter statement {node['statement']!r} must compare two values with ==, !=, <, >"
    if (
        node.get("operator") not in ("AND", "OR", "NOT")
        or not isinstance(node.get("inputs"), list)
        or not node["inputs"]
    ):
        return "a filter node is a statement, or an operator (AND, OR, NOT) with inputs"
    return next((p for p in (_node_problem(n) for n in node["inputs"]) if p), None)


def filter_matches(trigger_filter: dict[str, Any] | None, data: dict[str, Any]) -> bool:
    """Whether the trigger runs for DATA ({{data.…}}); no filter: always."""
    return True if not trigger_filter else _holds(trigger_filter["root"], {"data": data})


def _holds(node: dict[str, Any], context: dict[str, Any]) -> bool:
    if "statement" in node:
        match = _STATEMENT.match(node["statement"])
        assert match is not None  # checked by filter_problem when the trigger was saved
        left, op, right = (_operand(match.group(1), context), match.group(2), _operand(match.group(3), context))
        return _compare(left, op, right)
    results = [_holds(n, context) for n in node["inputs"]]
    if node["operator"] == "AND":
        return all(results)
    if node["operator"] == "OR":
        return any(results)
    return not any(results)  # NOT


def _operand(text: str, context: dict[str, Any]) -> Any:
    if TEMPLATE.search(text):
        return resolve(text, context)
    return text.strip().strip("'\"")


def _compare(left: Any, op: str, right: Any) -> bool:
    try:
        a, b = float(left), float(right)
    except (TypeError, ValueError):
        if op in ("==", "!="):
            return (str(left) == str(right)) is (op == "==")
        return False
    return {"==": a == b, "!=": a != b, ">": a > b, "<": a < b, ">=": a >= b, "<=": a <= b}[op]
