"""`slackctl init`: a top-level command; the whole verb is cli/commands/init/init.py."""

from slackctl.cli.verb import Entry

SUMMARY = (
    "Adopt an existing app project: write the .slack/ files slackctl and Slack's CLI use (config, hooks), "
    "detecting its runtime."
)
VERB = Entry("init", SUMMARY)
