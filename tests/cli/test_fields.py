"""The field language of `slackctl api call`: every form, the errors, and property-based round trips."""

from __future__ import annotations

import json
import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slackctl.cli.fields import parse_fields, parse_spec
from slackctl.errors import UsageError


def test_plain_fields_are_strings_and_not_structured():
    parsed = parse_fields(["channel=C1", "text=a=b c", "empty="])
    assert parsed.values == {"channel": "C1", "text": "a=b c", "empty": ""}
    assert parsed.structured is False


def test_raw_json_fields_keep_their_types():
    parsed = parse_fields(["n:=3", "f:=1.5", "b:=true", "z:=null", 'a:=[1,"x"]', 'o:={"k": {"v": 1}}'])
    assert parsed.values == {"n": 3, "f": 1.5, "b": True, "z": None, "a": [1, "x"], "o": {"k": {"v": 1}}}
    assert parsed.structured is True


def test_json_string_is_still_a_string_field():
    parsed = parse_fields(['text:="quoted"'])
    assert parsed.values == {"text": "quoted"} and parsed.structured is False


def test_values_from_files_and_stdin(tmp_path):
    (tmp_path / "msg.txt").write_text("hello\nworld\n", encoding="utf-8")
    (tmp_path / "blocks.json").write_text('[{"type": "divider"}]', encoding="utf-8")
    parsed = parse_fields(
        [f"text=@{tmp_path / 'msg.txt'}", f"blocks:=@{tmp_path / 'blocks.json'}", "meta:=@-"],
        read_stdin=lambda: '{"event_type": "x"}',
    )
    assert parsed.values == {"text": "hello\nworld\n", "blocks": [{"type": "divider"}], "meta": {"event_type": "x"}}


def test_nested_keys_build_objects_and_arrays():
    parsed = parse_fields(
        ["a[b][c]=1", "a[b][d]:=2", "tags[]=x", "tags[]=y", "files[0][id]=F1", "files[0][title]=T", "files[1][id]=F2"]
    )
    assert parsed.values == {
        "a": {"b": {"c": "1", "d": 2}},
        "tags": ["x", "y"],
        "files": [{"id": "F1", "title": "T"}, {"id": "F2"}],
    }
    assert parsed.structured is True


def test_escaped_at_sends_a_literal_at_sign():
    assert parse_fields(["text=\\@here"]).values == {"text": "@here"}
    assert parse_fields(["text=\\\\@x"]).values == {"text": "\\@x"}
    assert parse_fields(["text=me@example.com"]).values == {"text": "me@example.com"}


def test_base_body_is_merged_without_overrides():
    parsed = parse_fields(["text=hi"], base={"channel": "C1", "blocks": []})
    assert parsed.values == {"channel": "C1", "blocks": [], "text": "hi"} and parsed.structured
    with pytest.raises(UsageError, match="'channel' is given twice"):
        parse_fields(["channel=C2"], base={"channel": "C1"})


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["novalue"], "malformed field 'novalue'"),
        (["=x"], "malformed field '=x'"),
        (["a b=c"], "malformed field"),
        (["a=1", "a=2"], "field 'a' is given twice"),
        (["a=1", "a[b]=2"], "field 'a[b]' is given twice"),
        (["a[b]=1", "a=2"], "field 'a' is given twice"),
        (["a[]=1", "a[x]=2"], "field 'a[x]'"),
        (["n:=nope"], "field 'n': invalid JSON after :="),
        (["n:="], "field 'n': invalid JSON"),
        (["t=@/no/such/file"], "field 't': cannot read /no/such/file"),
        (["t=@"], "field 't': no file name after @"),
        (["x[3]=v"], "array index 3 skips 3"),
        (["a=@-", "b=@-"], "stdin was already read by 'a'"),
    ],
)
def test_bad_fields_name_the_argument(args, message):
    with pytest.raises(UsageError) as info:
        parse_fields(args, read_stdin=lambda: "stdin text")
    assert message in info.value.message
    assert info.value.hint


def test_file_with_invalid_json_names_the_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{nope", encoding="utf-8")
    with pytest.raises(UsageError, match=f"field 'blocks': invalid JSON in {bad}"):
        parse_fields([f"blocks:=@{bad}"])


def test_binary_file_is_refused_with_a_pointer_to_upload(tmp_path):
    blob = tmp_path / "blob.bin"
    blob.write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(UsageError) as info:
        parse_fields([f"text=@{blob}"])
    assert "not UTF-8" in info.value.message and "api upload" in info.value.hint


def test_nothing_is_read_when_a_later_field_is_malformed(tmp_path):
    calls = []
    with pytest.raises(UsageError, match="malformed"):
        parse_fields(["a=@-", "oops"], read_stdin=lambda: calls.append(1) or "x")
    assert calls == []


def test_spec_names_nested_paths():
    assert parse_spec("a[b][]=1").name == "a[b][]"
    assert parse_spec("a[0]:=1").path == ("a", 0)


# -- properties --------------------------------------------------------------------------------------------
keys = st.text(alphabet=string.ascii_letters + string.digits + "_.-", min_size=1, max_size=12)
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.text(max_size=20)
    | st.floats(allow_nan=False, allow_infinity=False)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)
field_values = st.text(max_size=40) | json_values


def to_args(values: dict) -> list[str]:
    """The inverse of parse_fields for inline values: `key=string` (escaped when it starts with @), `key:=json`."""
    out = []
    for key, value in values.items():
        if isinstance(value, str):
            out.append(f"{key}=\\{value}" if re.match(r"\\*@", value) else f"{key}={value}")
        else:
            out.append(f"{key}:={json.dumps(value, ensure_ascii=False)}")
    return out


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, field_values, max_size=6))
def test_round_trip_of_rendered_fields(values):
    parsed = parse_fields(to_args(values))
    assert parsed.values == values
    assert parsed.structured == any(not isinstance(v, str) for v in values.values())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=5))
def test_any_argument_either_parses_or_is_a_usage_error(args):
    try:
        parsed = parse_fields(args, read_stdin=lambda: '"stdin"')
    except UsageError as exc:
        assert exc.message and "\n" not in exc.message.strip()
    else:
        json.dumps(parsed.values)  # always JSON-serialisable


name_keys = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(name_keys, st.lists(name_keys, min_size=1, max_size=3, unique=True), st.text(max_size=10))
def test_nested_key_lands_at_its_path(top, subs, value):
    value = value.lstrip("\\@") or "v"
    node = parse_fields([top + "".join(f"[{s}]" for s in subs) + "=" + value]).values[top]
    for s in subs[:-1]:
        node = node[s]
    assert node == {subs[-1]: value}
