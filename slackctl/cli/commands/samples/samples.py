"""`slackctl samples`: Slack's sample apps, from a list kept in slackctl (no network), each created with
`slackctl create NAME --template slack-samples/REPO` (a git clone from GitHub)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.verb import Verb

if TYPE_CHECKING:
    from slackctl.cli.context import Context

# (repository in github.com/slack-samples, language, what it shows) — Slack's templates as `slack samples` lists.
SAMPLES = (
    ("bolt-python-starter-template", "python", "Bolt for Python starter: a message, a command, a shortcut"),
    ("bolt-python-assistant-template", "python", "An AI assistant in Slack's assistant container"),
    ("bolt-python-custom-function-template", "python", "A custom workflow step for Workflow Builder"),
    ("bolt-js-starter-template", "javascript", "Bolt for JavaScript starter: a message, a command, a shortcut"),
    ("bolt-ts-starter-template", "typescript", "Bolt for JavaScript in TypeScript, starter"),
    ("bolt-js-assistant-template", "javascript", "An AI assistant in Slack's assistant container"),
    ("bolt-js-custom-function-template", "javascript", "A custom workflow step for Workflow Builder"),
    ("deno-starter-template", "deno", "Run-on-Slack starter: a workflow, a function, a trigger"),
    ("deno-hello-world", "deno", "Run-on-Slack: a workflow that greets someone"),
)


@dataclass
class SamplesOptions:
    """The options of `slackctl samples`."""

    language: Annotated[
        str | None, typer.Option("--language", "-l", help="Only this language: python, javascript, typescript or deno.")
    ] = None
    json_out: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False


COMMAND = Verb(
    SamplesOptions,
    help="""Create a project from one with `slackctl create my-app --template slack-samples/REPO` (slackctl runs
    Python, JavaScript and TypeScript samples; for Deno ones it reads the manifest). Slack's CLI calls this
    `slack samples`.""",
    examples="""
        slackctl samples
        slackctl samples --language python --json
        slackctl create my-app --template slack-samples/bolt-js-starter-template
    """,
)


def run(ctx: Context, opts: SamplesOptions) -> None:
    from slackctl.errors import UsageError

    languages = sorted({lang for _, lang, _ in SAMPLES})
    if opts.language is not None and opts.language not in languages:
        raise UsageError(f"no samples in {opts.language!r}", f"pick one of: {', '.join(languages)}")
    rows = [
        {"name": name, "language": lang, "description": text, "template": f"slack-samples/{name}"}
        for name, lang, text in SAMPLES
        if opts.language in (None, lang)
    ]
    if opts.json_out:
        from slackctl.cli.output import print_json

        print_json(ctx.io, rows)
        return
    from slackctl.cli.output import print_table

    print_table(
        ctx.io, ["template", "language", "what"], [[r["template"], r["language"], r["description"]] for r in rows]
    )
    ctx.io.err("create one: slackctl create my-app --template slack-samples/NAME")
