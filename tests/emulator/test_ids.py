"""Slack-shaped ids and secrets: the right length and alphabet, every character reachable."""

from __future__ import annotations

import string

from slackctl.emulator import ids


def test_alnum_draws_every_letter_and_digit_and_nothing_else():
    drawn = "".join(ids.alnum(64) for _ in range(400))
    assert len(drawn) == 64 * 400
    assert set(drawn) == set(string.ascii_letters + string.digits)


def test_slack_ids_are_a_prefix_and_upper_case_alphanumerics():
    made = {ids.slack_id("C") for _ in range(500)}
    assert len(made) == 500
    assert all(len(i) == 11 and i[0] == "C" and set(i[1:]) <= set(string.ascii_uppercase + string.digits) for i in made)
    assert set("".join(i[1:] for i in made)) == set(string.ascii_uppercase + string.digits)
