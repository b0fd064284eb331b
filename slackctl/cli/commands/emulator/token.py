"""`slackctl emulator token [--kind config|bot|user|app] [--app APP] [--json]`: a token of the running emulator, on
stdout only (it is a secret, as with `auth token`), for `SLACK_CONFIG_TOKEN=$(slackctl emulator token)` and
friends. The work is devloop/emulated.py's token()."""

from __future__ import annotations

from dataclasses import dataclass

from slackctl.cli.context import Context


@dataclass
class TokenOptions:
    """The options of `slackctl emulator token`."""

    kind: str = "config"
    app_ref: str | None = None
    json: bool = False


def run(ctx: Context, opts: TokenOptions) -> None:
    import json

    from slackctl import settings
    from slackctl.devloop.emulated import token
    from slackctl.errors import UsageError

    # As the driver verbs: --slack-url / SLACKCTL_SLACK_URL, else the default `emulator start` listens on.
    url = (ctx.options.slack_url or settings.DEFAULT_EMULATOR_URL).rstrip("/")
    if url == settings.DEFAULT_SLACK_URL:
        raise UsageError("emulator token reads a token from an emulator, not from Slack itself",
                         f"pass the emulator's URL: --slack-url {settings.DEFAULT_EMULATOR_URL} "
                         "(or run: slackctl auth token)")
    found = token(url, opts.kind, opts.app_ref, ca_file=ctx.options.ca_bundle)
    if opts.json:
        ctx.io.out_data(json.dumps(found))
        return
    if ctx.io.stdout_is_tty:
        ctx.io.err(f"{opts.kind} token of the emulator at {url}" + (f" (app {found['app_id']})"
                                                                     if "app_id" in found else "") + ":")
    ctx.io.out(found["token"])
