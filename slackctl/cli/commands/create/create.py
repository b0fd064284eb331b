"""`slackctl create`: scaffold a Slack app from a built-in template, a folder or a git repository."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.completion import complete_template
from slackctl.cli.context import Context
from slackctl.cli.verb import Verb
from slackctl.errors import UsageError

if TYPE_CHECKING:
    from slackctl.cli.prompt import Prompter
    from slackctl.core.scaffold.discover import TemplateSource
    from slackctl.core.scaffold.render import TemplateMeta

LIST_HINT = "see the templates with: slackctl create --list"


@dataclass
class CreateOptions:
    """The options of `slackctl create`."""

    name: Annotated[str | None, typer.Argument(help="App name; also the new folder (may be a path).")] = None
    template: Annotated[
        str | None,
        typer.Option(
            "--template",
            "-t",
            help="Built-in name, folder, git URL or owner/repo (GitHub).",
            autocompletion=complete_template,
        ),
    ] = None
    branch: Annotated[str | None, typer.Option("--branch", help="Git branch or tag of a git template.")] = None
    subdir: Annotated[str | None, typer.Option("--subdir", help="Use this folder inside the template.")] = None
    description: Annotated[
        str | None, typer.Option("--description", "-d", help="One-line app description (at most 140 characters).")
    ] = None
    var: Annotated[list[str], typer.Option("--var", help="Template variable NAME=VALUE (repeatable).")] = field(
        default_factory=list
    )
    no_git: Annotated[bool, typer.Option("--no-git", help="Do not run git init.")] = False
    no_install: Annotated[
        bool, typer.Option("--no-install", help="Do not install dependencies (.venv and pip; npm ci / npm install).")
    ] = False
    force: Annotated[bool, typer.Option("--force", "-f", help="Write into an existing non-empty folder.")] = False
    list_templates: Annotated[bool, typer.Option("--list", help="List the built-in templates and exit.")] = False
    trust: Annotated[
        bool, typer.Option("--trust", help="Use a template from outside the trusted list without asking.")
    ] = False
    json_out: Annotated[bool, typer.Option("--json", help="Print the path, template and files written as JSON.")] = (
        False
    )
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Create the project inside another app project without asking.")
    ] = False

    @property
    def git(self) -> bool:
        return not self.no_git

    @property
    def install(self) -> bool:
        return not self.no_install


COMMAND = Verb(
    CreateOptions,
    examples="""
        slackctl create                              # asks for the name and template at a terminal
        slackctl create my-app --template bolt-python
        slackctl create my-app --template bolt-ts    # TypeScript; npm ci installs @slack/bolt
        slackctl create my-app -t owner/repo --branch main --subdir app --trust
        slackctl create my-app -t ./my-template --var COMPANY=Acme --no-install --json
        slackctl create --list
    """,
)


def run(c: Context, opts: CreateOptions) -> int:
    """Exit code 130 when interrupted (the rollback has run by then)."""
    from slackctl.core.scaffold.discover import list_builtin

    if opts.list_templates:
        if opts.json_out:
            from slackctl.cli.output import print_json

            print_json(c.io, [{"name": i.name, "description": i.description} for i in list_builtin()])
            return 0
        for info in list_builtin():
            c.io.out(f"{info.name}\t{info.description}")
        return 0
    try:
        _create(
            c,
            opts.name,
            opts.template,
            opts.branch,
            opts.subdir,
            opts.description,
            opts.var,
            opts.git,
            opts.install,
            opts.force,
            opts.trust,
            opts.json_out,
            opts.yes,
        )
    except KeyboardInterrupt:
        # Ctrl-C at a question or mid-install, or SIGTERM: the rollback has already run.
        c.io.err("\ninterrupted: nothing was created")
        return 130
    return 0


def _create(
    c: Context,
    name: str | None,
    template: str | None,
    branch: str | None,
    subdir: str | None,
    description: str | None,
    var: list[str],
    git: bool,
    install: bool,
    force: bool,
    trust: bool,
    json_out: bool = False,
    yes: bool = False,
) -> None:
    from slackctl.core.scaffold.build import CreateRequest, check_target, create_project
    from slackctl.core.scaffold.discover import resolve_template
    from slackctl.core.scaffold.render import check_app_name, check_description

    if (branch or subdir) and not template:
        raise UsageError("--branch and --subdir need --template", "e.g. --template https://host/repo.git --branch main")
    overrides = _parse_vars(var)
    prompting = c.io.can_prompt
    asked = False
    if template is None:
        if not prompting:
            raise UsageError("no template given", "pass --template NAME; " + LIST_HINT)
        template, asked = _ask_template(c.prompter), True
    if name is None:
        if not prompting:
            raise UsageError(
                "no app name given", "pass NAME, e.g. slackctl create my-app --template bolt-python; " + LIST_HINT
            )
        name, asked = _ask_name(c.prompter, force), True
    # abspath, not resolve(): `..` is taken lexically and a symlinked target is seen (and refused) as a link.
    target = Path(os.path.abspath(os.path.expanduser(name)))
    app_name = check_app_name(target.name)
    if description is not None:
        description = check_description(description)
    check_target(target, force)
    _check_nesting(c, target, yes)
    source = resolve_template(template, branch=branch, subdir=subdir)
    _check_trust(c, source, trust)
    if asked and description is None:
        description = _ask_description(c.prompter, app_name)
    request = CreateRequest(
        target=target,
        app_name=app_name,
        source=source,
        description=description,
        variables=overrides,
        git=git,
        install=install,
        force=force,
    )
    prompter = c.prompter
    ask = (lambda meta, variables, given: _ask_questions(prompter, meta, variables, given)) if prompting else None
    result = create_project(request, ask=ask, progress=_progress_factory(c))
    if request.git and not result.git and not (target / ".git").exists():
        c.io.warn("git is not installed: the project was not put under version control")
    if json_out:
        from slackctl.cli.output import print_json

        # {"path", "name", "template", "files", "project_id", "git", "installed"} (README: "JSON output")
        print_json(
            c.io,
            {
                "path": str(result.path),
                "name": app_name,
                "template": source.label,
                "files": result.files,
                "project_id": result.project_id,
                "git": result.git,
                "installed": result.installed,
            },
        )
    else:
        c.io.out(str(result.path))
    _next_steps(c, result.path, app_name, source.label, result.installed, result.plain)


def _parse_vars(items: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--var needs NAME=VALUE (got {item!r})", "e.g. --var public_url=https://example.com")
        values[key.strip()] = value
    return values


def _trusted_sources(c: Context) -> list[str]:
    section = c.config.extra.get("create", {})
    entries = section.get("trusted_templates", []) if isinstance(section, dict) else []
    return [str(e) for e in entries] if isinstance(entries, list) else []


def _check_trust(c: Context, source: TemplateSource, trust: bool) -> None:
    """Templates run code on your machine once their requirements are installed: outside the trusted list
    (built-ins, plus config's [create] trusted_templates) a person confirms, or a script passes --trust."""
    from slackctl.core.scaffold.discover import is_trusted

    if trust or is_trusted(source, _trusted_sources(c)):
        return
    hint = f"pass --trust to use it, or add it to trusted_templates under [create] in {c.config.path}"
    if not c.io.can_prompt:
        raise UsageError(f"template {source.label} is not from a trusted source", hint)
    ok = c.prompter.yes_no(
        f"{source.label} is not a trusted template source; its files and requirements "
        "can run code on this machine. Use it?",
        flag="--trust",
    )
    if not ok:
        raise UsageError(f"template {source.label} was not trusted; nothing was created", hint)


def _check_nesting(c: Context, target: Path, yes: bool) -> None:
    """A project inside another app project is usually a mistake (a `create` run from the wrong folder): its
    manifest and .slack/ would be found by the outer one's commands too. A person confirms, a script passes
    --yes."""
    from slackctl.core.project import find_project_root

    outer = find_project_root(target.parent)
    if outer is None or yes:
        return
    hint = "create it outside that project, or pass --yes to create it inside"
    if not c.io.can_prompt:
        raise UsageError(f"{target} would be inside the app project {outer}", hint)
    if not c.prompter.yes_no(
        f"{target.parent} is inside the app project {outer}. Create {target.name} inside it?", flag="--yes"
    ):
        raise UsageError(f"not creating {target.name} inside the app project {outer}; nothing was created", hint)


def _ask_template(prompter: Prompter) -> str:
    import questionary

    from slackctl.core.scaffold.discover import list_builtin

    templates = list_builtin()
    if not templates:
        raise UsageError("no built-in templates were found (broken installation?)", "pass --template FOLDER_OR_URL")
    width = max(len(t.name) for t in templates)
    choices = [questionary.Choice(title=f"{t.name.ljust(width)}  {t.description}", value=t.name) for t in templates]
    return prompter.select("Template", choices, what="a template", instead="--template NAME; " + LIST_HINT)


def _ask_name(prompter: Prompter, force: bool) -> str:
    from slackctl.core.scaffold.build import check_target
    from slackctl.core.scaffold.render import check_app_name

    def valid(text: str) -> bool | str:
        # Checked while typing, so a taken folder is caught before the remaining questions.
        try:
            target = Path(os.path.abspath(os.path.expanduser(text.strip() or ".")))
            check_app_name(target.name)
            check_target(target, force)
        except UsageError as exc:
            return exc.message
        return True

    return prompter.text("App name", default="my-slack-app", validate=valid, what="an app name", instead="NAME")


def _ask_description(prompter: Prompter, app_name: str) -> str | None:
    from slackctl.core.scaffold.render import check_description

    def valid(text: str) -> bool | str:
        if not text.strip():
            return True  # empty: the template's default description
        try:
            check_description(text)
        except UsageError as exc:
            return exc.message
        return True

    answer = prompter.text(
        "Description (empty for the template's)", validate=valid, what="a description", instead="--description TEXT"
    )
    return answer or None


def _ask_questions(
    prompter: Prompter, meta: TemplateMeta, variables: dict[str, str], given: set[str]
) -> dict[str, str]:
    answers: dict[str, str] = {}
    for q in meta.questions:
        if q.variable in given:
            continue
        default = variables.get(q.variable, "")
        if q.type == "select":
            answers[q.variable] = prompter.select(
                q.prompt,
                q.choices,
                what=q.prompt,
                instead=f"--var {q.variable}=VALUE",
                default=default if default in q.choices else None,
            )
        elif q.type == "confirm":
            yes = prompter.yes_no(
                q.prompt, default=default.lower() in ("1", "true", "yes"), flag=f"--var {q.variable}=true"
            )
            answers[q.variable] = "true" if yes else "false"
        elif q.type == "url":
            from slackctl.core.scaffold.render import url_problem

            answers[q.variable] = prompter.text(
                q.prompt,
                default=default,
                what=q.prompt,
                instead=f"--var {q.variable}=https://…",
                validate=lambda text: url_problem(text) or True,
            )
        else:
            answers[q.variable] = prompter.text(
                q.prompt, default=default, what=q.prompt, instead=f"--var {q.variable}=VALUE"
            )
    return answers


def _progress_factory(c: Context):  # noqa: ANN202 - returns a ProgressFactory
    @contextlib.contextmanager
    def progress(text: str) -> Iterator[None]:
        if not c.io.stderr_is_tty:
            c.io.err(f"{text}…")
            yield
            return
        from rich.console import Console

        console = Console(file=c.io.stderr, no_color=not c.io.err_color)
        with console.status(text, spinner="dots"):
            yield

    return progress


def _next_steps(c: Context, path: Path, app_name: str, label: str, installed: bool, plain: bool) -> None:
    c.io.success(f"Created {app_name} from {label} in {path}")
    try:
        shown = path.relative_to(Path.cwd())
    except ValueError:
        shown = path
    c.io.err("\nNext steps, offline first:")
    c.io.err(f"  cd {shown}")
    if not installed and (path / "requirements.txt").is_file():
        c.io.err("  python -m venv .venv && .venv/bin/pip install -r requirements.txt")
    if not installed and (path / "package.json").is_file():
        c.io.err("  npm install")
    c.io.err("  slackctl run --emulator     # the app against a local Slack; saving a file restarts it")
    if (path / "tests").is_dir() and (path / "requirements.txt").is_file():
        c.io.err("  .venv/bin/python -m pytest  # its tests, against the same local Slack")
    elif (path / "package.json").is_file():
        c.io.err("  npm test                    # its tests, against the same local Slack")
    c.io.err("Then on Slack:")
    c.io.err("  slackctl deploy             # create the app on Slack from its manifest")
    c.io.err("  slackctl auth login         # install it to a workspace and store its tokens")
    c.io.err("  slackctl run                # run it with those tokens")
    if plain:
        c.io.err(c.io.dim("  (the template had no slackctl-template.toml: copied as it is, then renamed)"))
