"""`slackctl app settings`: open the app's settings page in the browser (prints the URL with --no-browser or
without a display)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.commands.app.common import APP_OPTION, ENV_OPTION, pick
from slackctl.cli.verb import Verb
from slackctl.settings import DEFAULT_DEPLOY_ENV

if TYPE_CHECKING:
    from slackctl.cli.context import Context


@dataclass
class SettingsOptions:
    """The options of `slackctl app settings`."""

    env: Annotated[str, ENV_OPTION] = DEFAULT_DEPLOY_ENV
    app_id: Annotated[str | None, APP_OPTION] = None
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Print the URL instead of opening it.")] = False
    json_out: Annotated[bool, typer.Option("--json", help='Print {"app_id", "url"} instead of opening it.')] = False


COMMAND = Verb(
    SettingsOptions,
    examples="""
        slackctl app settings
        slackctl app settings --env prod --no-browser
    """,
)


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
