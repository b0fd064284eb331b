"""Command-line facts shared by the Typer app and the fast `api call` path (stdlib only: both start here)."""

from __future__ import annotations

# Global options may be written anywhere (`slackctl auth status -p acme`), like gh's; they are moved in front of
# the sub-command so the root sees them. Sub-commands must not reuse these names.
GLOBAL_WITH_VALUE = ("--profile", "-p", "--slack-url", "--ca-bundle")
GLOBAL_FLAGS = ("--verbose", "-v", "--no-color")


def hoist_global_options(args: list[str]) -> list[str]:
    """Move global options (anywhere before `--`) to the front, keeping their values."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        name = arg.split("=", 1)[0] if arg.startswith("--") else arg
        if name in GLOBAL_FLAGS:
            front.append(arg)
        elif name in GLOBAL_WITH_VALUE:
            front.append(arg)
            if "=" not in arg and i + 1 < len(args):
                front.append(args[i + 1])
                i += 1
        else:
            rest.append(arg)
        i += 1
    return front + rest
