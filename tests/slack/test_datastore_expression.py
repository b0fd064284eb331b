"""Slack's datastore expressions (DynamoDB filter syntax) against a table of expected results: which of a fixed
set of items each expression selects, and the expressions DynamoDB refuses before scanning."""

from __future__ import annotations

from typing import Any

import pytest

from slackctl.slack.datastore_expression import Expression, ExpressionError

ITEMS: list[dict[str, Any]] = [
    {
        "id": "1",
        "title": "Write docs",
        "status": "open",
        "points": 3,
        "done": False,
        "tags": ["docs", "easy"],
        "owner": {"name": "ada", "team": "core"},
    },
    {"id": "2", "title": "Fix bug", "status": "closed", "points": 8, "done": True, "tags": ["bug"]},
    {"id": "3", "title": "Write tests", "status": "open", "points": 5, "done": False, "due": "2026-12-24"},
    {"id": "4", "title": "Review", "status": "Open", "points": "5", "done": None},  # "5" is a string, not a number
    {"id": "5", "title": "Plan", "points": 1},  # no status, no done, no tags
]

N = {
    "#s": "status",
    "#p": "points",
    "#t": "title",
    "#d": "done",
    "#g": "tags",
    "#o": "owner",
    "#n": "name",
    "#due": "due",
}

# (expression, the names and values it uses, the ids it selects)
CASES: list[tuple[str, dict[str, str], dict[str, Any], list[str]]] = [
    # comparisons; a missing attribute never compares, not even with <>
    ("#s = :v", {"#s": "status"}, {":v": "open"}, ["1", "3"]),
    ("#s <> :v", {"#s": "status"}, {":v": "open"}, ["2", "4"]),
    ("#p > :v", {"#p": "points"}, {":v": 3}, ["2", "3"]),
    ("#p >= :v", {"#p": "points"}, {":v": 3}, ["1", "2", "3"]),
    ("#p < :v", {"#p": "points"}, {":v": 5}, ["1", "5"]),
    ("#p <= :v", {"#p": "points"}, {":v": 5}, ["1", "3", "5"]),
    # type mismatch: the string "5" is neither equal to nor ordered against the number 5
    ("#p = :v", {"#p": "points"}, {":v": 5}, ["3"]),
    ("#p = :v", {"#p": "points"}, {":v": "5"}, ["4"]),
    ("#p <> :v", {"#p": "points"}, {":v": 5}, ["1", "2", "4", "5"]),
    ("#d = :v", {"#d": "done"}, {":v": False}, ["1", "3"]),
    ("#d = :v", {"#d": "done"}, {":v": 0}, []),  # false is not 0
    # strings order by code point: "Open" < "closed" < "open"
    ("#s < :v", {"#s": "status"}, {":v": "open"}, ["2", "4"]),
    # between is inclusive at both ends, and typed
    ("#p between :lo and :hi", {"#p": "points"}, {":lo": 3, ":hi": 5}, ["1", "3"]),
    ("#p BETWEEN :lo AND :hi", {"#p": "points"}, {":lo": 5, ":hi": 5}, ["3"]),
    ("#t BETWEEN :lo AND :hi", {"#t": "title"}, {":lo": "P", ":hi": "X"}, ["1", "3", "4", "5"]),
    ("#due between :a and :b", {"#due": "due"}, {":a": "2026-12-01", ":b": "2026-12-31"}, ["3"]),
    # functions
    ("begins_with(#t, :v)", {"#t": "title"}, {":v": "Write"}, ["1", "3"]),
    ("begins_with ( #t , :v )", {"#t": "title"}, {":v": "write"}, []),  # case-sensitive
    ("begins_with(#p, :v)", {"#p": "points"}, {":v": "5"}, ["4"]),  # a number never begins with anything
    ("contains(#t, :v)", {"#t": "title"}, {":v": "ix"}, ["2"]),
    ("contains (#g, :v)", {"#g": "tags"}, {":v": "bug"}, ["2"]),  # a list contains an element
    ("contains(#g, :v)", {"#g": "tags"}, {":v": "do"}, []),  # ... the element itself, not a substring
    ("attribute_exists(#s)", {"#s": "status"}, {}, ["1", "2", "3", "4"]),
    ("attribute_not_exists(#s)", {"#s": "status"}, {}, ["5"]),
    ("attribute_exists(#d)", {"#d": "done"}, {}, ["1", "2", "3", "4"]),  # null is a value: it exists
    ("attribute_type(#p, :t)", {"#p": "points"}, {":t": "S"}, ["4"]),
    ("size(#g) > :n", {"#g": "tags"}, {":n": 1}, ["1"]),
    ("size(#t) = :n", {"#t": "title"}, {":n": 4}, ["5"]),
    ("#s IN (:a, :b)", {"#s": "status"}, {":a": "closed", ":b": "Open"}, ["2", "4"]),
    # nested paths
    ("#o.#n = :v", {"#o": "owner", "#n": "name"}, {":v": "ada"}, ["1"]),
    ("#g[1] = :v", {"#g": "tags"}, {":v": "easy"}, ["1"]),
    ("#g[5] = :v", {"#g": "tags"}, {":v": "easy"}, []),
    # NOT turns a missing attribute's false into true
    ("NOT #s = :v", {"#s": "status"}, {":v": "open"}, ["2", "4", "5"]),
    ("not contains(#t, :v)", {"#t": "title"}, {":v": "Write"}, ["2", "4", "5"]),
    ("NOT NOT #s = :v", {"#s": "status"}, {":v": "open"}, ["1", "3"]),
    # precedence: NOT over AND over OR; parentheses first
    (
        "#s = :o OR #p > :n AND #d = :t",
        {"#s": "status", "#p": "points", "#d": "done"},
        {":o": "open", ":n": 4, ":t": True},
        ["1", "2", "3"],
    ),
    (
        "(#s = :o OR #p > :n) AND #d = :t",
        {"#s": "status", "#p": "points", "#d": "done"},
        {":o": "open", ":n": 4, ":t": True},
        ["2"],
    ),
    ("NOT #s = :o AND #p < :n", {"#s": "status", "#p": "points"}, {":o": "open", ":n": 5}, ["5"]),
    ("NOT (#s = :o AND #p < :n)", {"#s": "status", "#p": "points"}, {":o": "open", ":n": 5}, ["2", "3", "4", "5"]),
    ("#p between :a and :b and #s = :o", {"#p": "points", "#s": "status"}, {":a": 1, ":b": 4, ":o": "open"}, ["1"]),
    # one placeholder used twice; a bare attribute name
    ("#p >= :v AND #p <= :v", {"#p": "points"}, {":v": 8}, ["2"]),
    ("status = :v", {}, {":v": "closed"}, ["2"]),
    # attribute_not_exists OR ... : Slack's own TTL example
    ("attribute_not_exists(#d) OR #d = :f", {"#d": "done"}, {":f": False}, ["1", "3", "5"]),
]


