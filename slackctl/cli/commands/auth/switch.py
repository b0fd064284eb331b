"""`slackctl auth switch`: make a profile the active one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import typer

from slackctl.cli.completion import complete_profile
from slackctl.cli.context import Context
from slackctl.cli.verb import Verb
from slackctl.config import edit_config
from slackctl.errors import UsageError


@dataclass
class SwitchOptions:
    """The options of `slackctl auth switch`."""

    name: Annotated[str, typer.Argument(help="Profile to make active.", autocompletion=complete_profile)]


COMMAND = Verb(
    SwitchOptions,
    examples="""
        slackctl auth switch acme
        # or for one command only, without switching
        slackctl -p acme auth status
    """,
)


def run(ctx: Context, opts: SwitchOptions) -> None:
    with edit_config(ctx.config.path) as config:
        if opts.name not in config.profiles:
            known = ", ".join(sorted(config.profiles)) or "none"
            raise UsageError(
                f"no profile named '{opts.name}' (profiles: {known})", "list them with: slackctl auth list"
            )
        config.active = opts.name
    ctx.io.success(f"active profile: {opts.name}")
