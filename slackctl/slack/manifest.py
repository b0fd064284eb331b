"""App manifests as data: load JSON/YAML with line numbers, validate against our schema, merge, hash and diff."""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slackctl.slack.errors import UsageError

if TYPE_CHECKING:
    from jsonschema import Draft7Validator

SCHEMA_FILE = Path(__file__).with_name("manifest_schema.json")
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class ManifestProblem:
    """One thing wrong with a manifest: where (JSON pointer, and the source line when known) and what."""

    pointer: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.pointer or "/"
        return f"{where}{f' (line {self.line})' if self.line else ''}: {self.message}"


@dataclass
class ManifestSource:
    """A parsed manifest plus where it came from, so problems can name a file and line."""

    data: dict[str, Any]
    origin: str  # a path, or "get-manifest hook"
    lines: dict[str, int] = field(default_factory=dict)  # JSON pointer -> 1-based line
    stripped: list[str] = field(default_factory=list)  # JSON pointers of SDK-only keys left out (strip_sdk_keys)


# -- loading ---------------------------------------------------------------------------------------
def parse_manifest_text(text: str, origin: str, *, yaml_format: bool = False) -> ManifestSource:
    """Parse JSON (or YAML) text; a syntax error becomes a UsageError naming origin:line:column."""
    if yaml_format:
        data = _parse_yaml(text, origin)
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UsageError(
                f"{origin}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}",
                "fix the manifest's syntax (a trailing comma or a missing quote?)",
            ) from None
    if not isinstance(data, dict):
        raise UsageError(
            f"{origin}: a manifest must be a JSON object, not {_json_type(data)}",
            'start the file with { "display_information": { "name": "My App" } }',
        )
    return ManifestSource(data=data, origin=origin, lines=pointer_lines(text))


def _parse_yaml(text: str, origin: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{origin}:{mark.line + 1}:{mark.column + 1}" if mark else origin
        raise UsageError(
            f"{where}: invalid YAML: {exc.problem or exc.context}",
            "fix the manifest's syntax (indentation, or a ':' inside an unquoted value?)",
        ) from None
    except yaml.YAMLError as exc:
        raise UsageError(f"{origin}: invalid YAML: {exc}", "fix the manifest's syntax") from None


def load_manifest_source(path: Path) -> ManifestSource:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(
            f"manifest not found: {path}", "create manifest.json, or configure a get-manifest hook in .slack/hooks.json"
        ) from None
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text", "save the manifest as UTF-8") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}", "check its permissions") from None
    return parse_manifest_text(text, str(path), yaml_format=path.suffix.lower() in YAML_SUFFIXES)


def load_manifest_file(path: Path | str) -> dict[str, Any]:
    """A manifest file (JSON, or YAML for .yaml/.yml) as a dict; UsageError with line:column on bad syntax."""
    return load_manifest_source(Path(path)).data