@pytest.mark.parametrize(
    ("expression", "names", "values", "expected"), CASES, ids=[f"{i:02d}:{c[0]}" for i, c in enumerate(CASES)]
)
def test_expression_selects_the_expected_items(
    expression: str, names: dict[str, str], values: dict[str, Any], expected: list[str]
) -> None:
    parsed = Expression(expression, names, values)
    assert [item["id"] for item in ITEMS if parsed.matches(item)] == expected


# (expression, names, values, a fragment of DynamoDB's message)
REFUSED: list[tuple[str, dict[str, str], dict[str, Any], str]] = [
    ("#s = :v", {}, {":v": 1}, "attribute name used in the document path is not defined; attribute name: #s"),
    ("#s = :v", {"#s": "status"}, {}, "attribute value used in expression is not defined; attribute value: :v"),
    ("#s = :v", {"#s": "status", "#x": "x"}, {":v": 1}, "ExpressionAttributeNames unused in expressions: keys: {#x}"),
    ("#s = :v", {"#s": "status"}, {":v": 1, ":w": 2}, "ExpressionAttributeValues unused in expressions: keys: {:w}"),
    ("#s = ", {"#s": "status"}, {}, 'Syntax error; token: "<EOF>"'),
    ("#s == :v", {"#s": "status"}, {":v": 1}, 'Syntax error; token: "="'),
    ("(#s = :v", {"#s": "status"}, {":v": 1}, 'Syntax error; token: "<EOF>"'),
    ("#s = :v)", {"#s": "status"}, {":v": 1}, 'Syntax error; token: ")"'),
    ("#s", {"#s": "status"}, {}, 'Syntax error; token: "<EOF>"'),
    ("#s = :v AND", {"#s": "status"}, {":v": 1}, 'Syntax error; token: "<EOF>"'),
    ("#s = :v ! 1", {"#s": "status"}, {":v": 1}, 'Syntax error; token: "!"'),
    ("#p BETWEEN :a :b", {"#p": "p"}, {":a": 1, ":b": 2}, 'Syntax error; token: ":b"'),
    ("   ", {}, {}, "can not be empty"),
    ("#p BETWEEN :hi AND :lo", {"#p": "p"}, {":hi": 9, ":lo": 1}, "upper bound to be greater than or equal"),
    ("#p BETWEEN :a AND :b", {"#p": "p"}, {":a": 1, ":b": "9"}, "upper bound to be greater than or equal"),
    ("#p < :v", {"#p": "p"}, {":v": True}, "operator or function: <, operand type: BOOL"),
    ("#p > :v", {"#p": "p"}, {":v": [1]}, "operator or function: >, operand type: L"),
    ("begins_with(#t, :v)", {"#t": "t"}, {":v": 5}, "operator or function: begins_with, operand type: N"),
    ("attribute_exists(:v)", {}, {":v": "x"}, "operator or function: attribute_exists"),
    ("contains(:v, #t)", {"#t": "t"}, {":v": "x"}, "operator or function: contains, operand type: S"),
    ("contains(#t)", {"#t": "t"}, {}, "number of operands: 1"),
    ("attribute_type(#t, :v)", {"#t": "t"}, {":v": "STRING"}, "Invalid attribute type name"),
    ("size(:v) > :n", {}, {":v": "abc", ":n": 1}, "operator or function: size"),
]


@pytest.mark.parametrize(
    ("expression", "names", "values", "message"), REFUSED, ids=[f"{i:02d}:{c[0]}" for i, c in enumerate(REFUSED)]
)
def test_expression_is_refused_before_any_item(
    expression: str, names: dict[str, str], values: dict[str, Any], message: str
) -> None:
    with pytest.raises(ExpressionError) as caught:
        Expression(expression, names, values)
    assert message in str(caught.value)
    assert str(caught.value).startswith(("Invalid FilterExpression", "Value provided"))
