"""Wiring for `slackctl events forward`: credentials, the Socket Mode URL from Slack, and where lines go."""

from __future__ import annotations

import json
import urllib.parse
from typing import TYPE_CHECKING

from slackctl.errors import UsageError

if TYPE_CHECKING:
    from slackctl.cli.context import Context


def check_target(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--to {url!r} is not an http(s) URL", "e.g. --to http://localhost:3000/slack/events")
    return url


def forward_until_interrupted(c: Context, *, to: str, json_lines: bool, env: str) -> None:
    """Run the forwarder until Ctrl-C or SIGTERM (KeyboardInterrupt, which the caller turns into exit 130)."""
    import ssl

    import certifi

    from slackctl.devloop.forward import Delivery, Forwarder
    from slackctl.devloop.secrets import app_token, signing_secret

    check_target(to)
    secret = signing_secret(c, env)
    token = app_token(c)
    client = c.client(token)

    def open_url() -> str:
        response = client.call("apps.connections.open", {}, token=token, idempotent=True)
        return str(response.data["url"])

    def on_delivery(delivery: Delivery) -> None:
        if json_lines:
            c.io.out(json.dumps(delivery.to_json(), separators=(",", ":")))
        else:
            c.io.err(delivery.line())

    ca = c.options.ca_bundle
    context = ssl.create_default_context(cafile=ca or certifi.where())
    forwarder = Forwarder(open_url=open_url, to=to, secret=secret, on_delivery=on_delivery,
                          on_status=lambda text: c.io.err(c.io.dim(f"[forward] {text}")), ssl_context=context)
    try:
        with client:
            forwarder.run()
    finally:
        forwarder.stop.set()
