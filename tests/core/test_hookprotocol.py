"""Slack's hooks protocol (core/hookprotocol.py) with real hook processes: get-hooks resolution and override,
`sdk_hook_not_found`, protocol v1 and v2 (message boundaries keep logging out of the answer), config parsing,
and the exact line when a hook's runtime (Deno) is not installed."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from slackctl.core import hookprotocol as hp
from slackctl.core.project import Project
from slackctl.errors import UsageError

# An SDK's get-hooks, as the hooks packages answer: protocol v2 preferred, a get-manifest that logs.
SDK_HOOKS = {
    "hooks": {"get-manifest": "./sdk-manifest", "start": "./sdk-start", "doctor": "./sdk-doctor"},
    "config": {
        "protocol-version": ["message-boundaries", "default"],
        "sdk-managed-connection-enabled": True,
        "watch": {"app": {"paths": ["src"], "filter-regex": "\\.py$"}, "manifest": {"paths": ["m.json"]}},
        "trigger-paths": ["triggers/*.json"],
    },
    "runtime": "python",
}
# A get-manifest that logs on stdout and stderr around its answer, under whichever protocol it is asked in.
SDK_MANIFEST = """#!/bin/sh
echo "loading the app"
echo "a warning" >&2
case "$*" in
  *--protocol=message-boundaries*) b="${2#--boundary=}"
    printf '%s{"display_information":{"name":"V2"}}%s\\n' "$b" "$b";;
  *) echo '{"display_information":{"name":"V1"}}';;
esac
echo "done"
"""


def _script(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".slack").mkdir()
    _script(tmp_path / "get-hooks", f"#!/bin/sh\necho 'sdk says hi'\ncat <<'EOF'\n{json.dumps(SDK_HOOKS)}\nEOF\n")
    _script(tmp_path / "sdk-manifest", SDK_MANIFEST)
    (tmp_path / ".slack" / "hooks.json").write_text(json.dumps({"hooks": {"get-hooks": "./get-hooks"}}))
    return tmp_path


def test_get_hooks_answer_is_the_sdk_config(project: Path) -> None:
    config = Project(project).sdk_config()
    assert config.hooks == SDK_HOOKS["hooks"] | {"get-hooks": "./get-hooks"}
    assert config.protocol == hp.PROTOCOL_V2 and config.runtime == "python" and config.sdk_managed_connection
    assert config.watch_app == hp.Watch(("src",), "\\.py$") and config.watch_manifest == hp.Watch(("m.json",))
    assert config.trigger_paths == ["triggers/*.json"]
    assert config.from_sdk == {"get-manifest", "start", "doctor"}


def test_a_hook_in_hooks_json_overrides_the_sdks(project: Path) -> None:
    (project / ".slack" / "hooks.json").write_text(
        json.dumps(
            {
                "hooks": {"get-hooks": "./get-hooks", "start": "python3 mine.py"},
                "config": {"watch": {"app": {"paths": ["."]}}, "protocol-version": ["default"]},
            }
        )
    )
    config = Project(project).sdk_config()
    assert config.hook("start") == "python3 mine.py" and "start" not in config.from_sdk
    assert config.hook("doctor") == "./sdk-doctor"
    assert config.watch_app == hp.Watch((".",)) and config.watch_manifest == hp.Watch(("m.json",))
    assert config.protocol == hp.PROTOCOL_DEFAULT


def test_a_hook_neither_names_is_sdk_hook_not_found(project: Path) -> None:
    project_ = Project(project)
    assert project_.hook("get-trigger") is None
    with pytest.raises(UsageError, match=r"sdk_hook_not_found: no 'get-trigger' hook in \.slack/hooks\.json or"):
        project_.sdk_config().require("get-trigger")


def test_v2_answer_is_read_between_the_boundaries_and_logs_kept_apart(project: Path) -> None:
    config = Project(project).sdk_config()
    answer = hp.call(
        project, "get-manifest", config.require("get-manifest"), protocol=config.protocol, env=dict(os.environ)
    )
    assert json.loads(answer.response) == {"display_information": {"name": "V2"}}
    assert answer.logs == ["loading the app", "done", "a warning"]
    assert Project(project).manifest["display_information"]["name"] == "V2"


def test_v1_answer_is_stdout_from_its_first_brace(project: Path) -> None:
    answer = hp.call(project, "get-manifest", "./sdk-manifest", protocol=hp.PROTOCOL_DEFAULT, env=dict(os.environ))
    assert hp.json_answer(answer, "get-manifest") == {"display_information": {"name": "V1"}}
    assert answer.logs == ["a warning"]


def test_a_failing_get_hooks_is_one_line_with_its_last_words(project: Path) -> None:
    _script(project / "get-hooks", "#!/bin/sh\necho 'No module named slack_cli_hooks' >&2\nexit 1\n")
    with pytest.raises(UsageError, match=r"the get-hooks hook failed \(exit 1\): No module named slack_cli_hooks"):
        Project(project).hook("start")


def test_a_deno_project_without_deno_says_exactly_what_is_missing(tmp_path: Path) -> None:
    (tmp_path / ".slack").mkdir()
    (tmp_path / ".slack" / "hooks.json").write_text(
        json.dumps(
            {"hooks": {"get-hooks": "deno run -q --allow-read --allow-net https://deno.land/x/deno_slack_hooks/mod.ts"}}
        )
    )
    env = dict(os.environ, PATH=str(tmp_path / "empty-bin"))
    with pytest.raises(UsageError) as info:
        hp.call(tmp_path, "get-hooks", Project(tmp_path).hooks()["get-hooks"], protocol=hp.PROTOCOL_DEFAULT, env=env)
    assert info.value.message.startswith("the get-hooks hook needs `deno`, which is not installed (not on PATH)")
    assert "install Deno" in (info.value.hint or "")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"hooks": {"start": 1}}, 'expected {"hooks": {"NAME": "COMMAND"}}'),
        ({"config": {"protocol-version": 2}}, "config.protocol-version must be a list of names"),
        ({"config": {"watch": {"app": {"paths": "."}}}}, "config.watch.app must be"),
        ({"config": {"watch": {"app": {"paths": ["."], "filter-regex": "("}}}}, "filter-regex is not a regular"),
    ],
)
def test_a_malformed_hooks_file_is_one_line_naming_the_key(data: dict, message: str) -> None:
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace("{", r"\{").replace(".", r"\.")):
        hp.parse_config(data, "hooks.json")
