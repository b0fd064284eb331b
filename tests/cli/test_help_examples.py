"""`--help` is enough on its own: every leaf command shows an `Examples:` section whose commands parse with that
very command's options, group help lists whole summaries (never cut with "..."), and the emulator's driver verbs
say where the emulator is found."""

from __future__ import annotations

import re
import shlex

import click
import pytest
import typer

from slackctl.cli import app as app_module
from slackctl.cli.argv import hoist_global_options


def _tree() -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """(groups, leaves) as command paths, walked through the lazy tables."""
    root = typer.main.get_command(app_module.app)
    ctx = click.Context(root, info_name="slackctl")
    groups: list[tuple[str, ...]] = []
    leaves: list[tuple[str, ...]] = []

    def walk(cmd: click.Command, path: tuple[str, ...]) -> None:
        if isinstance(cmd, click.Group):
            groups.append(path)
            for name in cmd.list_commands(ctx):
                sub = cmd.get_command(ctx, name)
                assert sub is not None, f"{' '.join(path)} lists {name} but cannot load it"
                walk(sub, (*path, name))
        else:
            leaves.append(path)

    walk(root, ())
    return groups, leaves


GROUPS, LEAVES = _tree()


def _help(cli, path: tuple[str, ...]) -> str:
    """The help as a pipe gets it (click's test runner: 80 columns)."""
    result = cli(*path, "--help")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _examples(text: str) -> list[str]:
    """The lines of the Examples: section (it is the last section of a leaf's help)."""
    assert "\nExamples:\n" in text.replace("  Examples:", "Examples:"), text
    section = text.split("Examples:", 1)[1]
    return [line.strip() for line in section.splitlines() if line.strip() and not line.strip().startswith("#")]


def _invocations(line: str) -> list[list[str]]:
    """The slackctl command lines in one example line: in pipes, after VAR=value, and inside $(...)."""
    found: list[list[str]] = []
    for inner in re.findall(r"\$\(([^()]*)\)", line):
        found += _invocations(inner)
    line = re.sub(r"\$\([^()]*\)", "X", line)
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    segment: list[str] = []
    for token in [*lexer, ";"]:
        if token and set(token) <= set("|&;<>()"):
            while segment and re.fullmatch(r"[A-Z_]+=.*", segment[0]):
                segment.pop(0)
            if segment and segment[0] == "slackctl":
                found.append(segment[1:])
            segment = []
            if token in ("<", ">"):
                segment = ["<file>"]  # the redirection's target is not a command
        elif segment != ["<file>"]:
            segment.append(token)
        else:
            segment = []
    return found


def _parse(args: list[str]) -> tuple[str, ...]:
    """Parse ARGS as slackctl would (global options anywhere, then each level's own); the leaf's path. A usage
    error (unknown option, missing argument, bad value) raises."""
    root = typer.main.get_command(app_module.app)
    args = hoist_global_options(args)
    ctx = root.make_context("slackctl", list(args), resilient_parsing=False)
    cmd: click.Command = root
    path: list[str] = []
    rest = [*ctx._protected_args, *ctx.args]  # noqa: SLF001 - click keeps the sub-command's words here
    while isinstance(cmd, click.Group):
        name, *rest = rest
        sub = cmd.get_command(ctx, name)
        assert sub is not None, f"no command {name!r}"
        path.append(name)
        ctx = sub.make_context(name, rest, parent=ctx)
        rest = [*getattr(ctx, "_protected_args", []), *ctx.args]
        cmd = sub
    return tuple(path)


def test_the_walk_finds_every_group_and_leaf():
    assert len(LEAVES) >= 53 and ("api", "call") in LEAVES and ("create",) in LEAVES
    assert ("emulator",) in GROUPS and ("auth",) in GROUPS


# `slackctl help --help` is `slackctl --help` (help WORDS is WORDS --help): the root's help, not a leaf's.
@pytest.mark.parametrize("path", [leaf for leaf in LEAVES if leaf != ("help",)], ids=" ".join)
def test_every_leaf_has_examples_that_run_this_command_with_its_real_options(path, cli):
    lines = _examples(_help(cli, path))
    invocations = [args for line in lines for args in _invocations(line)]
    assert invocations, f"slackctl {' '.join(path)} --help: no example runs slackctl"
    parsed = [_parse(args) for args in invocations]
    assert path in parsed, f"no example of slackctl {' '.join(path)} runs it: {parsed}"


def test_an_example_with_an_unknown_option_is_caught():
    """The check above is not a formality: a wrong flag in an example fails it."""
    (args,) = _invocations("printf x | slackctl auth login --no-such-flag > out")
    with pytest.raises(click.UsageError):
        _parse(args)


@pytest.mark.parametrize("path", GROUPS, ids=lambda p: " ".join(p) or "slackctl")
def test_group_help_shows_whole_summaries_at_80_columns(path, cli):
    text = _help(cli, path)
    listing = " ".join(text.split("Commands:", 1)[1].split())
    root = typer.main.get_command(app_module.app)
    ctx = click.Context(root, info_name="slackctl")
    group: click.Command = root
    for name in path:
        group = group.get_command(ctx, name)  # type: ignore[attr-defined]
    for name in group.list_commands(ctx):  # type: ignore[attr-defined]
        summary = " ".join(group.get_command(ctx, name).get_short_help_str(10**6).split())  # type: ignore[attr-defined]
        assert f"{name} {summary}" in listing


DRIVER_VERBS = [
    "post",
    "command",
    "shortcut",
    "click",
    "submit",
    "close-view",
    "open-home",
    "assistant-thread",
    "react",
    "messages",
    "views",
]


@pytest.mark.parametrize("verb", DRIVER_VERBS)
def test_driver_verbs_say_how_the_emulator_is_found(verb, cli):
    text = " ".join(_help(cli, ("emulator", verb)).split())
    assert "--slack-url" in text and "$SLACKCTL_SLACK_URL" in text and "http://127.0.0.1:8787" in text


def test_examples_keep_their_lines_in_a_narrow_terminal(run_slackctl):
    """Click re-wraps help paragraphs; the examples block must come out one command a line, as written."""
    text = run_slackctl("api", "call", "--help", env={"COLUMNS": "60"}).stdout
    assert "\n    slackctl api call users.list --paginate --jq '.members[].name'\n" in text
