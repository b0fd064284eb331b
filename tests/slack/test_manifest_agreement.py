"""One validator: Slack's published manifest schema, `slackctl manifest validate` and the emulator's
apps.manifest.validate give the same verdict on Slack's examples and on single-field mutations of them."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import referencing
from referencing.jsonschema import DRAFT7

from slackctl.emulator import start_emulator
from slackctl.slack import manifest as mf

ROOT = Path(__file__).resolve().parents[2]
OFFICIAL = ROOT / "tests" / "data" / "slack-manifest-schema"
EXAMPLES = OFFICIAL / "tests"
# Slack's top-level schema refers to the versioned files by these URLs; the registry serves our copies.
REF_URL = "https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/manifest.schema.{}.json"


def official_validator() -> jsonschema.Draft7Validator:
    resources = [
        (REF_URL.format(v), DRAFT7.create_resource(json.loads((OFFICIAL / f"manifest.schema.{v}.json").read_text())))
        for v in ("1.0.0", "2.0.0")
    ]
    top = json.loads((OFFICIAL / "manifest.schema.json").read_text())
    return jsonschema.Draft7Validator(top, registry=referencing.Registry().with_resources(resources))


OFFICIAL_VALIDATOR = official_validator()


def example(name: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / name).read_text())


def with_value(
    manifest: dict[str, Any], path: tuple[Any, ...], value: Any = None, *, delete: bool = False
) -> dict[str, Any]:
    out = copy.deepcopy(manifest)
    node = out
    for key in path[:-1]:
        node = node[key]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return out


def _wrong_type(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes"
    if isinstance(value, (int, float)):
        return "1"
    if isinstance(value, str):
        return 12
    if isinstance(value, list):
        return {}
    return []


def _walk(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, (*path, index))


def sweep(name: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every single-field mutation of an example: a key removed, a value of the wrong type, an unknown key
    added to an object, a string emptied or made far too long."""
    base = example(name)
    stem = name.removesuffix(".valid.json")
    for path, value in _walk(base):
        if not path:
            continue
        where = stem + ":/" + "/".join(map(str, path))
        if isinstance(path[-1], str):
            yield f"{where}:deleted", with_value(base, path, delete=True)
        yield f"{where}:wrong-type", with_value(base, path, _wrong_type(value))
        if isinstance(value, dict):
            yield f"{where}:unknown-key", with_value(base, path, {**value, "bogus_key": 1})
        if isinstance(value, str):
            yield f"{where}:empty", with_value(base, path, "")
            yield f"{where}:too-long", with_value(base, path, "x" * 5000)


V1 = example("v1-manifest.valid.json")
V2 = example("v2-manifest.valid.json")
# The cases the issue names, and a few more a person would try, each one field away from a valid manifest.
NAMED = [
    ("command-without-slash", with_value(V1, ("features", "slash_commands", 0, "command"), "sample-command")),
    ("shortcut-type-bogus", with_value(V1, ("features", "shortcuts", 0, "type"), "bogus")),
    ("major-version-3", with_value(V1, ("_metadata", "major_version"), 3)),
    ("major-version-0", with_value(V1, ("_metadata", "major_version"), 0)),
    ("major-version-as-text", with_value(V2, ("_metadata", "major_version"), "2")),
    ("v2-manifest-read-as-v1", with_value(V2, ("_metadata",), {"minor_version": 1})),
    ("no-metadata-v1", with_value(V1, ("_metadata",), delete=True)),
    ("name-36-chars", with_value(V1, ("display_information", "name"), "n" * 36)),
    ("background-colour-word", with_value(V1, ("display_information", "background_color"), "red")),
    ("background-colour-hex", with_value(V1, ("display_information", "background_color"), "#4a154b")),
    ("bot-scopes-a-string", with_value(V1, ("oauth_config", "scopes", "bot"), "chat:write")),
    ("unknown-top-level-key", with_value(V1, ("surprise",), True)),
    ("unknown-settings-key", with_value(V1, ("settings", "bad_param"), True)),
    ("socket-mode-as-text", with_value(V1, ("settings", "socket_mode_enabled"), "true")),
    ("redirect-urls", with_value(V1, ("oauth_config", "redirect_urls"), ["https://example.com/oauth"])),
    ("bot-events-a-string", with_value(V1, ("settings", "event_subscriptions", "bot_events"), "message.im")),
    ("display-information-missing", with_value(V1, ("display_information",), delete=True)),
]
CASES = [(f"example:{n}", example(n)) for n in sorted(p.name for p in EXAMPLES.glob("*.json"))]
CASES += NAMED
CASES += [case for name in ("v1-manifest.valid.json", "v2-manifest.valid.json") for case in sweep(name)]


