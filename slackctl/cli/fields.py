"""The `key=value` field language of `slackctl api call`: strings, raw JSON, values from files, nested keys.

    key=value        a string                      key:=json       a JSON value (number, bool, array, object)
    key=@file        a string read from a file     key:=@file.json a JSON value read from a file
    key=@-           ... read from stdin           key=\\@text     a string that starts with a literal @
    key[sub]=v       nested object                 key[]=v         append to an array, key[0][id]=v indexed

The same key twice is an error, never a silent override. Library code: raises UsageError, never prints.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slackctl.errors import UsageError

FIELD_HINT = "write fields as key=value, key:=json, key=@file or key[sub]=value"
_FIELD_RE = re.compile(
    r"(?P<key>[^\s\[\]=:@\\]+)(?P<subs>(?:\[[^\[\]=]*\])*)(?P<sep>:=@|:=|=@|=)(?P<value>.*)", re.DOTALL
)
_SUB_RE = re.compile(r"\[([^\[\]]*)\]")
_ESCAPED_AT = re.compile(r"\\+@")
# A path segment: an object key, an array index, or None for "append".
Segment = str | int | None


@dataclass
class Fields:
    values: dict[str, Any] = field(default_factory=dict)
    # Some value is not a plain string (raw JSON or nested): such calls want a JSON body.
    structured: bool = False
    # Top-level names whose value was typed on the command line (not read from a file or stdin).
    inline: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class FieldSpec:
    """One parsed argument before its value is read."""

    path: tuple[Segment, ...]
    json: bool
    source: str  # "inline" or "file"
    raw: str

    @property
    def name(self) -> str:
        head, *rest = self.path
        return str(head) + "".join(f"[{'' if s is None else s}]" for s in rest)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def loads_strict(text: str) -> Any:
    """json.loads without Python's NaN/Infinity extension, which Slack (and our encoder) would refuse later."""
    return json.loads(text, parse_constant=_reject_constant)


def _show(arg: str) -> str:
    return arg if len(arg) <= 60 else arg[:57] + "..."


def parse_spec(arg: str) -> FieldSpec:
    m = _FIELD_RE.fullmatch(arg)
    if not m:
        raise UsageError(f"malformed field {_show(arg)!r}", FIELD_HINT)
    path: list[Segment] = [m.group("key")]
    for sub in _SUB_RE.findall(m.group("subs")):
        if sub == "":
            path.append(None)
        elif sub.isdigit():
            path.append(int(sub))
        else:
            path.append(sub)
    sep = m.group("sep")
    value = m.group("value")
    is_file = sep.endswith("@")
    if not is_file and sep == "=" and _ESCAPED_AT.match(value):
        value = value[1:]  # key=\@here sends "@here" (and key=\\@x sends "\@x")
    return FieldSpec(tuple(path), json=sep.startswith(":"), source="file" if is_file else "inline", raw=value)


class _StdinOnce:
    def __init__(self, read_stdin: Callable[[], str] | None) -> None:
        self._read = read_stdin
        self.used_by: str | None = None

    def read(self, name: str) -> str:
        if self.used_by is not None:
            raise UsageError(
                f"field '{name}': stdin was already read by '{self.used_by}'",
                "only one field (or --input -) can read from stdin",
            )
        if self._read is None:
            raise UsageError(f"field '{name}': stdin is not available here", "read the value from a file instead")
        self.used_by = name
        return self._read()


def read_value(spec: FieldSpec, stdin: _StdinOnce) -> Any:
    text = spec.raw
    if spec.source == "file":
        if text == "-":
            text = stdin.read(spec.name)
        else:
            text = read_text_file(text, f"field '{spec.name}'")
    if not spec.json:
        return text
    try:
        return loads_strict(text)
    except (ValueError, RecursionError) as exc:  # RecursionError: nesting deeper than the parser allows
        where = f"in {spec.raw}" if spec.source == "file" else "after :="
        raise UsageError(
            f"field '{spec.name}': invalid JSON {where} ({exc})",
            'quote JSON for the shell, e.g. blocks:=\'[{"type": "divider"}]\'; use key=value for plain strings',
        ) from None


def read_text_file(path: str, what: str) -> str:
    if not path:
        raise UsageError(f"{what}: no file name after @", "e.g. text=@message.txt, or @- for stdin")
    try:
        return Path(path).expanduser().read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UsageError(
            f"{what}: {path} is not UTF-8 text", "to send a file's bytes use: slackctl api upload"
        ) from None
    except OSError as exc:
        raise UsageError(f"{what}: cannot read {path}: {exc.strerror or exc}", "check the path") from None


def _conflict(spec: FieldSpec) -> UsageError:
    return UsageError(
        f"field '{spec.name}' is given twice or clashes with another field",
        "each key may be set once; use key[]=v to build an array",
    )


def _new_container(segment: Segment) -> Any:
    return {} if isinstance(segment, str) else []


def set_path(root: dict[str, Any], spec: FieldSpec, value: Any) -> None:
    """Put value at spec.path inside root, creating objects/arrays on the way; refuse overrides."""
    node: Any = root
    path = spec.path
    for i, segment in enumerate(path):
        last = i == len(path) - 1
        nxt = None if last else path[i + 1]
        if isinstance(segment, str):
            if not isinstance(node, dict):
                raise _conflict(spec)
            if last:
                if segment in node:
                    raise _conflict(spec)
                node[segment] = value
                return
            if segment not in node:
                node[segment] = _new_container(nxt)
            node = node[segment]
            continue
        if not isinstance(node, list):
            raise _conflict(spec)
        if segment is None or segment == len(node):
            if last:
                node.append(value)
                return
            node.append(_new_container(nxt))
            node = node[-1]
            continue
        if segment > len(node):
            raise UsageError(
                f"field '{spec.name}': array index {segment} skips {segment - len(node)} element(s)",
                "number array elements from 0 without gaps, or use key[]=v",
            )
        if last:
            raise _conflict(spec)
        node = node[segment]
    raise AssertionError("unreachable")  # pragma: no cover


def parse_fields(
    args: list[str], *, read_stdin: Callable[[], str] | None = None, base: dict[str, Any] | None = None
) -> Fields:
    """Parse every argument first (so nothing is read from disk for a command line with a typo), then read
    values and build the nested dict. `base` (a --input body) is merged under the same no-override rule."""
    specs = [parse_spec(arg) for arg in args]
    stdin = _StdinOnce(read_stdin)
    values: dict[str, Any] = dict(base or {})
    structured = bool(base) and any(not isinstance(v, str) for v in values.values())
    inline: set[str] = set()
    for spec in specs:
        value = read_value(spec, stdin)
        if len(spec.path) > 1 or not isinstance(value, str):
            structured = True
        set_path(values, spec, value)
        if spec.source == "inline":
            inline.add(str(spec.path[0]))
    return Fields(values, structured, inline)
