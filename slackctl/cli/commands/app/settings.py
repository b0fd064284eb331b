"""`slackctl app settings`: open the app's settings page in the browser (prints the URL with --no-browser or
without a display)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from slackctl import settings
from slackctl.cli.commands.app.common import pick

if TYPE_CHECKING:
    from slackctl.cli.context import Context


@dataclass
class SettingsOptions:
    """The options of `slackctl app settings`."""

    env: str = settings.DEFAULT_DEPLOY_ENV
    app_id: str | None = None
    no_browser: bool = False
    json_out: bool = False


def run(ctx: Context, opts: SettingsOptions) -> None:
    if opts.app_id is None:
        opts.app_id = pick(ctx, opts.env, None)[1].app_id
    url = ctx.app_settings_url(opts.app_id)
    if opts.json_out:  # {"app_id", "url"}: for a script, never a browser
        from slackctl.cli.output import print_json

        print_json(ctx.io, {"app_id": opts.app_id, "url": url})
        return
    from slackctl.cli import browser

    if opts.no_browser or not browser.can_open():
        ctx.io.out(url)
        return
    if not browser.open_url(url):
        ctx.io.out(url)
        ctx.io.warn("could not open a browser; open the URL above yourself")
        return
    ctx.io.err(f"Opened {url}")
