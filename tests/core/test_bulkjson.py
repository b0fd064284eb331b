"""bulkjson (orjson for paging) reads and writes what the standard library does, and falls back where orjson
refuses (integers beyond 64 bits)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slackctl.core import bulkjson

# JSON values as Slack sends them: no floats here (orjson and json may spell the same float differently, e.g.
# 1e+16 vs 1e16, which is the same number); floats are checked by value below.
values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**64 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(values)
def test_same_text_as_the_standard_library(value):
    expected = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    assert bulkjson.dumps(value) == expected
    assert bulkjson.loads(expected.encode()) == value


@given(st.lists(values, max_size=5))
def test_lines_are_one_compact_text_per_item(items):
    assert bulkjson.dumps_lines(items) == "\n".join(
        json.dumps(i, ensure_ascii=False, separators=(",", ":")) for i in items
    )


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_floats_keep_their_value(number):
    assert json.loads(bulkjson.dumps({"x": number})) == {"x": number}


def test_integers_beyond_64_bits_fall_back_to_the_standard_library():
    big = 2**70
    data = json.dumps({"n": big, "items": [big]}).encode()
    assert bulkjson.loads(data) == {"n": big, "items": [big]}
    assert bulkjson.dumps({"n": big}) == f'{{"n":{big}}}'
    assert bulkjson.dumps_lines([{"n": big}, 1]) == f'{{"n":{big}}}\n1'


@pytest.mark.parametrize("bad", [b"<html>", b"{", b"", b'{"a": 1,}', b"\xff"])
def test_what_is_not_json_is_still_a_value_error(bad):
    with pytest.raises(ValueError):
        bulkjson.loads(bad)


def test_non_ascii_is_written_as_is():
    assert bulkjson.dumps({"name": "Zoë 🎉"}) == '{"name":"Zoë 🎉"}'
