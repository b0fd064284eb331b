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


# Modules of a group that are not verbs: helpers its verbs share.
HELPERS = {"common", "call_options"}


def test_every_verb_module_has_an_options_dataclass_and_run():
    import dataclasses
    import inspect

    checked = []
    for group in pkgutil.iter_modules(commands.__path__):
        if not group.ispkg:
            continue
        package = importlib.import_module(f"{commands.__name__}.{group.name}")
        for verb in pkgutil.iter_modules(package.__path__):
            if verb.name in HELPERS:
                continue
            module = importlib.import_module(f"{package.__name__}.{verb.name}")
            where = f"{group.name}/{verb.name}.py"
            run = getattr(module, "run", None)
            assert inspect.isfunction(run) and run.__module__ == module.__name__, f"{where} defines no run()"
            params = list(inspect.signature(run).parameters)
            assert len(params) == 2 and params[1] == "opts", f"{where}: run(ctx, opts) takes {params}"
            options = [obj for name, obj in vars(module).items() if name.endswith("Options")
                       and inspect.isclass(obj) and dataclasses.is_dataclass(obj)
                       and obj.__module__.startswith(package.__name__)]  # api call's is in call_options.py
            assert options, f"{where} defines no <Verb>Options dataclass"
            checked.append(where)
    # The verbs this layout was last extended to (issue 14): a vanished group would pass silently otherwise.
    for where in ("events/sign.py", "events/verify.py", "events/forward.py", "run/run.py", "emulator/start.py",
                  "emulator/exec_.py", "emulator/open_.py", "emulator/drive.py", "doctor/doctor.py"):
        assert where in checked
