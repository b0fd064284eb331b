"""cli/prompt.py's Prompter and cli/io.py's terminal overrides: prompts only when a person is there, and an
error naming the flag otherwise (the real terminal is proven by the pexpect tests of auth, deploy and create)."""

from __future__ import annotations

import io as iolib

import pytest

from slackctl.cli.io import IO
from slackctl.cli.prompt import Prompter
from slackctl.errors import UsageError


def _io(stdin: str = "", **overrides: bool) -> IO:
    return IO(stdin=iolib.StringIO(stdin), stdout=iolib.StringIO(), stderr=iolib.StringIO(), **overrides)


def test_io_overrides_decide_what_the_terminal_can_do(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert not _io().stdout_is_tty and not _io().can_prompt  # StringIO streams are no terminal
    tty = _io(is_terminal=True)
    assert tty.stdout_is_tty and tty.stdin_is_tty and tty.can_prompt and tty.color
    monkeypatch.setenv("CI", "1")
    assert not tty.can_prompt  # CI set: nobody to ask, even on a terminal
    assert _io(is_terminal=False, can_prompt=True).can_prompt


@pytest.mark.parametrize(
    "ask",
    [
        lambda p: p.text("App client id:", what="the app's client id", instead="--client-id ID"),
        lambda p: p.secret("Secret (input hidden): ", what="the app's client id", instead="--client-id ID"),
        lambda p: p.select("Pick", ["a", "b"], what="the app's client id", instead="--client-id ID"),
    ],
)
def test_nobody_to_ask_is_an_error_naming_the_flag(ask):
    with pytest.raises(UsageError) as caught:
        ask(Prompter(_io(can_prompt=False)))
    assert "the app's client id is needed" in caught.value.message and caught.value.hint == "pass --client-id ID"


def test_confirm_asks_on_stderr_and_reads_a_typed_answer():
    for typed, answer in (("y\n", True), ("yes\n", True), ("\n", False), ("n\n", False)):
        terminal = _io(typed, can_prompt=True)
        assert Prompter(terminal).confirm("Update A1?", flag="--yes") is answer
        assert terminal.stderr.getvalue() == "Update A1? [y/N] " and terminal.stdout.getvalue() == ""
    with pytest.raises(UsageError) as caught:
        Prompter(_io("y\n", can_prompt=False)).confirm("Update A1?", flag="--yes")
    assert caught.value.hint == "pass --yes to go ahead without asking"


def test_secrets_come_from_piped_stdin_one_per_line():
    assert Prompter(_io("xoxb-1\n\n  xoxe-2  \n", is_terminal=False)).secret_lines("Token: ") == ["xoxb-1", "xoxe-2"]
