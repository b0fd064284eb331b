"""`slackctl app`: the project's deployed apps — list them, delete one, open its settings page.
A lazy table: each verb (options, help, examples, run) is cli/commands/app/<module>.py, imported when it runs."""

from slackctl.cli.verb import Entry

SUMMARY = "The project's deployed apps (one per environment and workspace)."

VERBS = {
    "list": Entry("list_", "List the project's apps per environment and workspace, and whether each is installed."),
    "link": Entry("link", "Record an existing app id as an environment's app (no network)."),
    "unlink": Entry("unlink", "Forget an environment's app id in this project (the app stays at Slack)."),
    "delete": Entry(
        "delete", "Delete the environment's app at Slack (apps.manifest.delete), its stored secrets and its record."
    ),
    "settings": Entry(
        "settings",
        "Open the app's settings page in the browser (prints the URL with --no-browser or without a display).",
    ),
}
