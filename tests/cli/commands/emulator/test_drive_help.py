"""Every driver verb's --help says how it finds the emulator (issue 23 item 17)."""

from __future__ import annotations

import re

import pytest

DRIVER_VERBS = [
    "post",
    "command",
    "shortcut",
    "click",
    "submit",
    "close-view",
    "open-home",
    "assistant-thread",
    "react",
    "messages",
    "views",
]


@pytest.mark.parametrize("verb", DRIVER_VERBS)
def test_the_driver_verbs_help_says_where_the_emulator_is_found(cli, verb: str):
    result = cli("emulator", verb, "--help")
    assert result.exit_code == 0
    text = re.sub(r"\s+", " ", result.stdout)
    assert "--slack-url, else $SLACKCTL_SLACK_URL, else http://127.0.0.1:8787" in text, text


def test_every_driver_verb_is_in_the_list_above():
    """A verb added later gets the same line: every emulator command but these few is a driver verb."""
    from slackctl.cli.commands.emulator import app

    not_driving = {"start", "exec", "open", "token"}
    names = {c.name for c in app.registered_commands} - not_driving
    assert names <= set(DRIVER_VERBS), names - set(DRIVER_VERBS)
