"""The command layout: every verb is cli/commands/<group>/<verb>.py, and no verb module shadows a name its
group's __init__ uses (a submodule becomes an attribute of its package: `list.py` would replace `list`)."""

from __future__ import annotations

import builtins
import importlib
import pkgutil

import slackctl.cli.commands as commands


def test_no_verb_module_is_named_like_a_builtin_or_a_name_of_its_group():
    for group in pkgutil.iter_modules(commands.__path__):
        if not group.ispkg:
            continue
        package = importlib.import_module(f"{commands.__name__}.{group.name}")
        own_names = set(vars(package))
        for verb in pkgutil.iter_modules(package.__path__):
            assert not hasattr(builtins, verb.name), f"{group.name}/{verb.name}.py shadows the builtin {verb.name}"
            before = vars(package).get(verb.name)
            assert verb.name not in own_names or before is None or type(before).__name__ == "module", \
                f"{group.name}/{verb.name}.py would replace {group.name}.{verb.name}"
