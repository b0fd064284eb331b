"""Server strings shown to a person (`error`, `error_description`, warnings, a manifest in a diff) reach the
terminal without control characters; JSON data on stdout stays exactly what the server sent; slackctl's own
colours still work. A real loopback server plays the hostile Slack."""

from __future__ import annotations

import io as stdio
import json

from slackctl.cli.io import IO, for_people, style
from tests.reliability.hostile import hostile_server

NASTY = "\x1b]0;pwned\x07\x1b[2J\x1b[1A\rinvalid_auth\x9b31m\u202eevil\x00"
CONTROL = ("\x1b", "\x07", "\r", "\x9b", "\u202e", "\x00")


def _clean(text: str) -> bool:
    return not any(ch in text for ch in CONTROL)


class _Terminal(stdio.StringIO):
    def isatty(self) -> bool:
        return True


def test_an_error_from_the_server_is_shown_without_its_escape_codes(cli, slackctl_env, bot_token):
    answer = {
        "ok": False,
        "error": NASTY,
        "error_description": NASTY,
        "response_metadata": {"warnings": [NASTY], "messages": [NASTY]},
        "warning": NASTY,
    }
    with hostile_server(lambda method, before: answer) as server:
        result = cli(
            "api",
            "call",
            "chat.postMessage",
            "channel=C1",
            "text=hi",
            env={"SLACK_BOT_TOKEN": bot_token, "SLACKCTL_SLACK_URL": server.url},
        )
    assert result.exit_code == 1
    assert _clean(result.stderr), repr(result.stderr)
    assert "invalid_auth" in result.stderr and "pwned" in result.stderr  # shown, defanged, not hidden
    assert json.loads(result.stdout) == answer  # the data is exact, escapes and all (JSON escapes them)


def test_a_server_string_in_a_login_error_is_cleaned_too(cli, slackctl_env):
    with hostile_server(lambda method, before: {"ok": False, "error": NASTY}) as server:
        result = cli(
            "auth", "login", "--with-token", input="xoxb-1-2-hostile\n", env={"SLACKCTL_SLACK_URL": server.url}
        )
    assert result.exit_code != 0 and "invalid_auth" in result.stderr
    assert _clean(result.stderr), repr(result.stderr)


def test_own_colours_survive_and_forged_ones_do_not():
    shown = for_people(style("error:", "31") + " " + NASTY + "\x00[31mforged")
    assert shown.startswith("\x1b[31merror:\x1b[0m ")
    assert shown.count("\x1b") == 2 and "forged" in shown and "\x00" not in shown


def test_a_coloured_diff_on_a_terminal_keeps_only_its_own_colours():
    from slackctl.cli.output import show_diff

    out, err = _Terminal(), _Terminal()
    term = IO(stdout=out, stderr=err)
    show_diff(term, f'--- a\n+++ b\n@@ -1 +1 @@\n-"name": "old"\n+"name": "{NASTY}"\n', to_stdout=True)
    text = out.getvalue()
    assert '\x1b[32m+"name": "' in text and '\x1b[31m-"name": "old"\x1b[0m' in text
    assert "\x1b]" not in text and "\x1b[2J" not in text and "\x07" not in text and "\u202e" not in text


def test_stdout_that_is_not_a_terminal_is_written_exactly():
    out = stdio.StringIO()
    IO(stdout=out).out(NASTY)
    assert out.getvalue() == NASTY + "\n"
