"""Root Typer app: global options, command-group registration, and main(), which maps errors to exit codes."""

from __future__ import annotations

import inspect
import sys
from typing import Annotated, Any

import typer

from slackctl import __version__
from slackctl.cli.argv import GLOBAL_OPTIONS, GLOBAL_WITH_VALUE, hoist_global_options
from slackctl.cli.context import Context, Options
from slackctl.cli.io import IO
from slackctl.cli.lazy import LazyRoot
from slackctl.cli.optiontable import typer_parameters, with_signature
from slackctl.cli.runner import format_error, guarded
from slackctl.errors import ExitCode

# Command name -> package in slackctl.cli.commands, loaded lazily (cli/lazy.py): `slackctl --help` reads each
# package's SUMMARY, and only the verb being run (or whose help is asked for) is imported.
COMMANDS = {
    "auth": "auth",
    "api": "api",
    "tokens": "tokens",
    "create": "create",
    "init": "init",
    "samples": "samples",
    "deploy": "deploy",
    "manifest": "manifest",
    "datastore": "datastore",
    "app": "app",
    "external-auth": "external_auth",
    "emulator": "emulator",
    "events": "events",
    "run": "run",
    "webhook": "webhook",
    "doctor": "doctor",
    "trigger": "trigger",
    "function": "function",
    "activity": "activity",
}


def _keep_argument_help() -> None:
    """Typer (0.24-0.25) sets an argument's help before calling click's Argument.__init__, which since click 8.3
    takes `help` itself and resets it to None: every METHOD/NAME/KIND would show no description. Re-apply it,
    and keep only Typer's "Arguments" section (click 8.5 would add its own "Positional arguments" copy)."""
    from typer.core import TyperArgument, TyperCommand

    original = TyperArgument.__init__
    if getattr(original, "_slackctl_keeps_help", False):
        return

    def init(self: TyperArgument, *args: Any, help: str | None = None, **kwargs: Any) -> None:  # noqa: A002
        original(self, *args, help=help, **kwargs)
        self.help = help

    init._slackctl_keeps_help = True  # type: ignore[attr-defined]
    TyperArgument.__init__ = init  # type: ignore[method-assign]
    TyperCommand.format_arguments = lambda self, ctx, formatter: None  # type: ignore[method-assign]


_keep_argument_help()


class Root(LazyRoot):
    commands_table = COMMANDS


app = typer.Typer(
    name="slackctl",
    cls=Root,
    help="The Slack developer CLI: log in with OAuth, call any Web API method, scaffold and deploy apps.",
    no_args_is_help=True,
    rich_markup_mode=None,  # plain click help: keeps rich off the start-up path
    pretty_exceptions_enable=False,
    add_completion=True,
    # Help as wide as the terminal (click's default stops at 80 columns and cuts command summaries to ~45).
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 160},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"slackctl {__version__}")
        raise typer.Exit()


# The commands that make the profile --profile names when it does not exist yet.
CREATES_PROFILE = (("auth", "login"), ("tokens", "add"))


def root(ctx: typer.Context, version: bool = False, **options: Any) -> None:
    existing = ctx.obj if isinstance(ctx.obj, Context) else None
    session = Context.start(Options(**options), existing.io if existing else IO())
    session.allow_new_profile = existing.allow_new_profile if existing else False
    ctx.obj = session
    if session.profile_option and not ctx.resilient_parsing:
        _ = session.config  # an unknown --profile is exit 2 on every command, not only those that read it


# The root's options are generated from GLOBAL_OPTIONS, the table the fast path and argv hoisting read too.
_positional = inspect.Parameter.POSITIONAL_OR_KEYWORD
app.callback()(
    with_signature(
        root,
        [
            inspect.Parameter("ctx", _positional, annotation=typer.Context),
            *typer_parameters(GLOBAL_OPTIONS, typer),
            inspect.Parameter(
                "version",
                inspect.Parameter.KEYWORD_ONLY,
                default=False,
                annotation=Annotated[
                    bool,
                    typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
                ],
            ),
        ],
        "The Slack developer CLI.",
    )
)


