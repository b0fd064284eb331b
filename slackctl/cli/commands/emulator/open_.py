"""`slackctl emulator open`: open a running emulator's web UI in the browser (or print its URL for scripts)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import typer

from slackctl.cli.context import Context
from slackctl.cli.verb import Verb


@dataclass
class OpenOptions:
    """The options of `slackctl emulator open`."""

    print_url: Annotated[
        bool, typer.Option("--print-url", help="Print the URL on stdout instead of opening a browser.")
    ] = False
    as_user: Annotated[str | None, typer.Option("--as", help="Show the page as this user (ada, grace, …).")] = None
    channel: Annotated[str | None, typer.Option("--channel", help="Open this channel (#name or id).")] = None


COMMAND = Verb(
    OpenOptions,
    examples="""
        slackctl emulator open
        slackctl emulator open --as grace --channel '#random'
        slackctl --slack-url http://127.0.0.1:9000 emulator open --print-url
    """,
)


def ui_url(base: str, as_user: str | None, channel: str | None) -> str:
    """The page's URL; --as and --channel become query parameters the page reads at start."""
    import urllib.parse

    query = urllib.parse.urlencode({k: v for k, v in (("user", as_user), ("channel", channel)) if v})
    return f"{base.rstrip('/')}/" + (f"?{query}" if query else "")


def check_running(base: str) -> None:
    """An emulator answers at BASE (its control surface's info), else a NetworkError (exit 3)."""
    import json
    import urllib.error
    import urllib.request

    from slackctl.errors import NetworkError

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never through a proxy
    try:
        with opener.open(f"{base.rstrip('/')}/_emulator/info", timeout=5) as resp:
            info = json.loads(resp.read())
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise NetworkError(
            f"no slackctl emulator answers at {base} ({reason})",
            "start one with: slackctl emulator start (or pass its URL with --slack-url)",
        ) from None
    if not isinstance(info, dict) or not info.get("ok"):
        raise NetworkError(f"{base} is not a slackctl emulator", "start one with: slackctl emulator start")


def run(ctx: Context, opts: OpenOptions) -> None:
    """Open the UI in a browser, or print its URL (--print-url, or when no browser opens)."""
    from slackctl.cli import browser
    from slackctl.settings import DEFAULT_EMULATOR_URL

    base = (ctx.options.slack_url or DEFAULT_EMULATOR_URL).rstrip("/")
    check_running(base)
    url = ui_url(base, opts.as_user, opts.channel.lstrip("#") if opts.channel else None)
    if opts.print_url:
        ctx.io.out(url)
        return
    if browser.open_url(url):
        ctx.io.err(f"Opened {url}")
        return
    ctx.io.out(url)
    ctx.io.warn("could not open a browser (set BROWSER, or open the URL above yourself)")
