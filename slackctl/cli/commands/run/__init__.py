"""`slackctl run`: a top-level command; the whole verb is cli/commands/run/run.py."""

from slackctl.cli.verb import Entry

SUMMARY = ("Run the project's app: the start hook of .slack/hooks.json, else app.py (or python -m PACKAGE), with "
           "the project's .venv.")
VERB = Entry("run", SUMMARY)
