"""Slack's datastore query language: DynamoDB filter expressions over JSON items, parsed once, evaluated per item.

Slack runs `apps.datastore.query` and `count` as a DynamoDB scan with the caller's `expression`, with `#name`
placeholders from `expression_attributes` and `:value` placeholders from `expression_values`, so the rules are
DynamoDB's: comparisons (`=`, `<>`, `<`, `<=`, `>`, `>=`), `BETWEEN :lo AND :hi`, `IN (...)`, the functions
`attribute_exists`, `attribute_not_exists`, `attribute_type`, `begins_with`, `contains` and `size`, and
`NOT` > `AND` > `OR` (keywords in any case, function names exactly). Evaluation follows DynamoDB too: a comparison
with a missing attribute, or between values of different types, is false (never an error); `NOT` turns that
false into true. What DynamoDB rejects before scanning (a syntax error, an undefined or unused placeholder, an
operand of the wrong type for an operator or function, a BETWEEN whose bounds are reversed) raises
ExpressionError with a message in DynamoDB's words. Not modelled: DynamoDB's reserved-word check on bare names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


class ExpressionError(ValueError):
    """An expression DynamoDB (and so Slack) refuses before looking at any item."""


_MISSING = object()  # an attribute an item does not have
_TOKEN = re.compile(
    r"\s*(?:(?P<name>#[A-Za-z0-9_]+)|(?P<value>:[A-Za-z0-9_]+)|(?P<number>\d+)"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*)|(?P<op><>|<=|>=|[=<>(),.\[\]]))"
)
_KEYWORDS = {"AND", "OR", "NOT", "BETWEEN", "IN"}
_COMPARATORS = {"=", "<>", "<", "<=", ">", ">="}
_FUNCTIONS = {"attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains", "size"}
_TYPE_NAMES = {"S", "N", "BOOL", "NULL", "L", "M", "SS", "NS", "BS", "B"}


def type_of(value: Any) -> str:
    """The DynamoDB type a JSON value is stored as: S, N, BOOL, NULL, L or M."""
    if isinstance(value, bool):
        return "BOOL"
    if isinstance(value, (int, float)):
        return "N"
    if isinstance(value, str):
        return "S"
    if value is None:
        return "NULL"
    if isinstance(value, list):
        return "L"
    return "M"


def same(a: Any, b: Any) -> bool:
    """DynamoDB equality: equal types and equal values, all the way down (1 is not true, "1" is not 1)."""
    kind = type_of(a)
    if kind != type_of(b):
        return False
    if kind == "L":
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if kind == "M":
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return bool(a == b)


# ---- the parsed expression: each node is a function of the item ------------------------------------------------
Operand = Callable[[Mapping[str, Any]], Any]
Condition = Callable[[Mapping[str, Any]], bool]


@dataclass
class _Operand:
    get: Operand
    path: str | None = None  # the attribute's path as written, None for a :value or size(...)
    constant: Any = _MISSING  # a :value's value, known before any item


class Expression:
    """A parsed filter expression; `matches(item)` says whether an item passes it."""

    def __init__(
        self, text: str, names: Mapping[str, Any] | None = None, values: Mapping[str, Any] | None = None
    ) -> None:
        self.text = text
        self._names = dict(names or {})
        self._values = dict(values or {})
        self._used_names: set[str] = set()
        self._used_values: set[str] = set()
        self._tokens = _tokenize(text)
        self._pos = 0
        self._condition = self._or()
        if self._pos < len(self._tokens):
            raise self._syntax_error(self._tokens[self._pos][1])
        unused_names = sorted(set(self._names) - self._used_names)
        if unused_names:
            raise ExpressionError(
                "Value provided in ExpressionAttributeNames unused in expressions: keys: {"
                + ", ".join(unused_names)
                + "}"
            )
        unused_values = sorted(set(self._values) - self._used_values)
        if unused_values:
            raise ExpressionError(
                "Value provided in ExpressionAttributeValues unused in expressions: keys: {"
                + ", ".join(unused_values)
                + "}"
            )

    def matches(self, item: Mapping[str, Any]) -> bool:
        return self._condition(item)

    # ---- tokens -------------------------------------------------------------------------------------------
    def _peek(self) -> tuple[str, str] | None:
        return self._tokens[self._pos] if self._pos < len(self._tokens) else None

    def _keyword(self, word: str) -> bool:
        token = self._peek()
        if token is not None and token[0] == "word" and token[1].upper() == word:
            self._pos += 1
            return True
        return False

    def _op(self, op: str) -> bool:
        token = self._peek()
        if token == ("op", op):
            self._pos += 1
            return True
        return False

    def _expect(self, op: str) -> None:
        if not self._op(op):
            token = self._peek()
            raise self._syntax_error(token[1] if token else "<EOF>")

    def _syntax_error(self, token: str) -> ExpressionError:
        return ExpressionError(
            f'Invalid FilterExpression: Syntax error; token: "{token}", near: "{_near(self.text, token)}"'
        )

    # ---- grammar: or -> and -> not -> primary ---------------------------------------------------------------
    def _or(self) -> Condition:
        left = self._and()
        while self._keyword("OR"):
            right = self._and()
            left = (lambda a, b: lambda item: a(item) or b(item))(left, right)
        return left

    def _and(self) -> Condition:
        left = self._not()
        while self._keyword("AND"):
            right = self._not()
            left = (lambda a, b: lambda item: a(item) and b(item))(left, right)
        return left

    def _not(self) -> Condition:
        if self._keyword("NOT"):
            inner = self._not()
            return lambda item: not inner(item)
        return self._primary()

    def _primary(self) -> Condition:
        if self._op("("):
            inner = self._or()
            self._expect(")")
            return inner
        token = self._peek()
        if token is not None and token[0] == "word" and token[1] in _FUNCTIONS and token[1] != "size":
            return self._condition_function()
        left = self._operand()
        if self._keyword("BETWEEN"):
            low = self._operand()
            if not self._keyword("AND"):
                nxt = self._peek()
                raise self._syntax_error(nxt[1] if nxt else "<EOF>")
            high = self._operand()
            return self._between(left, low, high)
        if self._keyword("IN"):
            self._expect("(")
            choices = [self._operand()]
            while self._op(","):
                choices.append(self._operand())
            self._expect(")")
            return lambda item: any(_compare("=", left.get(item), c.get(item)) for c in choices)
        token = self._peek()
        if token is None or token[0] != "op" or token[1] not in _COMPARATORS:
            raise self._syntax_error(token[1] if token else "<EOF>")
        self._pos += 1
        right = self._operand()
        op = token[1]
        if op not in ("=", "<>"):
            for side in (left, right):
                if side.constant is not _MISSING and type_of(side.constant) not in ("S", "N"):
                    raise _operand_type(op, type_of(side.constant))
        return lambda item: _compare(op, left.get(item), right.get(item))

    def _between(self, value: _Operand, low: _Operand, high: _Operand) -> Condition:
        for side in (value, low, high):
            if side.constant is not _MISSING and type_of(side.constant) not in ("S", "N"):
                raise _operand_type("BETWEEN", type_of(side.constant))
        if low.constant is not _MISSING and high.constant is not _MISSING:
            if type_of(low.constant) != type_of(high.constant) or low.constant > high.constant:
                raise ExpressionError(
                    "Invalid FilterExpression: The BETWEEN operator requires upper bound to be "
                    "greater than or equal to lower bound; lower bound operand: "
                    f"{_show(low.constant)}, upper bound operand: {_show(high.constant)}"
                )
        return lambda item: (
            _compare(">=", value.get(item), low.get(item)) and _compare("<=", value.get(item), high.get(item))
        )

    def _condition_function(self) -> Condition:
        name = self._tokens[self._pos][1]
        self._pos += 1
        self._expect("(")
        first = self._operand()
        second = self._operand() if name in ("attribute_type", "begins_with", "contains") and self._op(",") else None
        self._expect(")")
        if name in ("attribute_exists", "attribute_not_exists"):
            if first.path is None or second is not None:
                raise _operand_type(name, "value" if first.path is None else "two operands")
            exists = name == "attribute_exists"
            return lambda item: (first.get(item) is not _MISSING) == exists
        if second is None:
            raise ExpressionError(
                f"Invalid FilterExpression: Incorrect number of operands for operator or "
                f"function; operator or function: {name}, number of operands: 1"
            )
        if name == "attribute_type":
            if first.path is None or second.constant is _MISSING or second.constant not in _TYPE_NAMES:
                raise ExpressionError(
                    "Invalid FilterExpression: Invalid attribute type name found; type: "
                    f"{_show(second.constant)}, valid types: {{{', '.join(sorted(_TYPE_NAMES))}}}"
                )
            wanted = second.constant
            return lambda item: first.get(item) is not _MISSING and type_of(first.get(item)) == wanted
        if name == "begins_with":
            for side in (first, second):
                if side.constant is not _MISSING and type_of(side.constant) != "S":
                    raise _operand_type(name, type_of(side.constant))
            return lambda item: _begins_with(first.get(item), second.get(item))
        if first.constant is not _MISSING:  # contains: the first operand must be a path
            raise _operand_type(name, type_of(first.constant))
        return lambda item: _contains(first.get(item), second.get(item))

    def _operand(self) -> _Operand:
        token = self._peek()
        if token is None:
            raise self._syntax_error("<EOF>")
        kind, text = token
        if kind == "value":
            self._pos += 1
            if text not in self._values:
                raise ExpressionError(
                    "Invalid FilterExpression: An expression attribute value used in expression "
                    f"is not defined; attribute value: {text}"
                )
            self._used_values.add(text)
            constant = self._values[text]
            return _Operand(lambda item: constant, constant=constant)
        if kind == "word" and text == "size":
            self._pos += 1
            self._expect("(")
            inner = self._operand()
            self._expect(")")
            if inner.path is None:
                raise _operand_type("size", type_of(inner.constant))
            return _Operand(lambda item: _size(inner.get(item)))
        if kind in ("name", "word") and text.upper() not in _KEYWORDS:
            return self._path()
        raise self._syntax_error(text)

    def _path(self) -> _Operand:
        steps: list[str | int] = [self._path_name()]
        written = [self._tokens[self._pos - 1][1]]
        while True:
            if self._op("."):
                steps.append(self._path_name())
                written.append("." + self._tokens[self._pos - 1][1])
            elif self._op("["):
                token = self._peek()
                if token is None or token[0] != "number":
                    raise self._syntax_error(token[1] if token else "<EOF>")
                self._pos += 1
                self._expect("]")
                steps.append(int(token[1]))
                written.append(f"[{token[1]}]")
            else:
                break
        return _Operand(lambda item: _resolve(item, steps), path="".join(written))

    def _path_name(self) -> str:
        token = self._peek()
        if token is None or token[0] not in ("name", "word"):
            raise self._syntax_error(token[1] if token else "<EOF>")
        self._pos += 1
        if token[0] == "word":
            return token[1]
        if token[1] not in self._names:
            raise ExpressionError(
                "Invalid FilterExpression: An expression attribute name used in the document "
                f"path is not defined; attribute name: {token[1]}"
            )
        self._used_names.add(token[1])
        return str(self._names[token[1]])


# ---- evaluation helpers ------------------------------------------------------------------------------------------
def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    stripped = text.rstrip()
    if not stripped:
        raise ExpressionError("Invalid FilterExpression: The expression can not be empty;")
    while pos < len(stripped):
        match = _TOKEN.match(stripped, pos)
        if match is None:
            bad = stripped[pos:].strip()[:1]
            raise ExpressionError(f'Invalid FilterExpression: Syntax error; token: "{bad}", near: "{_near(text, bad)}"')
        kind = match.lastgroup or "op"
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    return tokens


def _resolve(item: Mapping[str, Any], steps: list[str | int]) -> Any:
    current: Any = item
    for step in steps:
        if isinstance(step, int):
            if not isinstance(current, list) or step >= len(current):
                return _MISSING
            current = current[step]
        else:
            if not isinstance(current, dict) or step not in current:
                return _MISSING
            current = current[step]
    return current


def _compare(op: str, a: Any, b: Any) -> bool:
    if a is _MISSING or b is _MISSING:
        return False
    if op == "=":
        return same(a, b)
    if op == "<>":
        return not same(a, b)
    kind = type_of(a)
    if kind != type_of(b) or kind not in ("S", "N"):
        return False
    if op == "<":
        return bool(a < b)
    if op == "<=":
        return bool(a <= b)
    if op == ">":
        return bool(a > b)
    return bool(a >= b)


def _begins_with(value: Any, prefix: Any) -> bool:
    return isinstance(value, str) and isinstance(prefix, str) and value.startswith(prefix)


def _contains(container: Any, part: Any) -> bool:
    if isinstance(container, str):
        return isinstance(part, str) and part in container
    if isinstance(container, list):
        return any(same(element, part) for element in container)
    return False


def _size(value: Any) -> Any:
    if isinstance(value, (str, list, dict)):
        return len(value)
    return _MISSING  # DynamoDB: size() of a number, boolean or missing attribute matches nothing


def _operand_type(name: str, kind: str) -> ExpressionError:
    return ExpressionError(
        "Invalid FilterExpression: Incorrect operand type for operator or function; "
        f"operator or function: {name}, operand type: {kind}"
    )


def _show(value: Any) -> str:
    if value is _MISSING:
        return "<path>"
    return f"{type_of(value)}: {value}"


def _near(text: str, token: str) -> str:
    at = text.find(token)
    return text[max(0, at - 10) : at + len(token) + 10].strip() if at >= 0 else text[:24]
