"""`slackctl auth switch`: make a profile the active one."""

from __future__ import annotations

from dataclasses import dataclass

from slackctl.cli.context import Context
from slackctl.config import edit_config
from slackctl.errors import UsageError


@dataclass
class SwitchOptions:
    """The options of `slackctl auth switch`."""

    name: str


def run(ctx: Context, opts: SwitchOptions) -> None:
    with edit_config(ctx.config.path) as config:
        if opts.name not in config.profiles:
            known = ", ".join(sorted(config.profiles)) or "none"
            raise UsageError(f"no profile named '{opts.name}' (profiles: {known})",
                             "list them with: slackctl auth list")
        config.active = opts.name
    ctx.io.success(f"active profile: {opts.name}")
