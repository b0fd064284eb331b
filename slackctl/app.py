"""Root Typer app: global options, command-group registration, and main(), which maps errors to exit codes."""

from __future__ import annotations

import importlib
import os
import sys
from typing import Annotated

import typer

from slackctl import __version__, settings
from slackctl.context import Context, Options
from slackctl.errors import ExitCode, SlackctlError
from slackctl.io import IO

# Command name -> module in slackctl.commands; each module exposes register(root). Only the module of the command
# being run is imported (all of them for --help, completion or an unknown name), and modules import only typer and
# stdlib at module level, deferring everything heavy to the command bodies.
COMMAND_MODULES = {
    "auth": "auth",
    "api": "api",
    "tokens": "tokens",
    "create": "create",
    "deploy": "deploy",
    "manifest": "manifest",
    "app": "apps",
    "external-auth": "external_auth",
    "emulator": "emulator",
}
_registered: set[str] = set()

# Global options may be written anywhere (`slackctl auth status -p acme`), like gh's; main() moves them
# in front of the sub-command so the root callback sees them. Sub-commands must not reuse these names.
_GLOBAL_WITH_VALUE = ("--profile", "-p", "--slack-url", "--ca-bundle")
_GLOBAL_FLAGS = ("--verbose", "-v", "--no-color")

app = typer.Typer(
    name="slackctl",
    help="The Slack developer CLI: log in with OAuth, call any Web API method, scaffold and deploy apps.",
    no_args_is_help=True,
    rich_markup_mode=None,  # plain click help: keeps rich off the start-up path
    pretty_exceptions_enable=False,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"slackctl {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    profile: Annotated[str | None, typer.Option("--profile", "-p", envvar=settings.ENV_PROFILE,
                                                help="Profile (workspace login) to use.")] = None,
    slack_url: Annotated[str | None, typer.Option("--slack-url", envvar=settings.ENV_SLACK_URL,
                                                  help="Slack host root, e.g. https://slack.com, "
                                                       "https://slack-gov.com or an emulator URL.")] = None,
    ca_bundle: Annotated[str | None, typer.Option("--ca-bundle", envvar=settings.ENV_CA_BUNDLE,
                                                  help="PEM file of CAs to trust for HTTPS.")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log requests and responses to stderr "
                                                                   "(secrets redacted).")] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="Disable colour (also NO_COLOR).")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    existing = ctx.obj if isinstance(ctx.obj, Context) else None
    io = existing.io if existing else IO(no_color=no_color)
    io._no_color = no_color or io._no_color
    if slack_url and not slack_url.startswith(("http://", "https://")):
        raise SlackctlError(f"--slack-url must start with http:// or https:// (got {slack_url!r})",
                            "e.g. --slack-url https://slack.com")
    ctx.obj = Context(
        options=Options(profile=profile, slack_url=slack_url, verbose=verbose, no_color=no_color,
                        ca_bundle=ca_bundle),
        io=io,
    )


def _register_commands(args: list[str]) -> None:
    """Register the command group `args` names (its first word), or every group when there is none."""
    wanted = list(COMMAND_MODULES.values())
    name = _command_name(args)
    if name in COMMAND_MODULES:
        wanted = [COMMAND_MODULES[name]]
    for module in wanted:
        if module in _registered:
            continue
        module_name = f"slackctl.commands.{module}"
        importlib.import_module(module_name).register(app)
        _registered.add(module)


def _command_name(args: list[str]) -> str | None:
    """The first word that is not a global option or its value (global options are already in front)."""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in _GLOBAL_WITH_VALUE:
            i += 2
            continue
        if arg.startswith("-"):
            i += 1
            continue
        return arg
    return None


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
        if name in _GLOBAL_FLAGS:
            front.append(arg)
        elif name in _GLOBAL_WITH_VALUE:
            front.append(arg)
            if "=" not in arg and i + 1 < len(args):
                front.append(args[i + 1])
                i += 1
        else:
            rest.append(arg)
        i += 1
    return front + rest


def format_error(io: IO, message: str, hint: str | None) -> str:
    from slackctl.slack.tokens import redact

    text = redact(message) + (f" — {redact(hint)}" if hint else "")
    return ("\x1b[31merror:\x1b[0m " if io.err_color else "error: ") + text


def run(args: list[str], io: IO | None = None) -> int:
    """Run slackctl with `args`; return the exit code. Never raises, never prints a traceback."""
    import click

    io = io or IO()
    args = hoist_global_options(args)
    _register_commands(args)
    command = typer.main.get_command(app)
    try:
        result = command.main(
            args=args,
            prog_name="slackctl",
            standalone_mode=False,
            obj=Context(io=io),
        )
        return int(result) if isinstance(result, int) else 0
    except SlackctlError as exc:
        io.err(format_error(io, exc.message, exc.hint))
        return int(exc.exit_code)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:
        io.err("interrupted")
        return int(ExitCode.INTERRUPTED)
    except click.ClickException as exc:
        sub = f"slackctl {exc.ctx.command_path.split(' ', 1)[1]} --help" if getattr(exc, "ctx", None) and \
            " " in exc.ctx.command_path else "slackctl --help"
        io.err(format_error(io, exc.format_message(), f"see: {sub}"))
        return int(ExitCode.USAGE)
    except KeyboardInterrupt:
        io.err("interrupted")
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        # The reader went away (`| head`): not an error worth a message.
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:
            pass
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, no traceback
        from slackctl.slack.tokens import redact

        io.err(format_error(io, f"unexpected {type(exc).__name__}: {redact(str(exc))[:300]}",
                            "this is a bug in slackctl; please report it with the command you ran "
                            "(re-run with SLACKCTL_DEBUG=1 for details)"))
        if os.environ.get("SLACKCTL_DEBUG"):
            import traceback

            io.err(redact(traceback.format_exc()))
        return int(ExitCode.API_ERROR)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:
        # The fastest answer: nothing beyond this module's own imports.
        sys.stdout.write(f"slackctl {__version__}\n")
        sys.exit(0)
    sys.exit(run(args))
