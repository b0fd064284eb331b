"""`slackctl webhook send`: build the payload (file, fields, --text, templating), post it, print the answer."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from slackctl.cli.context import Context
from slackctl.errors import UsageError

# A URL among the fields is a webhook URL typed on the command line: refused without echoing it.
_URLISH = re.compile(r"^\s*[a-z][a-z0-9+.-]*://|hooks\.slack\.com|/services/T", re.IGNORECASE)


@dataclass
class SendOptions:
    """The options of `slackctl webhook send`."""

    fields: list[str] = field(default_factory=list)
    text: str | None = None
    payload: str | None = None
    template: bool = False
    url_file: str | None = None
    max_retries: int = 5
    timeout: float | None = None


def run(ctx: Context, opts: SendOptions) -> None:
    from slackctl.cli.fields import parse_fields, read_text_file
    from slackctl.core import webhook

    for arg in opts.fields:
        if _URLISH.search(arg):
            raise UsageError("a webhook URL (or something like one) is on the command line, where other users "
                             "and shell history can see it", webhook.URL_HINT)
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
            io.err(io.dim(f"… {reason}: retrying in {seconds:.1f}s"))

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
        raise UsageError(f"--url-file {path} is readable by other users (mode {stat.S_IMODE(mode):04o}); the webhook "
                         "URL in it is a secret", f"make it private: chmod 600 {shlex.quote(path)}")
