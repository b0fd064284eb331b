"""`slackctl emulator open`: open a running emulator's web UI in the browser (or print its URL for scripts)."""

from __future__ import annotations

import typer


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
        raise NetworkError(f"no slackctl emulator answers at {base} ({reason})",
                           "start one with: slackctl emulator start (or pass its URL with --slack-url)") from None
    if not isinstance(info, dict) or not info.get("ok"):
        raise NetworkError(f"{base} is not a slackctl emulator", "start one with: slackctl emulator start")


def register(app: typer.Typer) -> None:
    @app.command("open")
    def open_ui(ctx: typer.Context,
                print_url: bool = typer.Option(False, "--print-url", help="Print the URL on stdout instead of "
                                               "opening a browser."),
                as_user: str | None = typer.Option(None, "--as", help="Show the page as this user (ada, grace, …)."),
                channel: str | None = typer.Option(None, "--channel", help="Open this channel (#name or id).")
                ) -> None:
        """Open the web UI of the emulator at --slack-url / SLACKCTL_SLACK_URL (default http://127.0.0.1:8787)."""
        from slackctl.cli import browser
        from slackctl.cli.commands.emulator.drive import DEFAULT_URL
        from slackctl.cli.context import get_context

        c = get_context(ctx)
        base = (c.options.slack_url or DEFAULT_URL).rstrip("/")
        check_running(base)
        url = ui_url(base, as_user, channel.lstrip("#") if channel else None)
        if print_url:
            c.io.out(url)
            return
        if browser.open_url(url):
            c.io.err(f"Opened {url}")
            return
        c.io.out(url)
        c.io.warn("could not open a browser (set BROWSER, or open the URL above yourself)")
