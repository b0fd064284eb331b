"""`slackctl trigger`: workflow triggers, named as Slack's CLI names them. A lazy table: each verb (options, help,
examples, run) is cli/commands/trigger/<module>.py, imported when it runs."""

from slackctl.cli.verb import Entry

SUMMARY = "Create and manage the triggers that start your app's workflows."

VERBS = {
    "create": Entry(
        "create", "Create a trigger for a workflow; prints its id and its link (shortcut_url) or webhook_url."
    ),
    "update": Entry("update", "Replace a trigger's definition, keeping its id and URL."),
    "delete": Entry("delete", "Delete a trigger."),
    "info": Entry("info", "Show a trigger: name, type, workflow, and its link or webhook URL."),
    "list": Entry("list_", "List the app's triggers (--type to narrow)."),
    "access": Entry("access", "Show or change who may run a trigger."),
}