@app.command("help")
def help_cmd(
    ctx: typer.Context,
    command: Annotated[
        list[str] | None, typer.Argument(help="The command, e.g. `auth login`.", show_default=False)
    ] = None,
) -> None:
    """Show the help of slackctl or of COMMAND: slackctl help api call."""
    # run() turns `help WORDS` into `WORDS --help` before click sees it; this body is the fallback.
    typer.echo((ctx.parent or ctx).get_help())


def _help_as_option(args: list[str]) -> list[str]:
    """`slackctl help auth login` is `slackctl auth login --help` (global options stay in front)."""
    i = 0
    while i < len(args) and args[i].startswith("-"):
        i += 2 if args[i] in GLOBAL_WITH_VALUE else 1
    if i < len(args) and args[i] == "help":
        return [*args[:i], *args[i + 1 :], "--help"]
    return args


def _command_words(args: list[str]) -> tuple[str, ...]:
    """The words naming the command (`auth`, `login`), after the global options and before any other option."""
    i = 0
    while i < len(args) and args[i].startswith("-"):
        i += 2 if args[i] in GLOBAL_WITH_VALUE else 1
    words: list[str] = []
    while i < len(args) and not args[i].startswith("-") and len(words) < 2:
        words.append(args[i])
        i += 1
    return tuple(words)


def run(args: list[str], io: IO | None = None) -> int:
    """Run slackctl with `args`; return the exit code. Never raises, never prints a traceback.

    A plain `api call` takes the fast path (slackctl/cli/fastpath.py, no Typer); everything else goes through Typer."""
    from slackctl.cli.fastpath import try_run

    io = io or IO()
    code = try_run(args, io)
    if code is not None:
        return code
    args = _help_as_option(hoist_global_options(args))
    return guarded(io, lambda: _click_main(args, io))


def _click_main(args: list[str], io: IO) -> int:
    import click

    command = typer.main.get_command(app)
    # Typer turns Ctrl-C into a silent exit code 130; keep the interrupt so the one error boundary (runner.py)
    # reports it, with what an interrupted write did about it (slackctl/interrupts.py).
    # Click also turns a closed stdout (`| head`) into exit 1; keep the BrokenPipeError for runner.py too (exit 0).
    interrupted: list[KeyboardInterrupt | BrokenPipeError] = []
    invoke = command.invoke

    def invoke_keeping_interrupts(click_ctx: click.Context) -> object:
        try:
            return invoke(click_ctx)
        except KeyboardInterrupt as exc:
            interrupted.append(exc)
            raise
        except BrokenPipeError as exc:
            interrupted.append(exc)
            return None

    command.invoke = invoke_keeping_interrupts  # type: ignore[method-assign,assignment]
    try:
        obj = Context(io=io)
        obj.allow_new_profile = _command_words(args)[:2] in CREATES_PROFILE
        result = command.main(args=args, prog_name="slackctl", standalone_mode=False, obj=obj)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:
        raise KeyboardInterrupt from None
    except click.exceptions.NoArgsIsHelpError as exc:
        io.out(exc.format_message())  # `slackctl` or `slackctl auth` alone asks for the help: data, exit 0
        return 0
    except click.ClickException as exc:
        from slackctl.cli.usage import usage_message

        where = exc.ctx if isinstance(exc, click.UsageError) else None
        sub = (
            f"slackctl {where.command_path.split(' ', 1)[1]} --help"
            if where and " " in where.command_path
            else "slackctl --help"
        )
        io.err(format_error(io, usage_message(exc), f"see: {sub}"))
        return int(ExitCode.USAGE)
    if interrupted:
        raise interrupted[0]
    return int(result) if isinstance(result, int) else 0


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:
        # The fastest answer: nothing beyond this module's own imports.
        sys.stdout.write(f"slackctl {__version__}\n")
        sys.exit(0)
    sys.exit(run(args))
