"""`slackctl trigger`: workflow triggers (create, update, delete, info, list, access), named as Slack's CLI names
them. Each verb (options, summary, examples, run) is cli/commands/trigger/<module>.py."""

from __future__ import annotations

import typer

app = typer.Typer(help="Create and manage the triggers that start your app's workflows.", no_args_is_help=True)
VERBS = {"create": "create", "update": "update", "delete": "delete", "info": "info", "list": "list_",
         "access": "access"}


def register(root: typer.Typer) -> None:
    import dataclasses
    import importlib

    from slackctl.cli.dataclass_command import add_verb

    for name, module in VERBS.items():
        verb = importlib.import_module(f"{__name__}.{module}")
        options = next(n for n, obj in vars(verb).items() if n.endswith("Options") and dataclasses.is_dataclass(obj))
        add_verb(app, name, verb.__name__, options, verb.SUMMARY, verb.EXAMPLES)
    root.add_typer(app, name="trigger")
