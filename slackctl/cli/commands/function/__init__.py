"""`slackctl function`: the app's custom functions, named as Slack's CLI names them. A lazy table: the verb is
cli/commands/function/access.py."""

from slackctl.cli.verb import Entry

SUMMARY = "Manage who may use your app's custom functions."

VERBS = {
    "access": Entry("access", "Show or change who may use a custom function in their workflows."),
}
