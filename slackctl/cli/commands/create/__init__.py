"""`slackctl create`: a top-level command; the whole verb is cli/commands/create/create.py."""

from slackctl.cli.verb import Entry

SUMMARY = "Create a new Slack app project from a template (asks at a terminal; flags only in scripts)."
VERB = Entry("create", SUMMARY)
