"""slack/errors.py: neutral hints in the library, slackctl's wording (with its flags) at the CLI's boundary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from slackctl.cli.hints import CLI_HINTS, cli_hint
from slackctl.slack import errors
from slackctl.slack.errors import ExitCode, SlackApiError, transport_error

SLACK_DIR = Path(errors.__file__).parent
KINDS = [
    errors.CONNECT,
    errors.TLS_VERIFY,
    errors.PROXY,
    errors.TIMEOUT,
    errors.DROPPED,
    errors.TOO_LARGE,
    errors.MALFORMED,
    errors.RETRY_AFTER,
]


def test_every_hint_key_the_slack_layer_raises_has_slackctl_wording():
    keys = set()
    for path in SLACK_DIR.glob("*.py"):
        keys |= set(re.findall(r'hint_key="([a-z_]+)"', path.read_text()))
    keys |= set(KINDS) | {kind + "_write" for kind in (errors.TIMEOUT, errors.DROPPED)}
    assert keys - {"slack_api"} <= set(CLI_HINTS), sorted(keys - set(CLI_HINTS))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("acted", [False, True])
def test_transport_errors_are_worded_once_and_neutrally(kind, acted):
    exc = transport_error(
        kind, origin="https://slack.com", detail="DETAIL", what="chat.postMessage", may_have_acted=acted
    )
    assert exc.kind == kind
    if kind not in (errors.CONNECT, errors.TLS_VERIFY, errors.PROXY):  # those name the host, not the request
        assert exc.message.startswith("chat.postMessage: ")
    assert ("DETAIL" in exc.message) is (kind != errors.TLS_VERIFY)  # the TLS line names the host, not OpenSSL
    assert "--" not in (exc.hint or "") and "slackctl" not in (exc.hint or "")
    assert cli_hint(exc)  # slackctl always has something to say
    expected = ExitCode.API_ERROR if kind == errors.RETRY_AFTER else ExitCode.NETWORK
    assert exc.exit_code == expected


def test_a_write_that_may_have_been_carried_out_says_so_in_both_wordings():
    exc = transport_error(
        errors.TIMEOUT, origin="https://slack.com", detail="5s", what="chat.postMessage", may_have_acted=True
    )
    assert "may have been made" in (exc.hint or "") and "may have been made" in (cli_hint(exc) or "")
    assert "--timeout" in (cli_hint(exc) or "")


def test_slack_api_errors_get_slackctl_hints_unless_the_caller_gave_one():
    neutral = SlackApiError("chat.postMessage", {"ok": False, "error": "invalid_auth"})
    assert "slackctl" not in (neutral.hint or "") and "slackctl auth login" in (cli_hint(neutral) or "")
    given = SlackApiError("x.y", {"ok": False, "error": "invalid_auth"}, "my own hint")
    assert cli_hint(given) == "my own hint"
