"""`slackctl doctor`: run the checks of core/doctor.py and show each as one line (or all as JSON)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import typer

from slackctl.cli.context import Context
from slackctl.cli.verb import Verb

COLORS = {"ok": "32", "warn": "33", "fail": "31"}


@dataclass
class DoctorOptions:
    """The options of `slackctl doctor`."""

    json_out: Annotated[bool, typer.Option("--json", help="Print the checks as one JSON object.")] = False
    upgrade: Annotated[
        bool,
        typer.Option(
            "--upgrade", help="Then upgrade the project's SDK: run its install-update hook (Slack's hooks protocol)."
        ),
    ] = False


COMMAND = Verb(
    DoctorOptions,
    help="""In a project with a .slack/hooks.json, also its hooks and its SDK: the versions from the SDK's doctor
    hook and the updates from its check-update hook.

    One line per check: ok, warn or fail, with the fix. Exit codes: 0 nothing failed, 1 a check failed (or the
    install-update hook of --upgrade failed).""",
    examples="""
        slackctl doctor
        slackctl -p acme doctor --json | jq '.checks[] | select(.status != "ok")'
        slackctl doctor --upgrade     # in a project: upgrade its SDK through its install-update hook
    """,
)


def run(ctx: Context, opts: DoctorOptions) -> int:
    """Exit 1 when any check failed; warnings alone leave it 0."""
    from slackctl.cli.hints import cli_hint
    from slackctl.core.doctor import FAIL, run_checks

    io = ctx.io
    checks = []
    for check in run_checks(ctx):
        if check.error is not None:
            check.fix = cli_hint(check.error) or check.fix
        checks.append(check)
        if opts.json_out:
            continue
        # Lines go to stdout as they come (a slow check shows which one is slow); the fix follows on the line.
        status = f"{check.status:<4}"
        if io.color:
            status = f"\x1b[{COLORS.get(check.status, '0')}m{status}\x1b[0m"
        fix = f" — fix: {check.fix}" if check.fix and check.status != "ok" else ""
        io.out(f"{status} {check.name}: {check.detail}{fix}")
    failed = sum(c.status == FAIL for c in checks)
    if opts.json_out:
        from slackctl.cli.output import print_json

        print_json(io, {"ok": not failed, "checks": [c.to_json() for c in checks]})
    if opts.upgrade:
        return _upgrade(ctx) or (1 if failed else 0)
    return 1 if failed else 0


def _upgrade(ctx: Context) -> int:
    from slackctl.core import sdkcheck
    from slackctl.core.project import find_project

    project = find_project(hint="run slackctl doctor --upgrade in your app's directory")
    ctx.io.err("Upgrading the project's SDK (install-update hook)")
    code = sdkcheck.upgrade(project, lambda line: ctx.io.err("  │ " + line))
    if code:
        ctx.io.err(f"the install-update hook failed (exit {code}); its output is above")
        return 1
    ctx.io.success("the project's SDK is upgraded")
    return 0