@pytest.fixture(scope="module")
def emulator_validate() -> Iterator[Any]:
    with start_emulator() as emu, httpx.Client(base_url=emu.url, timeout=10) as http:
        token = emu.mint_token("config")["token"]

        def validate(manifest: dict[str, Any]) -> dict[str, Any]:
            resp = http.post(
                "/api/apps.manifest.validate", json={"manifest": manifest}, headers={"Authorization": f"Bearer {token}"}
            )
            assert resp.status_code == 200
            return resp.json()

        yield validate


def test_the_cases_cover_both_verdicts() -> None:
    verdicts = [OFFICIAL_VALIDATOR.is_valid(m) for _, m in CASES]
    assert len(CASES) > 300 and verdicts.count(True) > 30 and verdicts.count(False) > 200


@pytest.mark.parametrize(("case", "manifest"), CASES, ids=[c for c, _ in CASES])
def test_official_schema_cli_validator_and_emulator_agree(
    case: str, manifest: dict[str, Any], emulator_validate: Any
) -> None:
    from slackctl.slack.workflows import workflow_problems

    official = OFFICIAL_VALIDATOR.is_valid(manifest)
    problems = mf.validate_manifest(manifest)  # what `slackctl manifest validate` and deploy run
    answer = emulator_validate(manifest)
    # Beyond its schema Slack refuses workflow steps it cannot run (unknown function, missing required input,
    # a literal of the wrong type): where the schema passes, those checks are the only problems.
    steps = sorted(p for p, _ in workflow_problems(manifest)) if official else []
    assert sorted(p.pointer for p in problems if official) == steps, [str(p) for p in problems]
    expected = official and not steps
    assert (not problems) is expected, [str(p) for p in problems]
    assert answer["ok"] is expected, answer
    if not expected:
        assert answer["error"] == "invalid_manifest"
        assert [e["pointer"] for e in answer["errors"]] == [p.pointer or "/" for p in problems]
        assert [e["message"] for e in answer["errors"]] == [p.message for p in problems]


def test_the_issues_examples_are_refused_where_the_problem_is(emulator_validate: Any) -> None:
    named = dict(NAMED)
    pointers = {
        case: [e["pointer"] for e in emulator_validate(named[case])["errors"]]
        for case in ("command-without-slash", "shortcut-type-bogus", "major-version-3")
    }
    assert pointers == {
        "command-without-slash": ["/features/slash_commands/0/command"],
        "shortcut-type-bogus": ["/features/shortcuts/0/type"],
        "major-version-3": ["/_metadata/major_version"],
    }
    v2_invalid = emulator_validate(example("v2-manifest.invalid.json"))
    assert v2_invalid["ok"] is False
    assert [e["pointer"] for e in v2_invalid["errors"]] == ["/workflows/time_off_request/input_parameters"]


@pytest.mark.parametrize(
    "case",
    [
        "example:v1-manifest.valid.json",
        "example:v2-manifest.valid.json",
        "example:v1-manifest.invalid.json",
        "example:v2-manifest.invalid.json",
        "command-without-slash",
        "major-version-3",
        "background-colour-hex",
    ],
)
def test_the_cli_command_agrees_with_the_emulator(
    case: str, cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, emulator_validate: Any
) -> None:
    manifest = dict(CASES)[case]
    (tmp_path / "manifest.json").write_text(json.dumps(manifest, indent=2))
    monkeypatch.chdir(tmp_path)
    result = cli("manifest", "validate")
    accepted = emulator_validate(manifest)["ok"]
    assert result.exit_code == (0 if accepted else 2), result.stderr
    assert accepted is OFFICIAL_VALIDATOR.is_valid(manifest)
