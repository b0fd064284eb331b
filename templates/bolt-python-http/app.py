"""Bolt wiring: an HTTP app (Events API) that checks Slack's signatures and installs to many workspaces (OAuth).

Set SLACK_BOT_TOKEN to run in a single workspace; leave it unset to use the OAuth flow at /slack/install.
build_app(client, signing_secret) makes the app; the tests (tests/test_app.py) hand it an offline Slack's.
"""

from __future__ import annotations

import logging
import os

import handlers
from signing import verify_request
from slack_bolt import App, BoltResponse
from slack_sdk import WebClient

SCOPES = ["app_mentions:read", "chat:write", "commands"]


def build_app(client: WebClient | None = None, signing_secret: str | None = None) -> App:
    """The app with its listeners. CLIENT talks to one workspace (default: SLACK_BOT_TOKEN's, else OAuth
    installations); SIGNING_SECRET checks requests (default: SLACK_SIGNING_SECRET)."""
    secret = signing_secret or os.environ["SLACK_SIGNING_SECRET"]
    if client is not None:
        app = App(client=client, signing_secret=secret)
    elif os.environ.get("SLACK_BOT_TOKEN"):
        app = App(token=os.environ["SLACK_BOT_TOKEN"], signing_secret=secret)
    else:
        from slack_bolt.oauth.oauth_settings import OAuthSettings
        from slack_sdk.oauth.installation_store import FileInstallationStore
        from slack_sdk.oauth.state_store import FileOAuthStateStore

        # Installations and OAuth state are kept in ./data (git-ignored); use a database in production.
        oauth = OAuthSettings(
            client_id=os.environ["SLACK_CLIENT_ID"],
            client_secret=os.environ["SLACK_CLIENT_SECRET"],
            scopes=SCOPES,
            installation_store=FileInstallationStore(base_dir="./data/installations"),
            state_store=FileOAuthStateStore(expiration_seconds=600, base_dir="./data/states"),
        )
        app = App(signing_secret=secret, oauth_settings=oauth)

    @app.middleware
    def check_signature(req, resp, next):
        # Bolt checks signatures too; this explicit check (signing.py) is the one the tests cover.
        if not verify_request(secret, req.headers, req.raw_body):
            return BoltResponse(status=401, body="invalid signature")
        return next()

    @app.event("app_mention")
    def on_mention(event, say):
        say(**handlers.mention_reply(event))

    @app.command("/hello")
    def on_hello(ack, command, respond):
        ack()
        respond(**handlers.hello_command(command))

    return app


if __name__ == "__main__":
    from envfile import load_env

    load_env()
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"))
    build_app().start(port=int(os.environ.get("PORT", "3000")), path="/slack/events")
