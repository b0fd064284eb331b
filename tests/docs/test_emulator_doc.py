"""docs/emulator.md cannot drift: every method it calls stateful has a handler of its own, every admin.* handler
is named there, and what it says the generic layer answers is what it answers."""

from __future__ import annotations

import re
from pathlib import Path

from slackctl.emulator.webapi import dispatch  # noqa: F401 - imports every handler module
from slackctl.emulator.webapi.registry import REGISTRY
from slackctl.slack import catalog

DOC = (Path(__file__).parents[2] / "docs" / "emulator.md").read_text(encoding="utf-8")
STATEFUL = DOC.split("## Stateful methods", 1)[1].split("\n## ", 1)[0]
NAMED = set(re.findall(r"`([a-z]+(?:\.[A-Za-z0-9]+)+)`", STATEFUL))


def test_every_method_the_doc_calls_stateful_has_its_own_handler():
    assert len(NAMED) > 100
    assert sorted(n for n in NAMED if n not in REGISTRY) == []


def test_every_stateful_admin_method_is_named_in_the_doc():
    assert sorted(n for n in REGISTRY if n.startswith("admin.") and n not in NAMED) == []


def test_the_doc_names_generic_methods_that_really_are_generic():
    for name in ("slackLists.create", "slackLists.items.list", "files.upload"):
        assert f"`{name}`" in DOC
        assert name not in REGISTRY and catalog.get(name) is not None
