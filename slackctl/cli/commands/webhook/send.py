"""`slackctl webhook send`: build the payload (file, fields, --text, templating), post it, print the answer."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Annotated

import typer

from slackctl import settings
from slackctl.cli.context import Context
from slackctl.cli.verb import Verb
from slackctl.errors import UsageError

# A URL among the fields is a webhook URL typed on the command line: refused without echoing it.
_URLISH = re.compile(r"^\s*[a-z][a-z0-9+.-]*://|hooks\.slack\.com|/services/T", re.IGNORECASE)


@dataclass
class SendOptions:
    """The options of `slackctl webhook send`."""

    fields: Annotated[
        list[str],
        typer.Argument(
            help="Payload fields: key=value, key:=json, key=@file, key[sub]=value (as api call).", show_default=False
        ),
    ] = field(default_factory=list)
    text: Annotated[str | None, typer.Option("--text", help="The message text.")] = None
    payload: Annotated[str | None, typer.Option("--payload", help="A JSON or YAML payload file (- for stdin).")] = None
    template: Annotated[
        bool,
        typer.Option(
            "--template", help="Replace ${VAR} in the payload's string values from the environment ($${ for a literal)."
        ),
    ] = False
    url_file: Annotated[
        str | None,
        typer.Option("--url-file", help=f"Read the webhook URL from this file instead of {settings.ENV_WEBHOOK_URL}."),
    ] = None
    max_retries: Annotated[int, typer.Option("--max-retries", min=0, help="Retries after 429 / server errors.")] = (
        settings.MAX_RETRIES
    )
    timeout: Annotated[
        float | None,
        typer.Option("--timeout", envvar=settings.ENV_TIMEOUT, min=0.1, help="Seconds to wait for the answer."),
    ] = None


COMMAND = Verb(
    SendOptions,
    help=f"""The URL is a secret, so it never goes on the command line: set {settings.ENV_WEBHOOK_URL} or pass
    --url-file. Exit codes: 0 posted, 1 Slack refused the message, 2 bad input, 3 network, 4 URL unknown or
    revoked.""",
    examples="""
        export SLACK_WEBHOOK_URL=$(cat ~/.secrets/webhook-url)
        slackctl webhook send --text 'deployed'
        slackctl webhook send text='build ok' blocks:=@blocks.json
        slackctl webhook send --payload message.yaml --template
        slackctl webhook send --url-file webhook-url.txt --text 'from a file'
    """,
)


def run(ctx: Context, opts: SendOptions) -> None:
    from slackctl.cli.fields import parse_fields, read_text_file
    from slackctl.core import webhook

    for arg in opts.fields:
        if _URLISH.search(arg):
            raise UsageError(
                "a webhook URL (or something like one) is on the command line, where other users "
                "and shell history can see it",
                webhook.URL_HINT,
            )
    if opts.url_file is not None:
        _check_private(opts.url_file)
    url_text = read_text_file(opts.url_file, "--url-file") if opts.url_file is not None else None
    url = webhook.url_from(os.environ, url_text, opts.url_file)
    stdin_used = False
    base: dict[str, object] = {}
    if opts.payload is not None:
        if opts.payload == "-":
            text, stdin_used = ctx.io.stdin.read(), True
        else:
            text = read_text_file(opts.payload, "--payload")
        base = webhook.load_payload(text, opts.payload)
    args = list(opts.fields)
    if opts.text is not None:
        if "text" in base:
            raise UsageError("--text and the payload's text both set the message text", "keep one of them")
        base["text"] = opts.text
    parsed = parse_fields(args, read_stdin=None if stdin_used else ctx.io.stdin.read, base=base)
    message = parsed.values
    if opts.template:
        message = webhook.render_template(message, os.environ)
    if not message:
        raise UsageError("nothing to send", "give --text, --payload FILE or fields like text='hello'")
    io = ctx.io
    show_waits = io.stderr_is_tty or ctx.options.verbose

    def on_wait(seconds: float, reason: str) -> None:
        if show_waits:
            io.err(io.dim(ctx.wait_line(seconds, reason)))

    result = webhook.send(ctx, url, message, max_retries=opts.max_retries, timeout=opts.timeout, on_wait=on_wait)
    io.out(result.answer)


def _check_private(path: str) -> None:
    """--url-file holds a secret: refuse one other users can read (before reading it), as ssh does a key."""
    import shlex
    import stat

    try:
        mode = os.stat(os.path.expanduser(path)).st_mode
    except OSError:
        return  # read_text_file says why it cannot be read
    if stat.S_ISREG(mode) and mode & (stat.S_IRGRP | stat.S_IROTH):
        raise UsageError(
            f"--url-file {path} is readable by other users (mode {stat.S_IMODE(mode):04o}); the webhook "
            "URL in it is a secret",
            f"make it private: chmod 600 {shlex.quote(path)}",
        )
