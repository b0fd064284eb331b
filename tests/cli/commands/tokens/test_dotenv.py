"""`tokens export --format dotenv`: values that need quoting come back unchanged from a real shell (`set -a; .`)
and the real python-dotenv; a value no quoting can carry for all of them is refused, with nothing written."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from dotenv import dotenv_values
from hypothesis import given, settings
from hypothesis import strategies as st

from slackctl.cli.envfile import dotenv_line, dotenv_text
from slackctl.errors import UsageError
from tests.cli.commands.deploy.helpers import config_login, make_project, records_json

AWKWARD = {
    "SPACES": "two words  and a tab\there",
    "DOUBLE": 'say "hi"',
    "SINGLE": "it's",
    "DOLLAR": "cost $5 and $HOME and $(id) and `id` and {}$",
    "NEWLINES": "line one\nline two\n",
    "HASH": "a #not-a-comment",
    "BACKSLASH": r"C:\path\n\\",
    "BOTH_QUOTES": """'single' and "double" """,
    "EMPTY": "",
    "PLAIN": "xoxb-123-456-abc",
}


def _read_by_shell(path: Path, keys: list[str]) -> dict[str, str]:
    """`set -a; . FILE` in a real POSIX shell, then each variable back as JSON (printf keeps newlines)."""
    script = 'set -a; . "$1"; shift; for k in "$@"; do eval "printf \'%s\\0\' \\"\\${$k}\\""; done'
    proc = subprocess.run(["sh", "-c", script, "sh", str(path), *keys], capture_output=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    values = proc.stdout.decode().split("\0")[:-1]
    return dict(zip(keys, values, strict=True))


def _round_trip(tmp_path: Path, variables: dict[str, str]) -> None:
    path = tmp_path / ".env"
    path.write_text(dotenv_text(variables))
    assert _read_by_shell(path, list(variables)) == variables
    assert dotenv_values(path) == variables


def test_awkward_values_come_back_unchanged_from_a_shell_and_python_dotenv(tmp_path):
    _round_trip(tmp_path, AWKWARD)


def test_plain_values_stay_unquoted_so_docker_env_file_reads_them_too():
    assert dotenv_line("SLACK_BOT_TOKEN", "xoxb-1-2-abc") == "SLACK_BOT_TOKEN=xoxb-1-2-abc"


@pytest.mark.parametrize("value", ["it's $HOME", "back\\slash `id`", "nul\0", "cr\r", "${HOME}"])
def test_a_value_no_quoting_can_carry_is_refused(value):
    with pytest.raises(UsageError) as info:
        dotenv_text({"FIRST": "fine", "ODD": value})
    assert "ODD" in info.value.message and "--format" in (info.value.hint or "")


_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\0\r")


@settings(max_examples=60, deadline=None)
@given(st.text(_CHARS, max_size=30))
def test_any_value_either_round_trips_or_is_refused(tmp_path_factory, value):
    try:
        line = dotenv_line("V", value)
    except UsageError:
        assert "${" in value or (("'" in value or "\\" in value) and ("$" in value or "`" in value))
        return
    path = tmp_path_factory.mktemp("env") / ".env"
    path.write_text(line + "\n")
    assert _read_by_shell(path, ["V"]) == {"V": value}
    assert dotenv_values(path) == {"V": value}


@pytest.mark.secrets_in_files
def test_export_writes_a_dotenv_file_that_reads_back_as_the_json_export(cli, mint, bot_token, tmp_path, monkeypatch):
    root = make_project(tmp_path / "app")
    monkeypatch.chdir(root)
    config_login(cli, mint)
    assert cli("auth", "login", "--with-token", input=bot_token + "\n").exit_code == 0
    assert cli("deploy").exit_code == 0
    # The client id comes from .slack/apps.json (not a secret): give it characters that need quoting.
    data = records_json(root)
    for teams in data["environments"].values():
        for record in teams.values():
            record["client_id"] = '123.456 "quoted" it\'s\nnext'
    (root / ".slack" / "slackctl.json").write_text(json.dumps(data))

    expected = json.loads(cli("tokens", "export", "--format", "json", allow_secrets=True).stdout)
    result = cli("tokens", "export", "--format", "dotenv", allow_secrets=True)
    assert result.exit_code == 0, result.stderr
    assert "SLACK_CLIENT_ID" in result.stderr and "docker run --env-file" in result.stderr
    path = tmp_path / "exported.env"
    path.write_text(result.stdout)
    assert expected["SLACK_CLIENT_ID"] == '123.456 "quoted" it\'s\nnext'
    assert _read_by_shell(path, list(expected)) == expected
    assert dotenv_values(path) == expected
