"""Template variables: metadata parsing, {{ var }} rendering, renaming plain repositories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from slackctl.core.scaffold.render import (
    build_variables,
    check_app_name,
    load_meta,
    rename_plain_project,
    render_name,
    render_text,
)
from slackctl.errors import UsageError
from tests.core.scaffold.helpers import write_tree


def test_known_variables_are_replaced_with_or_without_spaces():
    assert render_text("{{ app_name }}/{{slug}}", {"app_name": "My", "slug": "my"}) == "My/my"


def test_unknown_placeholders_such_as_workflow_expressions_pass_through():
    text = '{"channel": "{{inputs.channel}}", "x": "{{ other }}"}'
    assert render_text(text, {"app_name": "a"}, suffix=".json") == text


def test_values_are_json_escaped_in_json_and_toml_files_only():
    values = {"description": 'say "hi" \\ bye'}
    assert render_text('"{{ description }}"', values, suffix=".json") == '"say \\"hi\\" \\\\ bye"'
    assert json.loads(render_text('"{{ description }}"', values, suffix=".json")) == values["description"]
    assert render_text("{{ description }}", values, suffix=".md") == values["description"]


def test_file_names_are_rendered():
    assert render_name("src/{{ package_name }}/__init__.py", {"package_name": "my_app"}) == "src/my_app/__init__.py"


def test_metadata_declares_variables_questions_and_excludes(tmp_path: Path):
    write_tree(
        tmp_path,
        {
            "slackctl-template.toml": """
description = "A test template"
exclude = ["*.bak"]
[variables]
region = "eu"
port = 3000
[[questions]]
variable = "region"
prompt = "Region?"
type = "select"
choices = ["eu", "us"]
[[questions]]
variable = "color"
prompt = "Colour?"
"""
        },
    )
    meta = load_meta(tmp_path)
    assert meta.present and meta.description == "A test template"
    assert meta.variables == {"region": "eu", "port": "3000", "color": ""}
    assert [(q.variable, q.type, q.choices) for q in meta.questions] == [
        ("region", "select", ["eu", "us"]),
        ("color", "text", []),
    ]
    assert meta.exclude == ["*.bak"]


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("description = [", "invalid TOML"),
        ("variables = 3", "[variables]"),
        ("[[questions]]\nprompt = 'x'", "questions[0]"),
        ("[[questions]]\nvariable = 'a'\ntype = 'radio'", "type must be"),
        ("[variables]\n'bad-name' = 'x'", "bad variable name"),
    ],
)
def test_broken_metadata_is_a_usage_error_naming_the_problem(tmp_path: Path, text: str, fragment: str):
    write_tree(tmp_path, {"slackctl-template.toml": text})
    with pytest.raises(UsageError) as exc:
        load_meta(tmp_path)
    assert fragment in exc.value.message


def test_a_folder_without_metadata_is_a_plain_template(tmp_path: Path):
    assert load_meta(tmp_path).present is False


def test_builtin_names_win_over_metadata_defaults_and_options_win_over_both(tmp_path: Path):
    write_tree(tmp_path, {"slackctl-template.toml": "[variables]\ndescription = 'default'\nregion = 'eu'\n"})
    meta = load_meta(tmp_path)
    values = build_variables(meta, "My-App", None, {"region": "us"})
    assert values == {
        "description": "default",
        "region": "us",
        "app_name": "My-App",
        "slug": "my-app",
        "package_name": "my_app",
    }
    assert build_variables(meta, "a", "mine", {})["description"] == "mine"
    with pytest.raises(UsageError):
        build_variables(meta, "a", None, {"app_name": "other"})


@pytest.mark.parametrize("name", ["", "-x", ".hidden", "a b", "a/b", "x" * 36, "naïve"])
def test_bad_app_names_are_refused(name: str):
    with pytest.raises(UsageError):
        check_app_name(name)


def test_plain_projects_are_renamed_in_manifest_pyproject_and_package_json(tmp_path: Path):
    write_tree(
        tmp_path,
        {
            "manifest.json": json.dumps(
                {"display_information": {"name": "Sample"}, "features": {"bot_user": {"display_name": "Sample"}}}
            ),
            "pyproject.toml": (
                '[build-system]\nname = "keep"\n\n[project]\n# the name\nname = "sample"\nversion = "1"\n'
            ),
            "package.json": json.dumps({"name": "sample", "version": "1.0.0"}),
        },
    )
    values = {"app_name": "Renamed", "slug": "renamed", "description": "New words"}
    changed = rename_plain_project(tmp_path, values, description_given=True)
    assert changed == ["manifest.json", "pyproject.toml", "package.json"]
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["display_information"] == {"name": "Renamed", "description": "New words"}
    assert manifest["features"]["bot_user"]["display_name"] == "Renamed"
    assert (tmp_path / "pyproject.toml").read_text() == (
        '[build-system]\nname = "keep"\n\n[project]\n# the name\nname = "renamed"\nversion = "1"\n'
    )
    assert json.loads((tmp_path / "package.json").read_text())["name"] == "renamed"
