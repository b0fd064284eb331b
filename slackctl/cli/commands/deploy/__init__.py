"""`slackctl deploy`: a top-level command; the whole verb is cli/commands/deploy/deploy.py."""

from slackctl.cli.verb import Entry

SUMMARY = (
    "Deploy the project's app: validate the manifest (locally, then with Slack), create the app or update it, "
    "then run the deploy hook from .slack/hooks.json; if the hook fails, restore the previous manifest."
)
VERB = Entry("deploy", SUMMARY)
