"""cli/output.py: the one expiry formatter every command uses."""

from __future__ import annotations

import pytest

from slackctl.cli.output import expiry_text


@pytest.mark.parametrize(
    ("expires", "text"),
    [
        (None, "never"),
        (0, "never"),
        (999, "expired"),
        (1000, "expired"),
        (1000 + 59, "in 0m"),
        (1000 + 45 * 60, "in 45m"),
        (1000 + 3600, "in 1h00m"),
        (1000 + 3 * 3600 + 5 * 60, "in 3h05m"),
    ],
)
def test_expiry_text_says_when_a_token_expires(expires, text):
    assert expiry_text(expires, now=1000) == text
