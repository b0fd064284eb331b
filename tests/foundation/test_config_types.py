"""config.toml keys of the wrong type end in one line naming the file, the key and the expected type (exit 2),
not in "unexpected …, this is a bug" from whichever command happened to read them."""

from __future__ import annotations

from pathlib import Path

import pytest

CASES = [
    ("active = 1\n", "active", "a string"),
    ("profiles = [1]\n", "profiles", "a table"),
    ('[profiles.p]\nkinds = "bot"\n', "profiles.p.kinds", "a list of strings"),
    ("[profiles.p]\nteam_id = 5\n", "profiles.p.team_id", "a string"),
    ('[profiles.p]\nscopes = { bot = "chat:write" }\n', "profiles.p.scopes", "a table of lists of strings"),
    ('[profiles.p]\nexpires = { bot = "soon" }\n', "profiles.p.expires", "a table of numbers"),
    ("[profiles.p]\nextra = 3\n", "profiles.p.extra", "a table"),
    ('apps = "A1"\n', "apps", "a table"),
    ("[apps.A1]\nkinds = 3\n", "apps.A1.kinds", "a list of strings"),
    ('[create]\ntrusted_templates = "https://github.com/acme"\n', "create.trusted_templates", "a list of strings"),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES, ids=[c[1] for c in CASES])
@pytest.mark.parametrize("command", [["auth", "list"], ["tokens", "list"]])
def test_a_key_of_the_wrong_type_is_a_clear_usage_error(cli, slackctl_env, text, key, expected, command):
    path = Path(slackctl_env["SLACKCTL_CONFIG_DIR"]) / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('active = "p"\n' + text if not text.startswith(("active", "profiles")) else text)
    result = cli(*command)
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0] and f"{key} must be {expected}" in lines[0], lines[0]
    assert "unexpected" not in lines[0] and "bug" not in lines[0]


def test_unknown_keys_and_right_types_still_load(cli, slackctl_env):
    path = Path(slackctl_env["SLACKCTL_CONFIG_DIR"]) / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        'active = "p"\nfuture = 1\n[profiles.p]\nteam_id = "T1"\nkinds = []\n'
        "expires = { bot = 1700000000 }\nnew_field = true\n"
    )
    result = cli("auth", "list")
    assert result.exit_code == 0, result.stderr
