"""`slackctl doctor`: the Typer declaration; the command is cli/commands/doctor/doctor.py."""

from __future__ import annotations

from typing import Annotated

import typer

from slackctl.cli.context import get_context


def register(root: typer.Typer) -> None:
    root.command("doctor")(doctor_cmd)


def doctor_cmd(
    ctx: typer.Context,
    json_out: Annotated[bool, typer.Option("--json", help="Print the checks as one JSON object.")] = False,
    upgrade: Annotated[bool, typer.Option("--upgrade", help="Then upgrade the project's SDK: run its "
                                                            "install-update hook (Slack's hooks protocol).")]
    = False,
) -> None:
    """Check what slackctl depends on: Python and slackctl versions, the keyring, the config dir, the Slack host
    (naming the proxy and CAs in use), the clock against Slack's, and each profile's tokens and scopes.

    In a project with a .slack/hooks.json, also its hooks and its SDK: the versions from the SDK's doctor hook
    and the updates from its check-update hook.

    One line per check: ok, warn or fail, with the fix. Exit codes: 0 nothing failed, 1 a check failed (or the
    install-update hook failed).

    Examples:
      slackctl doctor
      slackctl doctor --json
      slackctl doctor --upgrade     # in a project: upgrade its SDK through its install-update hook
    """
    from slackctl.cli.commands.doctor.doctor import DoctorOptions, run

    raise typer.Exit(run(get_context(ctx), DoctorOptions(json_out=json_out, upgrade=upgrade)))
