"""`slackctl trigger create`: a trigger from a definition file (JSON, or TypeScript through the project's
get-trigger hook), or a link trigger for --workflow; with neither, at a terminal, one of the project's trigger
files (hooks.json config.trigger-paths)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from slackctl.cli.commands.trigger.common import DEFAULT_ENV, TOKEN_HELP, AppOption, EnvOption, JsonOption
from slackctl.cli.verb import Verb

if TYPE_CHECKING:
    from slackctl.cli.context import Context

EXAMPLES = """
    slackctl trigger create --trigger-def triggers/greet.json
    slackctl trigger create --workflow '#/workflows/greet' --title 'Greet someone' --interactivity
    SLACK_BOT_TOKEN=xoxb-... slackctl trigger create --trigger-def triggers/hook.json --json
"""


@dataclass
class CreateOptions:
    """The options of `slackctl trigger create` (Slack CLI's flags)."""

    trigger_def: Annotated[
        Path | None,
        typer.Option(
            "--trigger-def",
            help="A trigger definition file: JSON, or TypeScript read through the project's get-trigger hook.",
        ),
    ] = None
    workflow: Annotated[
        str | None,
        typer.Option("--workflow", help="A workflow reference, #/workflows/ID, for a link trigger made from flags."),
    ] = None
    title: Annotated[str | None, typer.Option("--title", help="The link trigger's name.")] = None
    description: Annotated[str | None, typer.Option("--description", help="The link trigger's description.")] = None
    interactivity: Annotated[
        bool, typer.Option("--interactivity", help="Pass {{data.interactivity}} to the workflow's interactivity input.")
    ] = False
    interactivity_name: Annotated[str, typer.Option("--interactivity-name", help="The name of that input.")] = (
        "interactivity"
    )
    app: AppOption = None
    env: EnvOption = DEFAULT_ENV
    json_out: JsonOption = False


COMMAND = Verb(CreateOptions, examples=EXAMPLES, help=TOKEN_HELP)


def definition(
    ctx: Context,
    trigger_def: Path | None,
    workflow: str | None,
    title: str | None,
    description: str | None,
    interactivity: bool,
    interactivity_name: str,
) -> dict[str, Any]:
    """The trigger definition the flags describe (create and update read them alike)."""
    from slackctl.core import triggers
    from slackctl.core.project import find_project, find_project_root
    from slackctl.errors import UsageError

    project = find_project() if find_project_root() is not None else None
    if trigger_def is not None and workflow is not None:
        raise UsageError("--trigger-def and --workflow both describe the trigger", "pass one of them")
    if trigger_def is not None:
        return triggers.load_definition(trigger_def, project)
    if workflow is not None:
        return triggers.definition_from_flags(workflow, title, description, interactivity, interactivity_name)
    files = triggers.trigger_files(project) if project else []
    instead = "pass --trigger-def FILE or --workflow '#/workflows/ID'"
    if not files or not ctx.prompter.can_prompt:
        raise UsageError(
            "which trigger? no --trigger-def or --workflow"
            + ("" if files else " (and the project lists no trigger files in .slack/hooks.json config.trigger-paths)"),
            instead,
        )
    assert project is not None
    choice = ctx.prompter.select(
        "Which trigger definition?",
        [str(f.relative_to(project.root)) for f in files],
        what="a trigger definition",
        instead=instead,
    )
    return triggers.load_definition(project.root / choice, project)


def show(ctx: Context, trigger: dict[str, Any], json_out: bool, done: str) -> None:
    from slackctl.cli.commands.trigger.common import print_json
    from slackctl.core.triggers import summary

    if json_out:
        print_json(ctx, trigger)
        return
    ctx.io.success(f"{done} trigger {trigger['id']}")
    ctx.io.out(summary(trigger))


def run(ctx: Context, opts: CreateOptions) -> int:
    from slackctl.cli.commands.trigger import common
    from slackctl.core import triggers

    spec = definition(
        ctx, opts.trigger_def, opts.workflow, opts.title, opts.description, opts.interactivity, opts.interactivity_name
    )
    with common.client(ctx) as slack:
        app_id = common.app_id(ctx, slack, opts.app, opts.env, required=False)
        show(ctx, triggers.create(slack, spec, app_id), opts.json_out, "created")
    return 0
