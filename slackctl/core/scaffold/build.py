"""Create a project from a template, start to finish: fetch, render, stage, .slack files, git, place, install."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from slackctl.core.scaffold import project
from slackctl.core.scaffold.discover import TemplateSource
from slackctl.core.scaffold.fetch import fetch
from slackctl.core.scaffold.render import TemplateMeta, build_variables, load_meta, rename_plain_project
from slackctl.core.scaffold.write import Staging, check_links_inside, copy_template, is_empty_dir, sigterm_as_interrupt
from slackctl.errors import UsageError

COMMIT_MESSAGE = "Initial commit from slackctl create"
# ask(meta, variables, given) -> answers: lets the command put the template's questions to a person.
AskQuestions = Callable[[TemplateMeta, dict[str, str], set[str]], dict[str, str]]


@dataclass
class CreateRequest:
    target: Path
    app_name: str
    source: TemplateSource
    description: str | None = None
    variables: dict[str, str] = field(default_factory=dict)  # --var NAME=VALUE
    git: bool = True
    install: bool = True
    force: bool = False


@dataclass
class CreateResult:
    path: Path
    files: list[str]
    project_id: str
    git: bool
    installed: bool
    plain: bool  # the template had no metadata file: copied as it is, then renamed


def check_target(target: Path, force: bool) -> None:
    """Fail before any question or download when the target cannot be used."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise UsageError(f"{target} exists and is not a folder", "pick another name")
    if target.is_dir() and not is_empty_dir(target) and not force:
        raise UsageError(
            f"{target} already exists and is not empty",
            "pick another name, or pass --force to add the template's files to it",
        )


def create_project(
    request: CreateRequest, *, ask: AskQuestions | None = None, progress: project.ProgressFactory | None = None
) -> CreateResult:
    check_target(request.target, request.force)
    with sigterm_as_interrupt(), tempfile.TemporaryDirectory(prefix="slackctl-template-") as work:
        root = fetch(request.source, Path(work))
        meta = load_meta(root)
        unknown = sorted(set(request.variables) - set(meta.variables) - {"description"})
        if unknown:
            known = ", ".join(sorted(meta.variables)) or "none"
            raise UsageError(
                f"the template has no variable {unknown[0]!r} (its variables: {known})", "check the --var names"
            )
        variables = build_variables(meta, request.app_name, request.description, request.variables)
        if ask is not None and meta.questions:
            answers = ask(meta, dict(variables), set(request.variables))
            variables = build_variables(meta, request.app_name, request.description, {**answers, **request.variables})
        do_git = request.git and project.git_available() and not (request.target / ".git").exists()
        with Staging(request.target, force=request.force) as staging:
            assert staging.dir is not None
            files = copy_template(root, staging.dir, variables if meta.present else None, meta.exclude)
            if not files:
                raise UsageError(f"the template {request.source.label} has no files", "check --template/--subdir")
            if not meta.present:
                rename_plain_project(staging.dir, variables, description_given=request.description is not None)
            links = [(rel, rel) for rel in files if (staging.dir / rel).is_symlink()]
            project_id = project.write_slack_files(staging.dir)
            if do_git:
                project.git_init(staging.dir, COMMIT_MESSAGE)
            staging.place()
            # With --force the links now sit among the folder's own files (and links): checked there again.
            check_links_inside(request.target, links)
            installed = False
            if request.install:
                installed = project.install(request.target, progress) if progress else project.install(request.target)
    return CreateResult(request.target.resolve(), sorted(files), project_id, do_git, installed, not meta.present)
