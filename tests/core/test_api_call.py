"""core/api_call.py decides a call without any I/O: verb, encoding, page size; warnings go to a callback."""

from __future__ import annotations

import pytest

from slackctl.core.api_call import PAGE_SIZE, lookup, plan_call
from slackctl.errors import UsageError


def _plan(method: str, values: dict, warnings: list[str] | None = None, **kw):
    options = {
        "structured": False,
        "has_body": False,
        "http_method": None,
        "json_body": False,
        "paginating": False,
        "limit": None,
        **kw,
    }
    return plan_call(lookup(method), dict(values), warn=(warnings if warnings is not None else []).append, **options)


def test_a_structured_value_goes_as_json_to_a_method_that_takes_json():
    plan = _plan("chat.postMessage", {"channel": "C1", "blocks": []}, structured=True)
    assert (plan.http_method, plan.params, plan.json_body) == ("POST", {}, {"channel": "C1", "blocks": []})


def test_strings_go_as_a_form_and_get_methods_use_the_query_string():
    assert _plan("chat.postMessage", {"text": "hi"}).params == {"text": "hi"}
    plan = _plan("conversations.history", {"channel": "C1"})
    assert (plan.http_method, plan.params, plan.json_body) == ("GET", {"channel": "C1"}, None)


def test_json_body_for_a_method_not_documented_to_take_it_is_sent_with_a_warning():
    warnings: list[str] = []
    plan = _plan("users.list", {"cursor": "x"}, warnings, json_body=True)
    assert plan.json_body == {"cursor": "x"} and plan.http_method == "POST"
    assert warnings == ["users.list is not documented to accept JSON bodies; sending JSON because of --json-body"]


def test_paging_asks_for_full_pages_up_to_the_limit():
    assert _plan("users.list", {}, paginating=True).params["limit"] == PAGE_SIZE
    assert _plan("users.list", {}, paginating=True, limit=7).params["limit"] == 7
    assert _plan("users.list", {"limit": 3}, paginating=True).params["limit"] == 3


def test_a_token_field_is_refused_before_anything_is_sent():
    with pytest.raises(UsageError, match="tokens are not sent as a field"):
        _plan("auth.test", {"token": "xoxb-1"})
