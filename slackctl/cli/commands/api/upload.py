"""`slackctl api upload`: check the files, resolve a token, stream them up with a progress bar."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl import settings
from slackctl.cli.commands.api.common import call_option, make_client, resolve_token
from slackctl.cli.context import Context
from slackctl.cli.output import print_json
from slackctl.cli.verb import Verb
from slackctl.credentials import TokenKind
from slackctl.errors import UsageError
from slackctl.slack import catalog

if TYPE_CHECKING:
    from types import TracebackType

    from rich.progress import Progress, TaskID


@dataclass
class UploadOptions:
    """The options of `slackctl api upload`."""

    files: Annotated[list[str], typer.Argument(help="Files to upload (- for stdin).", show_default=False)]
    channel: Annotated[str | None, typer.Option("--channel", "-c", help="Share in this channel (id).")] = None
    title: Annotated[str | None, typer.Option("--title", help="Title (one file only).")] = None
    comment: Annotated[str | None, typer.Option("--comment", help="Message posted with the files.")] = None
    thread_ts: Annotated[str | None, typer.Option("--thread-ts", help="Post in this thread.")] = None
    filename: Annotated[str | None, typer.Option("--filename", help="Name for the file read from stdin.")] = None
    as_kind: Annotated[str | None, call_option("as_kind", help="Use the profile's bot or user token.")] = None
    token_stdin: Annotated[bool, call_option("token_stdin")] = False
    max_retries: Annotated[int, call_option("max_retries")] = settings.MAX_RETRIES
    timeout: Annotated[float | None, call_option("timeout")] = None


COMMAND = Verb(
    UploadOptions,
    examples="""
        slackctl api upload report.pdf --channel C123 --comment 'Weekly report'
        slackctl api upload a.png b.png -c C123 --thread-ts 1700000000.000100
        df -h | slackctl api upload - --filename disk.txt --channel C123
    """,
)


def run(ctx: Context, opts: UploadOptions) -> None:
    from slackctl.slack.upload import check_file, spooled_stdin, upload_files

    if opts.as_kind and TokenKind.parse(opts.as_kind) is None:
        raise UsageError(f"--as {opts.as_kind}: unknown token kind", "use bot or user")
    if opts.files.count("-") > 1:
        raise UsageError("- (stdin) is given more than once", "stdin can be uploaded once per command")
    if "-" in opts.files and opts.token_stdin:
        raise UsageError("--token-stdin and - both read stdin", "pass the token with SLACK_TOKEN instead")
    if opts.title and len(opts.files) > 1:
        raise UsageError("--title applies to one file, but several were given", "upload them one at a time")
    if opts.filename and "-" not in opts.files:
        raise UsageError("--filename names the file read from stdin (-)", "drop --filename, or upload -")
    # Every path is checked before anything is sent: no half-done uploads for a typo in the third file.
    sources = {path: check_file(path) for path in opts.files if path != "-"}
    info = catalog.get("files.getUploadURLExternal") or catalog.unknown("files.getUploadURLExternal")
    token, profile = resolve_token(ctx, info, as_kind=opts.as_kind, token_stdin=opts.token_stdin, no_auth=False)
    with contextlib.ExitStack() as stack:
        if "-" in opts.files:
            sources["-"] = stack.enter_context(spooled_stdin(ctx.io.stdin_bytes(), opts.filename or "stdin"))
        ordered = [sources[path] for path in opts.files]
        if opts.title:
            ordered[0].title = opts.title
        client = stack.enter_context(
            make_client(ctx, token, profile, max_retries=opts.max_retries, timeout=opts.timeout)
        )
        progress = stack.enter_context(_Progress(ctx))
        response = upload_files(
            client,
            ordered,
            channel=opts.channel,
            comment=opts.comment,
            thread_ts=opts.thread_ts,
            on_start=progress.start,
            on_progress=progress.advance,
            on_restart=progress.restart,
        )
    print_json(ctx.io, response.data)


class _Progress:
    """A rich progress bar on stderr when it is a terminal; nothing otherwise (rich imported only then)."""

    def __init__(self, ctx: Context) -> None:
        self.enabled = ctx.io.stderr_is_tty
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._stderr = ctx.io.stderr

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TransferSpeedColumn(),
                console=Console(file=self._stderr),
                transient=True,
            )
            self._bar.__enter__()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(exc_type, exc, tb)

    def start(self, name: str, size: int) -> None:
        if self._bar is not None:
            self._task = self._bar.add_task(name, total=size)

    def advance(self, n: int) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task, n)

    def restart(self) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.reset(self._task)
