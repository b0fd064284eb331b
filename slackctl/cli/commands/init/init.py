"""`slackctl init`: make an existing folder a project both slackctl and Slack's CLI accept — `.slack/config.json`
(a project id, the local manifest), `.slack/hooks.json` for its runtime (unless it has one) and `.slack/.gitignore`;
files already there are kept (config.json keeps its project id)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.verb import Verb

if TYPE_CHECKING:
    from slackctl.cli.context import Context


@dataclass
class InitOptions:
    """The options of `slackctl init`."""

    path: Annotated[str, typer.Argument(help="The project's folder (default: the working directory).")] = "."
    json_out: Annotated[bool, typer.Option("--json", help="Print the runtime and the files written as JSON.")] = False


COMMAND = Verb(
    InitOptions,
    help="""The runtime comes from the project's files: package.json (Node: JavaScript or TypeScript), deno.json(c)
    or manifest.ts (Deno), requirements.txt, pyproject.toml or app.py (Python). hooks.json then names the SDK's
    get-hooks when the project depends on Slack's hooks package, else a start hook for its entry point. Slack's CLI
    calls this `slack init`.""",
    examples="""
        slackctl init
        slackctl init ../my-bolt-app --json
    """,
)


def run(ctx: Context, opts: InitOptions) -> None:
    from slackctl.core.scaffold import project as sp
    from slackctl.errors import UsageError

    root = Path(opts.path).expanduser().resolve()
    if not root.is_dir():
        raise UsageError(f"{root} is not a folder", "pass the project's folder, or cd into it")
    if root == Path.home().resolve():
        raise UsageError(
            "refusing to make your home folder a project (~/.slack is Slack CLI's own config)",
            "cd into the app's folder",
        )
    before = {name for name in ("config.json", "hooks.json", ".gitignore") if (root / ".slack" / name).exists()}
    project_id = sp.write_slack_files(root, keep_project_id=True)
    written = sorted(f".slack/{n}" for n in ("config.json", "hooks.json", ".gitignore") if n not in before)
    runtime = sp.detect_runtime(root) or "unknown"
    if opts.json_out:
        from slackctl.cli.output import print_json

        print_json(ctx.io, {"path": str(root), "runtime": runtime, "project_id": project_id, "written": written})
    for name in written:
        ctx.io.err(f"  wrote {name}")
    ctx.io.success(f"{root} is a project (runtime: {runtime}); next: slackctl deploy, or slackctl run --emulator")
    if not any((root / n).is_file() for n in ("manifest.json", "manifest.yaml", "manifest.yml")) and runtime not in (
        "deno",
    ):
        ctx.io.warn("no manifest.json here: add one (or a get-manifest hook) before deploying")
