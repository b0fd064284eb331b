"""`slackctl activity`: a top-level command; the whole verb is cli/commands/activity/activity.py."""

from slackctl.cli.verb import Entry

SUMMARY = "Show the app's activity log: trigger runs, workflow steps, function results and errors."
VERB = Entry("activity", SUMMARY)
