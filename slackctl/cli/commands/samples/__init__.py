"""`slackctl samples`: a top-level command; the whole verb is cli/commands/samples/samples.py."""

from slackctl.cli.verb import Entry

SUMMARY = "List Slack's sample apps (github.com/slack-samples) to create a project from."
VERB = Entry("samples", SUMMARY)
