"""The manual's one environment-variable table is settings.ENVIRONMENT (issue 25): every variable slackctl reads is
a row of it, so docs/reference/environment.md (generated from it) names them all."""

from __future__ import annotations

import re

from slackctl import settings
from tests.conftest import ROOT

# Variables of other programs that slackctl only passes on or sets for a child, never reads as a setting.
NOT_SETTINGS = {
    "_SLACKCTL_COMPLETE",  # click's shell-completion protocol
    "XDG_CONFIG_HOME",
    "SSH_TTY",
    "WAYLAND_DISPLAY",
}  # named in the meaning of their row's partner
READ = re.compile(r"""(?:environ\.get|environ\[|getenv)\(?\s*["']([A-Z_]+)["']""")


def table_names() -> set[str]:
    return {name for name, *_ in settings.ENVIRONMENT}


def test_every_env_constant_of_settings_is_in_the_table():
    constants = {value for key, value in vars(settings).items() if key.startswith("ENV_") and isinstance(value, str)}
    constants |= set(settings.ENV_TOKEN_ORDER)
    assert constants - table_names() == set()


def test_every_variable_read_in_the_code_is_in_the_table():
    read: set[str] = set()
    for path in (ROOT / "slackctl").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        read |= set(READ.findall(text))
        read |= set(re.findall(r'"(SLACKCTL_[A-Z_]+)"', text))
    assert read, "the scan found nothing: the pattern is broken"
    assert read - table_names() - NOT_SETTINGS == set()


def test_each_row_is_complete_and_names_real_commands():
    import click

    from tests.docs.test_manual import generator

    gen = generator()
    root = gen.root_command()
    paths = {" ".join(node.path) for node in gen.walk(root, click.Context(root, info_name="slackctl"))}
    for name, commands, _default, meaning in settings.ENVIRONMENT:
        assert name and meaning, name
        for command in filter(None, (c.strip() for c in commands.split(","))):
            assert command in paths, f"{name}: no command `{command}`"
    assert len(table_names()) == len(settings.ENVIRONMENT)  # one row per variable
