"""`slackctl webhook`: post to incoming webhooks.
A lazy table: each verb (options, help, examples, run) is cli/commands/webhook/<module>.py, imported when it runs."""

from slackctl.cli.verb import Entry

SUMMARY = "Post messages to incoming webhooks."

VERBS = {
    "send": Entry("send", "Post a message to an incoming webhook and print Slack's answer (ok)."),
}
