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
            assert verb.name not in own_names or before is None or type(before).__name__ == "module", (
                f"{group.name}/{verb.name}.py would replace {group.name}.{verb.name}"
            )


# Modules of a group that are not verbs: helpers its verbs share.
HELPERS = {"common", "call_options"}


def _packages():
    for group in pkgutil.iter_modules(commands.__path__):
        if group.ispkg:
            yield group.name, importlib.import_module(f"{commands.__name__}.{group.name}")


def _table(package) -> dict:
    return dict(package.VERBS) if hasattr(package, "VERBS") else {package.__name__.rsplit(".", 1)[1]: package.VERB}


def test_every_verb_module_declares_its_command_beside_run():
    """Each row of a group's table names a module holding a Verb (options dataclass, examples) and run(ctx, opts);
    every module of the group is a verb of its table or a shared helper."""
    import dataclasses
    import inspect

    from slackctl.cli.verb import Verb

    checked = []
    for group, package in _packages():
        table = _table(package)
        modules = {verb.name for verb in pkgutil.iter_modules(package.__path__)}
        assert modules - HELPERS == {entry.module for entry in table.values()}, f"{group}: table and modules differ"
        for name, entry in table.items():
            module = importlib.import_module(f"{package.__name__}.{entry.module}")
            where = f"{group}/{entry.module}.py ({name})"
            spec = getattr(module, entry.attr, None)
            assert isinstance(spec, Verb), f"{where} declares no {entry.attr} = Verb(...)"
            assert dataclasses.is_dataclass(spec.options) and spec.options.__module__.startswith(package.__name__)
            assert spec.examples.strip(), f"{where} has no examples"
            run = getattr(module, "run", None)
            assert inspect.isfunction(run) and run.__module__ == module.__name__, f"{where} defines no run()"
            params = list(inspect.signature(run).parameters)
            assert len(params) == 2 and params[1] == "opts", f"{where}: run(ctx, opts) takes {params}"
            checked.append(f"{group}/{entry.module}.py")
    # The verbs this layout was last extended to (issue 14): a vanished group would pass silently otherwise.
    for where in (
        "events/sign.py",
        "events/verify.py",
        "events/forward.py",
        "run/run.py",
        "emulator/start.py",
        "emulator/exec_.py",
        "emulator/open_.py",
        "emulator/drive.py",
        "doctor/doctor.py",
        "api/call.py",
        "auth/login.py",
    ):
        assert where in checked


def test_a_group_init_is_a_table_that_declares_no_options():
    """`<group>/__init__.py` holds SUMMARY and VERBS (or VERB), imports nothing but the Entry type, and declares
    no option: the options live once, in the verb's dataclass."""
    import ast
    from pathlib import Path

    for group, package in _packages():
        source = Path(package.__file__).read_text()
        assert "typer" not in source and "Option(" not in source, f"{group}/__init__.py declares options"
        imports = [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Import | ast.ImportFrom)]
        assert all(isinstance(node, ast.ImportFrom) and node.module == "slackctl.cli.verb" for node in imports), (
            f"{group}/__init__.py imports more than the table's Entry"
        )
        assert isinstance(package.SUMMARY, str) and package.SUMMARY
        assert hasattr(package, "VERBS") != hasattr(package, "VERB"), group


def test_group_help_imports_no_verb_module():
    """`slackctl auth --help` lists summaries from the table: no verb module is imported (nor `slackctl --help`)."""
    import json
    import subprocess
    import sys

    probe = (
        "import json, sys\nfrom slackctl.cli.app import run\nrun(sys.argv[1:])\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('slackctl.cli.commands.'))))"
    )
    for args in (["--help"], ["auth", "--help"], ["emulator", "--help"], ["api", "--help"]):
        out = subprocess.run(
            [sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=60, check=True
        ).stdout
        loaded = json.loads(out.strip().splitlines()[-1])
        verbs = [name for name in loaded if name.count(".") == 4 and name.rsplit(".", 1)[1] not in HELPERS]
        assert verbs == [], f"slackctl {' '.join(args)} imported {verbs}"  # call_options: the fast path's table