def pointer_lines(text: str) -> dict[str, int]:
    """JSON pointer -> line of every key and item, best effort (JSON is YAML, so one walker serves both)."""
    try:
        import yaml

        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except Exception:  # noqa: BLE001 - line numbers are a nicety; never fail a load for them
        return {}
    lines: dict[str, int] = {}

    def walk(node: Any, pointer: str) -> None:
        lines.setdefault(pointer, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = f"{pointer}/{escape_pointer(str(key.value))}"
                lines[child] = key.start_mark.line + 1
                walk(value, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, f"{pointer}/{index}")

    if root is not None:
        walk(root, "")
    return lines


def escape_pointer(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


# -- validation ------------------------------------------------------------------------------------
_validator: Draft7Validator | None = None


def _get_validator() -> Draft7Validator:
    global _validator
    if _validator is None:
        import jsonschema

        schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
        _validator = jsonschema.Draft7Validator(schema)
    return _validator


def validate_manifest(manifest: Any, *, lines: dict[str, int] | None = None) -> list[ManifestProblem]:
    """Every schema problem in `manifest` (then what Slack refuses in its workflows), in document order. Never
    raises on odd input: that is a problem."""
    if not isinstance(manifest, dict):
        return [ManifestProblem("", f"a manifest must be a JSON object, not {_json_type(manifest)}")]
    from jsonschema.exceptions import best_match

    lines = lines or {}
    problems: list[ManifestProblem] = []
    for error in _get_validator().iter_errors(manifest):
        # anyOf/oneOf report "not valid under any of the given schemas": the closest branch says more.
        if error.context:
            error = best_match(error.context) or error
        path = [str(p) for p in error.absolute_path]
        extra = _unexpected_key(error)
        if extra is not None:
            path.append(extra)
        pointer = "".join("/" + escape_pointer(p) for p in path)
        problems.append(ManifestProblem(pointer, _message(error), _nearest_line(pointer, lines)))
    if not problems:  # the workflow checks read the shapes the schema guarantees
        from slackctl.slack.workflows import workflow_problems

        for pointer, message in workflow_problems(manifest):
            problems.append(ManifestProblem(pointer, message, _nearest_line(pointer, lines)))
    problems.sort(key=lambda p: (p.line or 0, p.pointer))
    return problems


# Keys whose values are URLs Slack sends requests to (request_url, url of event_subscriptions, …).
_URL_KEYS = ("url", "request_url", "options_load_url", "redirect_urls")


def url_warnings(manifest: Any, *, lines: dict[str, int] | None = None) -> list[ManifestProblem]:
    """URLs the schema allows but Slack will not use as meant: http:// request URLs (Slack calls only https) and
    a doubled slash in the path (a base URL written with a trailing slash, `https://bot.example.com//slack/events`).
    Redirect URLs may be http only for localhost."""
    from urllib.parse import urlsplit

    found: list[ManifestProblem] = []

    def check(pointer: str, value: str, redirect: bool) -> None:
        parts = urlsplit(value)
        local = parts.hostname in ("localhost", "127.0.0.1", "::1")
        if parts.scheme == "http" and not (redirect and local):
            found.append(
                ManifestProblem(
                    pointer,
                    f"{value!r} is http://: Slack sends requests only to https://",
                    _nearest_line(pointer, lines or {}),
                )
            )
        if "//" in parts.path:
            found.append(
                ManifestProblem(
                    pointer,
                    f"{value!r} has '//' in its path (a base URL with a trailing slash?)",
                    _nearest_line(pointer, lines or {}),
                )
            )

    def walk(node: Any, pointer: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                here = f"{pointer}/{escape_pointer(str(key))}"
                if key in _URL_KEYS and isinstance(value, str):
                    check(here, value, redirect=False)
                elif key == "redirect_urls" and isinstance(value, list):
                    for i, item in enumerate(value):
                        if isinstance(item, str):
                            check(f"{here}/{i}", item, redirect=True)
                else:
                    walk(value, here)
        elif isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, f"{pointer}/{i}")

    walk(manifest, "")
    return found


def _unexpected_key(error: Any) -> str | None:
    """For a lone unexpected key, point at the key itself rather than its parent object."""
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extras = [k for k in error.instance if k not in allowed]
        patterns = error.schema.get("patternProperties") or {}
        if len(extras) == 1 and not patterns:
            return extras[0]
    return None


# The schema's patterns, said in words: a person reads "must start with /", not "does not match '^\\/'".
_PATTERN_WORDS = {
    r"^https?:\/\/": "must start with http:// or https://",
    r"^https:\/\/": "must start with https://",
    r"^\/": "must start with /",
    r"^\$\.(.)+": "must be a path into the data starting with $. (such as $.user_id)",
    r"^(?![\.\-])([-a-z0-9\.])+([a-z0-9])$": "must be a domain name: lowercase letters, digits, '-' and '.', "
    "not starting with '.' or '-' and ending with a letter or digit",
    r"^(\x21|[\x23-\x5B]|[\x5D-\x7E]){1,}$": "must be printable ASCII with no space, '\"' or '\\'",
}


def _pattern_words(pattern: str) -> str:
    if pattern in _PATTERN_WORDS:
        return _PATTERN_WORDS[pattern]
    if "@" in pattern:
        return "must be an email address"
    if pattern.startswith("^(([0-9]|"):
        return "must be an IPv4 address or range, such as 10.0.0.1 or 10.0.0.0/8"
    return "does not have the form this field takes (see the manifest reference)"


def _message(error: Any) -> str:
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(error.schema.get("properties", {}))
        extras = [k for k in error.instance if k not in allowed]
        what = "unknown key " + ", ".join(repr(k) for k in extras) if extras else error.message
        return what + (f" (allowed here: {', '.join(allowed)})" if allowed else "")
    if error.validator == "pattern" and isinstance(error.validator_value, str):
        shown = repr(error.instance) if len(repr(error.instance)) < 80 else repr(error.instance)[:77] + "..."
        return f"{shown} {_pattern_words(error.validator_value)}"
    return error.message if len(error.message) < 300 else error.message[:297] + "..."


def _nearest_line(pointer: str, lines: dict[str, int]) -> int | None:
    while True:
        if pointer in lines:
            return lines[pointer]
        if not pointer:
            return None
        pointer = pointer.rsplit("/", 1)[0]


# -- transforming ----------------------------------------------------------------------------------
def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """`override` on top of `base`: objects merge key by key, anything else replaces, null deletes a key."""
    result = copy.deepcopy(base)
    for key, value in override.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = deep_merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def strip_editor_keys(manifest: dict[str, Any]) -> dict[str, Any]:
    """What Slack stores: the `$schema` pointer is for editors only."""
    return {k: v for k, v in manifest.items() if k != "$schema"}


def strip_sdk_keys(manifest: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """What Slack's CLI sends of an SDK-generated manifest (the Deno SDK's, a `get-manifest` hook's): it reads
    the manifest into its own manifest type, which has no top-level `icon` (the CLI uploads the icon file
    separately) and no `source_file` in functions (where a Run-on-Slack function's code lives), so both are
    dropped before Slack sees them. Returns the manifest without them and the JSON pointers removed."""
    removed: list[str] = []
    out = dict(manifest)
    if "icon" in out:
        out.pop("icon")
        removed.append("/icon")
    functions = out.get("functions")
    if isinstance(functions, dict):
        kept = {}
        for name, body in functions.items():
            if isinstance(body, dict) and "source_file" in body:
                body = {k: v for k, v in body.items() if k != "source_file"}
                removed.append(f"/functions/{name}/source_file")
            kept[name] = body
        out["functions"] = kept
    return out, removed


def canonical_json(manifest: Any) -> str:
    """Stable text for hashing and diffing: sorted keys, two-space indent, trailing newline."""
    return json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def manifest_hash(manifest: Any) -> str:
    return "sha256:" + hashlib.sha256(canonical_json(manifest).encode()).hexdigest()


def diff_manifests(a: Any, b: Any, *, from_label: str = "deployed", to_label: str = "local", context: int = 3) -> str:
    """Unified diff of the canonical JSON of `a` -> `b`; empty when they are the same."""
    import difflib

    lines = difflib.unified_diff(
        canonical_json(a).splitlines(keepends=True),
        canonical_json(b).splitlines(keepends=True),
        fromfile=from_label,
        tofile=to_label,
        n=context,
    )
    return "".join(lines)
