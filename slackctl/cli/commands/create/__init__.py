"""`slackctl create`: the Typer declaration; the command is cli/commands/create/create.py."""

from __future__ import annotations

from typing import Annotated

import typer

from slackctl.cli.completion import complete_template
from slackctl.cli.context import get_context


def register(root: typer.Typer) -> None:
    root.command("create")(create_cmd)


def create_cmd(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="App name; also the new folder (may be a path).")] = None,
    template: Annotated[str | None, typer.Option("--template", "-t", help="Built-in name, folder, git URL or "
                                                                          "owner/repo (GitHub).",
                                                           autocompletion=complete_template)] = None,
    branch: Annotated[str | None, typer.Option("--branch", help="Git branch or tag of a git template.")] = None,
    subdir: Annotated[str | None, typer.Option("--subdir", help="Use this folder inside the template.")] = None,
    description: Annotated[str | None, typer.Option("--description", "-d", help="One-line app description "
                                                                                "(at most 140 characters).")] = None,
    var: Annotated[list[str] | None, typer.Option("--var", help="Template variable NAME=VALUE (repeatable).")] = None,
    no_git: Annotated[bool, typer.Option("--no-git", help="Do not run git init.")] = False,
    no_install: Annotated[bool, typer.Option("--no-install", help="Do not install dependencies (.venv and "
                                                                  "pip; npm ci / npm install).")] = False,
    force: Annotated[bool, typer.Option("--force", "-f", help="Write into an existing non-empty folder.")] = False,
    list_templates: Annotated[bool, typer.Option("--list", help="List the built-in templates and exit.")] = False,
    trust: Annotated[bool, typer.Option("--trust", help="Use a template from outside the trusted list without "
                                                        "asking.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the path, template and files written as JSON.")]
    = False,
) -> None:
    """Create a new Slack app project from a template (asks at a terminal; flags only in scripts)."""
    from slackctl.cli.commands.create.create import CreateOptions, run

    raise typer.Exit(run(get_context(ctx), CreateOptions(
        name=name, template=template, branch=branch, subdir=subdir, description=description, var=var or [],
        git=not no_git, install=not no_install, force=force, list_templates=list_templates, trust=trust,
        json_out=json_out,
    )))
