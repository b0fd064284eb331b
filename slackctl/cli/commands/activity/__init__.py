"""`slackctl activity`: a top-level command; the whole verb is cli/commands/activity/activity.py."""

from __future__ import annotations

import typer


def register(root: typer.Typer) -> None:
    from slackctl.cli.commands.activity import activity
    from slackctl.cli.dataclass_command import add_verb

    add_verb(root, "activity", activity.__name__, "ActivityOptions", activity.SUMMARY, activity.EXAMPLES)
