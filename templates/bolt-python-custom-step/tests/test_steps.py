"""Offline tests of the custom step (no Slack, no Bolt)."""

import json
from pathlib import Path

import pytest
from steps import CALLBACK_ID, StepInputError, greet_user


def test_greeting_mentions_the_person():
    assert greet_user({"user_id": "U123"}) == {"greeting": "Hello, <@U123>!"}


def test_greeting_carries_the_message():
    assert greet_user({"user_id": "U1", "message": " Welcome aboard. "})["greeting"] == "Hello, <@U1>! Welcome aboard."


def test_a_missing_person_fails_the_step():
    with pytest.raises(StepInputError, match="user_id"):
        greet_user({"message": "hi"})


def test_outputs_match_the_manifest():
    manifest = json.loads(Path(__file__).resolve().parents[1].joinpath("manifest.json").read_text())
    function = manifest["functions"][CALLBACK_ID]
    outputs = greet_user({"user_id": "U1"})
    assert set(outputs) == set(function["output_parameters"]["properties"])
