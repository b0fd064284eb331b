"""`slackctl api`: call any Web API method, list and describe the method catalog, upload files.

Typer declarations only; each verb's body is in its own module, imported when it runs. Typer itself is imported
inside register(), because the fast path (cli/fastpath.py) imports this package's `call` verb without Typer."""

from typing import Any

from slackctl import settings
from slackctl.cli.commands.api.call_options import CALL_OPTIONS
from slackctl.cli.context import get_context
from slackctl.cli.optiontable import typer_parameters, with_signature


def complete_method(incomplete: str) -> list[str]:
    """Shell completion of method names (the catalog is loaded only here, not at start-up)."""
    from slackctl.slack import catalog

    return catalog.complete(incomplete)


CALL_EPILOG = (
    "Fields: key=value (string), key:=json (number, bool, array, object), key=@file / key:=@file.json "
    "(from a file, @- for stdin), key[sub]=value (nested), key[]=value (array). "
    "Examples: slackctl api call chat.postMessage channel=C123 text='hi';  "
    "slackctl api call users.list --paginate --jq '.members[].name';  "
    "slackctl api call conversations.history channel=C123 --jsonl --limit 500"
)



def register(root: Any) -> None:
    import inspect
    from typing import Annotated

    import typer

    app = typer.Typer(help="Call any Web API method, browse the method catalog, upload files.", no_args_is_help=True)
    root.add_typer(app, name="api")

    # Options shared by the api sub-commands, declared once.
    MethodArg = Annotated[str, typer.Argument(help="Web API method, e.g. chat.postMessage.",
                                              autocompletion=complete_method, show_default=False)]
    AsKind = Annotated[str | None, typer.Option("--as", help="Use the profile's bot, user, app or config token "
                                                "(default: what the method's scopes allow, bot first).")]
    NoAuth = Annotated[bool, typer.Option("--no-auth", help="Send no token.")]
    MaxRetries = Annotated[int, typer.Option("--max-retries", min=0, help="Retries after 429 / server errors / "
                                             "connection failures.")]
    Timeout = Annotated[float | None, typer.Option("--timeout", envvar=settings.ENV_TIMEOUT, min=0.1,
                                                   help="Seconds to wait for each response.")]
    Force = Annotated[bool, typer.Option("--force", help="Call a method the catalog does not know.")]

    def call_cmd(ctx: typer.Context, method: str, fields: list[str] | None = None, **options: Any) -> None:
        from slackctl.cli.commands.api.call import run
        from slackctl.cli.commands.api.call_options import CallOptions

        run(get_context(ctx), CallOptions(method=method, fields=list(fields or []), **options))

    # The signature Typer reads is generated from CALL_OPTIONS, the table the fast path parses with.
    positional = inspect.Parameter.POSITIONAL_OR_KEYWORD
    call_params = [
        inspect.Parameter("ctx", positional, annotation=typer.Context),
        inspect.Parameter("method", positional, annotation=MethodArg),
        inspect.Parameter("fields", positional, default=None, annotation=Annotated[
            list[str] | None, typer.Argument(help="Arguments: key=value, key:=json, key=@file, key[sub]=value.",
                                             show_default=False)]),
        *typer_parameters(CALL_OPTIONS, typer),
    ]
    app.command("call", epilog=CALL_EPILOG)(
        with_signature(call_cmd, call_params, "Call a Web API method and print the JSON response."))

    BATCH_EPILOG = (
        "Each line of the input is one call's arguments as a JSON object. Example: "
        "printf '%s\\n' '{\"channel\":\"C1\",\"text\":\"a\"}' '{\"channel\":\"C2\",\"text\":\"b\"}' | "
        "slackctl api batch chat.postMessage"
    )

    @app.command("batch", epilog=BATCH_EPILOG)
    def batch_cmd(
        ctx: typer.Context,
        method: MethodArg,
        input_file: Annotated[str, typer.Option("--input", help="JSON lines file, one call's arguments per line "
                                                "(- for stdin).")] = "-",
        key: Annotated[str | None, typer.Option("--key", help="Field whose calls go out in order, one at a time "
                                                "(default: channel, when the method takes one; '' for none).")] = None,
        concurrency: Annotated[int, typer.Option("--concurrency", min=1, max=50, help="Keys sent in parallel.")] = 5,
        as_kind: AsKind = None,
        no_auth: NoAuth = False,
        max_retries: MaxRetries = settings.MAX_RETRIES,
        timeout: Timeout = None,
        force: Force = False,
    ) -> None:
        """Make many calls of one method from JSON lines; print each response as a JSON line, in input order."""
        from slackctl.cli.commands.api.batch import BatchOptions, run

        raise typer.Exit(run(get_context(ctx), BatchOptions(
            method=method, input_file=input_file, key=key, concurrency=concurrency, as_kind=as_kind,
            no_auth=no_auth, max_retries=max_retries, timeout=timeout, force=force,
        )))

    @app.command("list")
    def list_cmd(
        ctx: typer.Context,
        group: Annotated[str | None, typer.Argument(help="Only this group, e.g. chat or admin.users.",
                                                    show_default=False)] = None,
        json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """List Web API methods: name, HTTP verb, JSON bodies, rate tier, token types."""
        from slackctl.cli.commands.api.list_ import ListOptions, run

        run(get_context(ctx), ListOptions(group=group, json_out=json_out))

    @app.command("describe")
    def describe_cmd(
        ctx: typer.Context,
        method: Annotated[str, typer.Argument(help="Web API method.", autocompletion=complete_method,
                                              show_default=False)],
        json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Show one method: verb, arguments, scopes by token type, rate tier, docs URL."""
        from slackctl.cli.commands.api.describe import DescribeOptions, run

        run(get_context(ctx), DescribeOptions(name=method, json_out=json_out))

    @app.command("upload")
    def upload_cmd(
        ctx: typer.Context,
        files: Annotated[list[str], typer.Argument(help="Files to upload (- for stdin).", show_default=False)],
        channel: Annotated[str | None, typer.Option("--channel", "-c", help="Share in this channel (id).")] = None,
        title: Annotated[str | None, typer.Option("--title", help="Title (one file only).")] = None,
        comment: Annotated[str | None, typer.Option("--comment", help="Message posted with the files.")] = None,
        thread_ts: Annotated[str | None, typer.Option("--thread-ts", help="Post in this thread.")] = None,
        filename: Annotated[str | None, typer.Option("--filename", help="Name for the file read from stdin.")] = None,
        as_kind: Annotated[str | None, typer.Option("--as", help="Use the profile's bot or user token.")] = None,
        token_stdin: Annotated[bool, typer.Option("--token-stdin", help="Read the token from stdin.")] = False,
        max_retries: MaxRetries = settings.MAX_RETRIES,
        timeout: Timeout = None,
    ) -> None:
        """Upload files (Slack's three-step external upload), streamed from disk."""
        from slackctl.cli.commands.api.upload import UploadOptions, run

        run(get_context(ctx), UploadOptions(
            files=files, channel=channel, title=title, comment=comment, thread_ts=thread_ts, filename=filename,
            as_kind=as_kind, token_stdin=token_stdin, max_retries=max_retries, timeout=timeout,
        ))
