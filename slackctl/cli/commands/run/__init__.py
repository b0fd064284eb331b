"""`slackctl run`: a top-level command; the whole verb is cli/commands/run/run.py."""

from slackctl.cli.verb import Entry

SUMMARY = (
    "Run the project's app: its start hook (.slack/hooks.json, or the SDK's through get-hooks), else app.py "
    "(or python -m PACKAGE), else package.json's start, with the project's .venv."
)
VERB = Entry("run", SUMMARY)
