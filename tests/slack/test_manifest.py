"""slackctl.slack.manifest: loading with line numbers, schema validation, merge, diff."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slackctl.errors import UsageError
from slackctl.slack import manifest as mf

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_SOURCE = ROOT / "tests" / "data" / "slack-manifest-schema"
EXAMPLES = SCHEMA_SOURCE / "tests"


@pytest.mark.parametrize("name", ["v1-manifest.valid.json", "v2-manifest.valid.json"])
def test_valid_example_manifests_have_no_problems(name: str) -> None:
    assert mf.validate_manifest(mf.load_manifest_file(EXAMPLES / name)) == []


@pytest.mark.parametrize(
    ("name", "pointer", "line"),
    [
        ("v1-manifest.invalid.json", "/settings/bad_param", 51),
        ("v2-manifest.invalid.json", "/workflows/time_off_request/input_parameters", 69),
    ],
)
def test_invalid_example_manifests_report_pointer_and_line(name: str, pointer: str, line: int) -> None:
    source = mf.load_manifest_source(EXAMPLES / name)
    problems = mf.validate_manifest(source.data, lines=source.lines)
    assert [(p.pointer, p.line) for p in problems] == [(pointer, line)]


def test_unknown_key_message_names_the_key_and_what_is_allowed() -> None:
    problems = mf.validate_manifest({"display_information": {"name": "x", "colour": "red"}})
    assert len(problems) == 1
    assert problems[0].pointer == "/display_information/colour"
    assert "unknown key 'colour'" in problems[0].message and "background_color" in problems[0].message


def test_pattern_errors_are_said_in_words_not_as_regexes() -> None:
    """Issue 23 item 13: "'hello' does not match '^\\/'" becomes "'hello' must start with /"."""
    manifest = {
        "display_information": {"name": "x"},
        "features": {"slash_commands": [{"command": "hello", "description": "d"}]},
        "settings": {"event_subscriptions": {"request_url": "ftp://x.example/events"}},
    }
    messages = {p.pointer: p.message for p in mf.validate_manifest(manifest)}
    assert messages["/features/slash_commands/0/command"] == "'hello' must start with /"
    url_problem = messages["/settings/event_subscriptions/request_url"]
    assert url_problem.startswith("'ftp://x.example/events' must start with http")
    assert not any("^" in m or "does not match" in m for m in messages.values())


def test_every_pattern_of_the_schema_has_words() -> None:
    schema = json.loads((Path(mf.__file__).parent / "manifest_schema.json").read_text())
    patterns: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                patterns.add(node["pattern"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    assert patterns
    for pattern in patterns:
        assert "the form this field takes" not in mf._pattern_words(pattern), pattern


def test_missing_display_information_is_reported_at_the_root() -> None:
    problems = mf.validate_manifest({"features": {}})
    assert any(p.pointer == "" and "display_information" in p.message for p in problems)


def test_wrong_type_is_reported_at_its_pointer() -> None:
    problems = mf.validate_manifest({"display_information": {"name": "x"}, "oauth_config": {"scopes": {"bot": "x"}}})
    assert [p.pointer for p in problems] == ["/oauth_config/scopes/bot"]


def test_non_object_manifest_is_one_problem() -> None:
    assert [p.message for p in mf.validate_manifest([1, 2])] == ["a manifest must be a JSON object, not an array"]


def test_json_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text('{\n  "display_information": {\n    "name": "x",\n  }\n}\n')
    with pytest.raises(UsageError) as info:
        mf.load_manifest_file(path)
    assert f"{path}:4:3: invalid JSON" in info.value.message


def test_yaml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "manifest.yml"
    path.write_text("display_information:\n  name: x\n    bad: indent\n")
    with pytest.raises(UsageError) as info:
        mf.load_manifest_file(path)
    assert f"{path}:3:" in info.value.message and "invalid YAML" in info.value.message


def test_yaml_manifest_loads_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "manifest.yaml"
    path.write_text("display_information:\n  name: x\nsettings:\n  nope: true\n")
    source = mf.load_manifest_source(path)
    assert source.data["display_information"] == {"name": "x"}
    assert [(p.pointer, p.line) for p in mf.validate_manifest(source.data, lines=source.lines)] == [
        ("/settings/nope", 4)
    ]


def test_manifest_that_is_a_list_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text("[]")
    with pytest.raises(UsageError, match="must be a JSON object, not an array"):
        mf.load_manifest_file(path)


def test_missing_manifest_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="manifest not found"):
        mf.load_manifest_file(tmp_path / "manifest.json")


def test_deep_merge_merges_objects_replaces_lists_and_null_deletes() -> None:
    base = {"display_information": {"name": "App", "description": "d"}, "scopes": ["a"], "x": 1}
    merged = mf.deep_merge(base, {"display_information": {"name": "App (dev)"}, "scopes": ["b"], "x": None})
    assert merged == {"display_information": {"name": "App (dev)", "description": "d"}, "scopes": ["b"]}
    assert base["display_information"]["name"] == "App"  # the input is not changed


def test_diff_is_empty_for_equal_manifests_regardless_of_key_order() -> None:
    assert mf.diff_manifests({"a": 1, "b": 2}, {"b": 2, "a": 1}) == ""
    assert mf.manifest_hash({"a": 1, "b": 2}) == mf.manifest_hash({"b": 2, "a": 1})


def test_diff_shows_changed_lines_with_labels() -> None:
    diff = mf.diff_manifests({"display_information": {"name": "Old"}}, {"display_information": {"name": "New"}})
    assert "--- deployed" in diff and "+++ local" in diff
    assert '-    "name": "Old"' in diff and '+    "name": "New"' in diff


def test_shipped_schema_is_what_the_generator_produces(tmp_path: Path) -> None:
    source = SCHEMA_SOURCE
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import gen_manifest_schema
    finally:
        sys.path.pop(0)
    built = gen_manifest_schema.build(source)
    assert json.loads(mf.SCHEMA_FILE.read_text()) == built
    # Our file is a reshaping, not a copy: no prose survives.
    assert '"description": "' not in mf.SCHEMA_FILE.read_text()


def test_manifest_module_does_not_import_jsonschema_or_yaml_until_needed() -> None:
    code = "import sys, slackctl.slack.manifest; print('jsonschema' in sys.modules, 'yaml' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=25,
)
manifest_keys = st.sampled_from(
    [
        "display_information",
        "features",
        "oauth_config",
        "settings",
        "_metadata",
        "functions",
        "workflows",
        "app_directory",
        "outgoing_domains",
        "types",
    ]
)
manifest_like = st.dictionaries(manifest_keys, json_values, max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(json_values, manifest_like))
def test_validation_never_crashes_on_arbitrary_json(value: object) -> None:
    problems = mf.validate_manifest(value)
    assert all(isinstance(p.pointer, str) and p.message for p in problems)
    assert isinstance(value, dict) or problems


# ---- workflows: what Slack refuses beyond the schema (slack/workflows.py) ------------------------------------
def _with_workflow(steps, inputs=None):
    return {
        "_metadata": {"major_version": 2},
        "display_information": {"name": "W"},
        "functions": {
            "f": {
                "title": "F",
                "description": "d",
                "input_parameters": {"properties": {"n": {"type": "integer"}}, "required": ["n"]},
                "output_parameters": {"properties": {"out": {"type": "string"}}},
            }
        },
        "workflows": {
            "w": {"title": "W", "description": "d", "steps": steps, "input_parameters": {"properties": inputs or {}}}
        },
    }


def test_workflow_steps_are_checked_as_slack_checks_them():
    from slackctl.slack.manifest import validate_manifest

    ok = _with_workflow(
        [
            {"id": "0", "function_id": "#/functions/f", "inputs": {"n": 3}},
            {
                "id": "1",
                "function_id": "slack#/functions/send_message",
                "inputs": {"channel_id": "{{inputs.c}}", "message": "{{steps.0.out}}"},
            },
        ],
        {"c": {"type": "slack#/types/channel_id"}},
    )
    assert validate_manifest(ok) == []
    bad = _with_workflow([{"id": "0", "function_id": "#/functions/f", "inputs": {"n": "three"}}])
    (problem,) = validate_manifest(bad)
    assert problem.pointer == "/workflows/w/steps/0/inputs/n" and "expected an integer" in problem.message
    missing = _with_workflow([{"id": "0", "function_id": "#/functions/f", "inputs": {}}])
    assert "missing required input 'n'" in validate_manifest(missing)[0].message


def test_templates_fill_whole_values_and_text():
    from slackctl.slack.workflows import resolve

    context = {"inputs": {"ctx": {"channel_id": "C1"}, "n": 2}, "steps": {"0": {"user": "U1"}}}
    assert resolve("{{inputs.ctx}}", context) == {"channel_id": "C1"}
    assert resolve("hi <@{{steps.0.user}}> x{{inputs.n}}", context) == "hi <@U1> x2"
    assert resolve({"a": ["{{inputs.missing}}"]}, context) == {"a": [None]}
