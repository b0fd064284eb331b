"""`slackctl function`: the app's custom functions (access), named as Slack's CLI names it. The verb is
cli/commands/function/access.py."""

from __future__ import annotations

import typer

app = typer.Typer(help="Manage who may use your app's custom functions.", no_args_is_help=True)


def register(root: typer.Typer) -> None:
    from slackctl.cli.commands.function import access
    from slackctl.cli.dataclass_command import add_verb

    add_verb(app, "access", access.__name__, "AccessOptions", access.SUMMARY, access.EXAMPLES)
    root.add_typer(app, name="function")
